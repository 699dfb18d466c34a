"""Planned visits, read: listed with their state for the shopper (on the branch's local date),
one by id, the open ones a shopper may claim, the inputs of the plan generator, and coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from audits.tables import Branch, Profile, Role, Shift, Visit
from audits.visits.coverage_reads import CELL_COUNTS
from audits.visits.plan_types import PlanBranch, PlanShift, PlanShopper
from audits.visits.planning import CellGap, Coverage, CoverageVisit, coverage, visit_state
from audits.visits.schemas import VisitFilters, VisitNotFound, VisitOut

MAX_LISTED = 1000


def local_today(now: dt.datetime, timezone: str) -> dt.date:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(dt.UTC).date()


_COLUMNS = (
    Visit.id,
    Visit.branch.code.as_alias("branch"),
    Visit.branch.name.as_alias("branch_name"),
    Visit.branch.timezone.as_alias("timezone"),
    Visit.channel,
    Visit.checklist.slug.as_alias("checklist"),
    Visit.window_start,
    Visit.window_end,
    Visit.shift.name.as_alias("shift"),
    Visit.shopper.username.as_alias("shopper"),
    Visit.status,
    Visit.plan,
)


def _out(row: dict, now: dt.datetime) -> VisitOut:
    today = local_today(now, row["timezone"])
    state = visit_state(row["status"], row["window_start"], row["window_end"], today)
    fields = {k: v for k, v in row.items() if k != "timezone"}
    return VisitOut(**fields, state=state)


def _where(filters: VisitFilters) -> list:
    conditions = []
    if filters.shopper_id is not None:
        conditions.append(Visit.shopper == filters.shopper_id)
    if filters.open:
        conditions.append(Visit.shopper.is_null())
    if filters.branch:
        conditions.append(Visit.branch.code == filters.branch)
    if filters.shopper:
        conditions.append(Visit.shopper.username == filters.shopper)
    if filters.start:
        conditions.append(Visit.window_end >= filters.start)
    if filters.end:
        conditions.append(Visit.window_start <= filters.end)
    if filters.plan:
        conditions.append(Visit.plan == filters.plan)
    return conditions


async def list_visits(filters: VisitFilters, now: dt.datetime) -> list[VisitOut]:
    """Visits in window order (at most ``MAX_LISTED``), each with its state at ``now``."""
    query = Visit.select(*_COLUMNS).order_by(Visit.window_start, Visit.id).limit(MAX_LISTED)
    for condition in _where(filters):
        query = query.where(condition)
    visits = [_out(row, now) for row in await query]
    return [v for v in visits if filters.state in (None, v.state)]


async def list_open_visits(now: dt.datetime) -> list[VisitOut]:
    """Visits nobody has taken whose window has not passed: what a shopper may claim."""
    visits = await list_visits(VisitFilters(open=True), now)
    return [v for v in visits if v.state in ("due", "upcoming")]


async def get_visit(visit_id: int, now: dt.datetime) -> VisitOut:
    row = await Visit.select(*_COLUMNS).where(Visit.id == visit_id).first()
    if row is None:
        raise VisitNotFound(f"No visit {visit_id}.")
    return _out(row, now)


async def planning_inputs(
    barred: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[PlanBranch], list[PlanShift], list[PlanShopper]]:
    """Active branches, shifts and active shoppers, as the plan generator takes them."""
    branches = [
        PlanBranch(r["code"], r["region"], r["timezone"])
        for r in await Branch.select(
            Branch.code, Branch.region.code.as_alias("region"), Branch.timezone
        )
        .where(Branch.active == True)  # noqa: E712
        .order_by(Branch.code)
    ]
    shifts = [
        PlanShift(r["name"], r["branch"])
        for r in await Shift.select(Shift.name, Shift.branch.code.as_alias("branch")).order_by(
            Shift.start_minute
        )
    ]
    rows = await Profile.select(Profile.user.username.as_alias("username")).where(
        (Profile.role == Role.shopper.value) & (Profile.user.active == True)  # noqa: E712
    )
    barred = barred or {}
    names = sorted(r["username"] for r in rows)
    shoppers = [PlanShopper(name, barred=tuple(barred.get(name, ()))) for name in names]
    return branches, shifts, shoppers


async def coverage_between(start: dt.date, end: dt.date, weekday_gaps: bool = True) -> Coverage:
    """Visits whose window starts from ``start`` to ``end``, per branch × shift × weekday
    (``weekday_gaps`` as :func:`planning.coverage`'s)."""
    rows = await Visit.select(
        Visit.branch.code.as_alias("branch"),
        Visit.window_start,
        Visit.shift.name.as_alias("shift"),
        Visit.status,
    ).where((Visit.window_start >= start) & (Visit.window_start <= end))
    visits = [CoverageVisit(r["branch"], r["window_start"], r["shift"], r["status"]) for r in rows]
    branches, shifts, _ = await planning_inputs()
    return coverage(visits, branches, shifts, weekday_gaps)


# Those of the cells (coverage_reads.CELL_COUNTS) with no visit done in the window, most urgent
# first (nothing even planned), counted. Parameters: the window's start and end twice, the limit.
# In SQL because a chain has 15,000 cells and the office's home wants ten of them and the count.
_UNVISITED = (
    CELL_COUNTS
    + """
SELECT c.branch, c.shift, c.planned, COUNT(*) OVER () AS total
FROM cell_counts c
WHERE c.done = 0
ORDER BY CASE WHEN c.planned > 0 THEN 1 ELSE 0 END, c.branch, COALESCE(c.shift, '')
LIMIT {}
"""
)


async def unvisited_between(start: dt.date, end: dt.date, limit: int) -> tuple[list[CellGap], int]:
    """The first ``limit`` of :func:`planning.unvisited_cells` over the visits whose window
    starts from ``start`` to ``end``, and how many there are in all."""
    rows = await Visit.raw(_UNVISITED, start, end, start, end, limit)
    gaps = [CellGap(r["branch"], r["shift"], int(r["planned"])) for r in rows]
    return gaps, int(rows[0]["total"]) if rows else 0
