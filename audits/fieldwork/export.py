"""Exporting published audits in the import format (``import_csv``), so that an export imports
into an empty database as the same audits.

Without a checklist every published audit is written with its score; with one, that
checklist's audits with a column per item of its latest published version.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

import msgspec

from audits.boundary.csv_guard import GuardedWriter
from audits.fieldwork.import_csv import COLUMNS, ITEM
from audits.fieldwork.imports import AuditImportError
from audits.tables import Audit
from checklists import queries as checklist_queries
from checklists.model import Checklist, ItemType

PAGE = 5000
Progress = Callable[[int, int], None]

_SELECT = (
    Audit.id,
    Audit.external_ref,
    Audit.visited_at,
    Audit.channel,
    Audit.score,
    Audit.answers,
    Audit.branch.code.as_alias("branch"),
    Audit.branch.timezone.as_alias("timezone"),
    Audit.branch._.region._.code.as_alias("region"),
    Audit.shift.name.as_alias("shift"),
    Audit.staff.code.as_alias("staff"),
    Audit.auditor.username.as_alias("auditor"),
    Audit.calibration_of.id.as_alias("pair_id"),
    Audit.calibration_of.external_ref.as_alias("pair_ref"),
)


def _local(visited_at: dt.datetime, timezone: str) -> str:
    """Branch-local time with its offset (``2026-07-13T15:05:00+03:00``: the same instant
    wherever it is imported); a date alone for local midnight, which is how date-only imports
    are stored, so they export as they came."""
    local = visited_at.astimezone(ZoneInfo(timezone)).replace(microsecond=0)
    return local.date().isoformat() if local.time() == dt.time() else local.isoformat()


def _cell(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _header(doc: Checklist | None) -> list[str]:
    common = [name for name in COLUMNS if name != "score"]
    if doc is None:
        return [*common, "score"]
    keys = [item.key for item in doc.items() if item.type is not ItemType.photo]
    return [*common, *(f"{ITEM}{key}" for key in keys)]


def _record(row: dict, doc: Checklist | None) -> list[str]:
    pair = row["pair_ref"] or (str(row["pair_id"]) if row["pair_id"] else "")
    cells = [
        row["external_ref"] or str(row["id"]),
        _local(row["visited_at"], row["timezone"]),
        row["branch"],
        row["region"] or "",
        row["channel"],
        row["shift"] or "",
        row["staff"] or "",
        row["auditor"] or "",
        pair,
    ]
    if doc is None:
        return [*cells, _cell(row["score"])]
    answers = row["answers"]
    answers = msgspec.json.decode(answers) if isinstance(answers, str) else answers or {}
    keys = [item.key for item in doc.items() if item.type is not ItemType.photo]
    return [*cells, *(_cell(answers.get(key)) for key in keys)]


def _where(checklist: str | None, start: dt.date | None, end: dt.date | None) -> list:
    where = [Audit.status == Audit.Status.published]
    if checklist is not None:
        where.append(Audit.version._.checklist._.slug == checklist)
    # A day either side in UTC; the exact cut is on the branch-local date (``_within``).
    if start is not None:
        where.append(Audit.visited_at >= _utc(start - dt.timedelta(days=1)))
    if end is not None:
        where.append(Audit.visited_at < _utc(end + dt.timedelta(days=2)))
    return where


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _within(row: dict, start: dt.date | None, end: dt.date | None) -> bool:
    day = row["visited_at"].astimezone(ZoneInfo(row["timezone"])).date()
    return (start is None or day >= start) and (end is None or day <= end)


async def export_audits(
    *,
    checklist: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: Progress | None = None,
) -> tuple[str, int]:
    """The CSV text and how many audits it holds, oldest visit first; ``start`` and ``end``
    are branch-local dates, both included."""
    doc = None
    if checklist is not None:
        try:
            doc = (await checklist_queries.get_version(checklist))[1]
        except checklist_queries.ChecklistError as error:
            raise AuditImportError(str(error)) from None
    where = _where(checklist, start, end)
    total = await Audit.count().where(*where) if progress else 0
    out = io.StringIO()
    writer = GuardedWriter(out, lineterminator="\n")
    writer.writerow(_header(doc))
    written = read = 0
    while True:
        page = await (
            Audit.select(*_SELECT)
            .where(*where)
            .order_by(Audit.visited_at, Audit.id)
            .limit(PAGE)
            .offset(read)
        )
        rows = [row for row in page if _within(row, start, end)]
        writer.writerows(_record(row, doc) for row in rows)
        written, read = written + len(rows), read + len(page)
        if progress:
            progress(read, total)
        if len(page) < PAGE:
            return out.getvalue(), written
