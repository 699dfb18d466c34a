"""What the reports read from the database, scoped to the reader. The only module of the
reports that touches Piccolo; the builders beside it are pure."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import msgspec
from piccolo.query.functions.aggregate import Max
from piccolo.query.methods.select import Select

from audits.fieldwork import selectors as fieldwork_selectors
from audits.fieldwork.disclosure import visit_time_format
from audits.fieldwork.rules import local_time
from audits.fieldwork.schemas import AuditNotFound, AuditOut
from audits.org.users import CurrentUser
from audits.tables import Audit, Branch, Evidence, OrgSettings, Region, Role
from checklists import queries as checklist_queries
from checklists.model import Checklist
from checklists.scoring import results_from

from .formatting import format_day, format_moment, format_zone
from .rows import AuditRow, audit_row


class VisitData(msgspec.Struct):
    audit: AuditOut
    doc: Checklist
    branch_name: str
    visited_local: str


async def load_visit(audit_id: uuid.UUID, user: CurrentUser, lang: str = "en") -> VisitData:
    """The audit as ``user`` may read it: a shopper their own, a manager the published audits
    of their branches, head office any. ``AuditNotFound`` otherwise."""
    audit = await fieldwork_selectors.get_audit(audit_id, user)
    if user.role is Role.shopper and audit.auditor != user.username:
        raise AuditNotFound(f"No audit {audit_id} of yours.")
    _, doc = await checklist_queries.get_version(audit.checklist, audit.version)
    branch = await fieldwork_selectors.branch_by_code(audit.branch)
    zone = branch["timezone"] if branch else "UTC"
    local = local_time(audit.visited_at, zone)
    exact = visit_time_format(user).endswith("%M")  # a manager reads the date alone
    visited = format_moment(local, lang) if exact else format_day(local, lang)
    return VisitData(
        audit,
        doc,
        branch["name"] if branch else audit.branch,
        f"{visited} ({format_zone(zone, lang)})",
    )


async def photo_uris(audit: AuditOut) -> dict[str, str]:
    """The audit's photos (photo items' answers, photos attached to items) as data URIs (the
    PDF cannot fetch them)."""
    ids = [str(v) for v in audit.answers.values() if isinstance(v, str) and len(v) == 36]
    ids += [str(ref) for refs in audit.photos.values() for ref in refs]
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    if not valid:
        return {}
    rows = await Evidence.select(Evidence.id, Evidence.content_type, Evidence.data).where(
        Evidence.id.is_in(valid)
    )
    return {
        str(r["id"]): f"data:{r['content_type']};base64,{base64.b64encode(r['data']).decode()}"
        for r in rows
    }


class Filters(msgspec.Struct, frozen=True):
    start: dt.date | None = None
    end: dt.date | None = None
    branch: str | None = None
    region: str | None = None
    channel: str | None = None
    checklist: str | None = None


_COLUMNS = (
    Audit.id,
    Audit.visited_at,
    Audit.channel,
    Audit.score,
    Audit.results,
    Audit.calibration_of,
    Audit.branch.code.as_alias("branch_code"),
    Audit.branch.name.as_alias("branch_name"),
    Audit.branch.timezone.as_alias("timezone"),
    Audit.branch._.region._.code.as_alias("region_code"),
    Audit.shift.name.as_alias("shift_name"),
    Audit.staff.code.as_alias("staff_code"),
    Audit.staff.name.as_alias("staff_name"),
    Audit.auditor.username.as_alias("auditor_name"),
    Audit.version._.checklist._.slug.as_alias("checklist_slug"),
)


async def load_rows(filters: Filters, *, staff_codes_only: bool = True) -> list[AuditRow]:
    """Published, scored audits matching ``filters``; ``start`` and ``end`` (inclusive) are
    dates on each branch's own clock, as its manager reads them. The one loader of audits for
    the reports and for ``evenly analyse``."""
    rows = await _published(Audit.select(*_COLUMNS), filters).order_by(Audit.visited_at)
    result = [_row(row, staff_codes_only) for row in rows]
    return [r for r in result if _within(r.local.date(), filters)]


class DatedScore(msgspec.Struct, frozen=True):
    """A published audit's branch, score and time on the branch's clock: all that the office's
    home reads of a quarter's visits (``reports.glance.consistency_moves``)."""

    branch: str
    local: dt.datetime
    score: float


async def load_scores(filters: Filters) -> list[DatedScore]:
    """:func:`load_rows`'s audits with three columns, not the results of every item."""
    query = Audit.select(
        Audit.visited_at,
        Audit.score,
        Audit.branch.code.as_alias("branch"),
        Audit.branch.timezone.as_alias("timezone"),
    )
    rows = await _published(query, filters)
    scores = (
        DatedScore(r["branch"], local_time(r["visited_at"], r["timezone"] or "UTC"), r["score"])
        for r in rows
    )
    return [s for s in scores if _within(s.local.date(), filters)]


def _published(query: Select, filters: Filters) -> Select:
    """``query`` narrowed to the published, scored audits of ``filters``, with a day of slack
    either side of its dates (time zones reach ±14 h): the exact cut is the caller's."""
    query = query.where(Audit.status == Audit.Status.published, Audit.score.is_not_null())
    if filters.start:
        since = dt.datetime.combine(filters.start - dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(Audit.visited_at >= since)
    if filters.end:
        until = dt.datetime.combine(filters.end + dt.timedelta(days=2), dt.time(), dt.UTC)
        query = query.where(Audit.visited_at < until)
    for value, column in (
        (filters.branch, Audit.branch.code),
        (filters.region, Audit.branch._.region._.code),
        (filters.channel, Audit.channel),
        (filters.checklist, Audit.version._.checklist._.slug),
    ):
        if value:
            query = query.where(column == value)
    return query


def _within(day: dt.date, filters: Filters) -> bool:
    return (filters.start is None or day >= filters.start) and (
        filters.end is None or day <= filters.end
    )


def _row(row: dict, staff_codes_only: bool) -> AuditRow:
    values = {
        "id": str(row["id"]),
        "branch": row["branch_code"],
        "branch_name": row["branch_name"],
        "region": row["region_code"] or "",
        "local": local_time(row["visited_at"], row["timezone"] or "UTC"),
        "shift": row["shift_name"] or "",
        "channel": row["channel"],
        "staff": row["staff_code"] or "",
        "staff_name": row["staff_name"],
        "auditor": row["auditor_name"] or "",
        "checklist": row["checklist_slug"],
        "score": row["score"],
        "calibration_of": str(row["calibration_of"]) if row["calibration_of"] else None,
    }
    return audit_row(values, results_from(row["results"]), staff_codes_only)


async def audits_fingerprint() -> tuple:
    """How many audits there are and the latest change to any: different after every filing,
    review, publication or import (``analysis_cache``)."""
    # Two queries, so that each is answered from an index (``audit_updated``), not the table.
    latest = await Audit.select(Max(Audit.updated_at)).first()
    return (await Audit.count(), str(latest["max"]) if latest else "")


async def staff_codes_only() -> bool:
    row = await OrgSettings.select(OrgSettings.staff_codes_only).first()
    return bool(row and row["staff_codes_only"])


async def branch_info(code: str) -> dict | None:
    return (
        await Branch.select(Branch.code, Branch.name, Branch.region.code.as_alias("region"))
        .where(Branch.code == code)
        .first()
    )


async def branch_names(codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = await Branch.select(Branch.code, Branch.name).where(Branch.code.is_in(codes))
    return {r["code"]: r["name"] for r in rows}


async def regions() -> list[dict]:
    return await Region.select(Region.code, Region.name).order_by(Region.code)


async def section_titles(lang: str) -> dict[str, str]:
    """Section key → title in ``lang``, over the published versions (latest wins)."""
    from checklists.model import text_in

    titles: dict[str, str] = {}
    for summary in await checklist_queries.list_checklists():
        if summary.published is None:
            continue
        _, doc = await checklist_queries.get_version(summary.slug, None)
        for section in doc.sections:
            titles[section.key] = text_in(section.title, lang)[0]
    return titles


async def channels() -> list[str]:
    rows = await Audit.select(Audit.channel).distinct().order_by(Audit.channel)
    return [r["channel"] for r in rows]


async def checklist_slugs() -> list[str]:
    return [s.slug for s in await checklist_queries.list_checklists() if s.published is not None]


async def item_titles(lang: str) -> dict[str, str]:
    """Item key → question in ``lang``, over the published versions."""
    from checklists.model import text_in

    titles: dict[str, str] = {}
    for summary in await checklist_queries.list_checklists():
        if summary.published is None:
            continue
        _, doc = await checklist_queries.get_version(summary.slug, None)
        titles.update({i.key: text_in(i.text, lang)[0] for i in doc.items()})
    return titles


async def branch_codes() -> list[str]:
    """Every branch's code, in order."""
    rows = await Branch.select(Branch.code).order_by(Branch.code)
    return [r["code"] for r in rows]
