"""Loading the analysis frame from the database: published audits (the only Piccolo here).

The analysis itself is pure (``reports.analysis``); this module turns rows into the records
:func:`reports.frame.frame_from_records` takes: local visit times in each branch's time zone,
and per-item scores for the audits of calibration pairs (scored against their own version).
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from audits.tables import Audit
from checklists.queries import get_version_by_id
from checklists.scoring import score_audit
from checklists.tables import ChecklistTemplate

from .frame import Frame, frame_from_records


class UnknownChecklist(LookupError):
    """The ``--checklist`` slug names no checklist."""


def _columns():
    return (
        Audit.id,
        Audit.score,
        Audit.channel,
        Audit.visited_at,
        Audit.version.as_alias("version_id"),
        Audit.calibration_of.as_alias("calibration_of"),
        Audit.branch.code.as_alias("branch"),
        Audit.branch.timezone.as_alias("timezone"),
        Audit.branch.region.code.as_alias("region"),
        Audit.shift.name.as_alias("shift"),
        Audit.staff.code.as_alias("staff"),
        Audit.auditor.username.as_alias("auditor"),
        Audit.version.checklist.slug.as_alias("checklist"),
    )


def _local(value: dt.datetime, zone: str) -> dt.datetime:
    if value.tzinfo is None:  # SQLite may hand back naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(zone or "UTC"))


async def _item_scores(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Item scores (0–1) of the audits in calibration pairs, by audit id."""
    paired = {str(r["calibration_of"]) for r in rows if r["calibration_of"]}
    wanted = [r["id"] for r in rows if r["calibration_of"] or str(r["id"]) in paired]
    if not wanted:
        return {}
    answers = await Audit.select(Audit.id, Audit.answers, Audit.version).where(
        Audit.id.is_in(wanted)
    )
    out = {}
    for row in answers:
        _, doc = await get_version_by_id(row["version"])
        values = row["answers"]
        values = json.loads(values) if isinstance(values, str) else values
        scored = score_audit(doc, values or {})
        out[str(row["id"])] = {i.key: i.score for i in scored.items if i.score is not None}
    return out


async def load_frame(
    *, start: dt.date | None = None, end: dt.date | None = None, checklist: str | None = None
) -> Frame:
    """The published, scored audits visited from ``start`` to ``end`` (inclusive, branch-local
    dates) of one checklist or all."""
    query = Audit.select(*_columns()).where(
        (Audit.status == Audit.Status.published) & Audit.score.is_not_null()
    )
    if checklist is not None:
        if not await ChecklistTemplate.exists().where(ChecklistTemplate.slug == checklist):
            raise UnknownChecklist(f"No checklist {checklist!r}.")
        query = query.where(Audit.version.checklist.slug == checklist)
    # A day of slack either side in SQL; the exact cut is on the branch-local date below.
    if start is not None:
        since = dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(Audit.visited_at >= since)
    if end is not None:
        until = dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), dt.UTC)
        query = query.where(Audit.visited_at < until)
    rows = await query.order_by(Audit.visited_at)
    for row in rows:
        row["visited_at"] = _local(row["visited_at"], row.pop("timezone"))
    rows = [
        r
        for r in rows
        if (start is None or r["visited_at"].date() >= start)
        and (end is None or r["visited_at"].date() <= end)
    ]
    items = await _item_scores(rows)
    for row in rows:
        row["ref"] = str(row.pop("id"))
        row["calibration_of"] = str(row["calibration_of"]) if row["calibration_of"] else None
        row.pop("version_id")
        if row["ref"] in items:
            row["item_scores"] = items[row["ref"]]
    return frame_from_records(rows)
