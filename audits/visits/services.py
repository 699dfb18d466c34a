"""Planned visits: create by hand, save a generated plan, list them with their state for the
shopper (on the branch's local date), claim open ones (one winner), cancel, count coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from audits.boundary.bounds import Code, Name, WithinCalendar
from audits.tables import Branch, Channel, Profile, Role, Shift, Visit
from audits.visits.planning import (
    Coverage,
    CoverageVisit,
    Plan,
    PlanBranch,
    PlanRules,
    PlanShift,
    PlanShopper,
    Window,
    claim_conflict,
    coverage,
    visit_state,
)
from checklists.tables import ChecklistTemplate

BATCH = 300
MAX_LISTED = 1000


class VisitError(Exception):
    """A visit could not be planned or changed; the message is for the user."""


class VisitNotFound(VisitError):
    pass


class VisitTaken(VisitError):
    """Claimed by someone else first, or no longer open."""


class VisitNotAllowed(VisitError):
    """Taking it would break the planning rules (days apart at one branch, visits a day)."""


class VisitOut(msgspec.Struct, frozen=True):
    """A visit as the shopper or head office sees it; ``shopper`` None means open to claim.
    ``state`` is ``upcoming``, ``due``, ``overdue``, ``done`` or ``cancelled``, on the branch's
    local date."""

    id: int
    branch: str
    branch_name: str
    channel: str
    checklist: str
    window_start: dt.date
    window_end: dt.date
    shift: str | None
    shopper: str | None
    status: str
    state: str
    plan: str = ""


class VisitCreate(WithinCalendar):
    """A visit planned by hand; ``window_end`` defaults to ``window_start``, ``shopper`` None
    leaves it open for shoppers to claim."""

    branch: Code
    checklist: Code
    window_start: dt.date
    window_end: dt.date | None = None
    shift: Name | None = None
    shopper: Name | None = None
    channel: Code = Channel.in_person.value


class VisitFilters(msgspec.Struct, frozen=True):
    """Which visits to list; every field narrows (``open``: only those without a shopper)."""

    shopper_id: int | None = None
    open: bool = False
    branch: str | None = None
    shopper: str | None = None
    state: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    plan: str | None = None


def local_today(now: dt.datetime, timezone: str) -> dt.date:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(dt.UTC).date()


def _db():
    return Visit._meta.db


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


async def claim_visit(visit_id: int, user_id: int, now: dt.datetime) -> VisitOut:
    """Take an open visit. One conditional UPDATE, so of two shoppers claiming at once exactly
    one wins; the other gets ``VisitTaken``. Claiming one's own visit again is a no-op."""
    visit = await get_visit(visit_id, now)
    if visit.state not in ("due", "upcoming"):
        raise VisitTaken(f"Visit {visit_id} is {visit.state}; it can no longer be claimed.")
    if visit.shopper is None:
        await _check_claim_rules(visit, user_id)
    await Visit.update({Visit.shopper: user_id}).where(
        (Visit.id == visit_id) & Visit.shopper.is_null() & (Visit.status == "planned")
    )
    row = await Visit.select(Visit.shopper).where(Visit.id == visit_id).first()
    if row is None or row["shopper"] != user_id:
        raise VisitTaken(f"Visit {visit_id} was taken by another shopper.")
    return await get_visit(visit_id, now)


async def _check_claim_rules(visit: VisitOut, user_id: int) -> None:
    rows = await Visit.select(
        Visit.branch.code.as_alias("branch"), Visit.window_start, Visit.window_end
    ).where((Visit.shopper == user_id) & (Visit.status != "cancelled"))
    theirs = [Window(r["branch"], r["window_start"], r["window_end"]) for r in rows]
    wanted = Window(visit.branch, visit.window_start, visit.window_end)
    reason = claim_conflict(wanted, theirs, PlanRules())
    if reason:
        raise VisitNotAllowed(reason)


async def cancel_visit(visit_id: int, now: dt.datetime) -> VisitOut:
    """Cancel a planned visit; a done one stays done."""
    visit = await get_visit(visit_id, now)
    if visit.status == "done":
        raise VisitError(f"Visit {visit_id} is done; it cannot be cancelled.")
    await Visit.update({Visit.status: "cancelled"}).where(
        (Visit.id == visit_id) & (Visit.status == "planned")
    )
    return await get_visit(visit_id, now)


async def _branch_ids(codes: set[str]) -> dict[str, int]:
    rows = await Branch.select(Branch.id, Branch.code).where(Branch.code.is_in(list(codes)))
    found = {r["code"]: r["id"] for r in rows}
    if missing := codes - set(found):
        raise VisitError(f"No branch {', '.join(sorted(missing))}.")
    return found


async def _shift_ids() -> dict[tuple[str, int | None], int]:
    rows = await Shift.select(Shift.id, Shift.name, Shift.branch)
    return {(r["name"], r["branch"]): r["id"] for r in rows}


def _shift_id(shifts: dict, name: str | None, branch_id: int) -> int | None:
    if not name:
        return None
    found = shifts.get((name, branch_id)) or shifts.get((name, None))
    if found is None:
        raise VisitError(f"No shift {name!r} at this branch.")
    return found


async def _shopper_ids(names: set[str]) -> dict[str, int]:
    rows = await Profile.select(
        Profile.user.id.as_alias("id"), Profile.user.username.as_alias("username")
    ).where(Profile.user.username.is_in(list(names)) & (Profile.role == Role.shopper.value))
    found = {r["username"]: r["id"] for r in rows}
    if missing := names - set(found):
        raise VisitError(f"No shopper {', '.join(sorted(missing))}.")
    return found


async def _checklist_id(slug: str) -> int:
    row = await ChecklistTemplate.select(ChecklistTemplate.id, ChecklistTemplate.retired_at).where(
        ChecklistTemplate.slug == slug
    )
    if not row or row[0]["retired_at"] is not None:
        raise VisitError(f"No checklist {slug!r} in use.")
    return row[0]["id"]


def _check_channel(channel: str) -> None:
    if channel not in {c.value for c in Channel}:
        raise VisitError(f"Unknown channel {channel!r}.")


async def create_visit(data: VisitCreate, *, by: str, now: dt.datetime) -> VisitOut:
    """Plan one visit by hand."""
    end = data.window_end or data.window_start
    if end < data.window_start:
        raise VisitError("The window ends before it starts.")
    _check_channel(data.channel)
    branch = (await _branch_ids({data.branch}))[data.branch]
    shopper = (await _shopper_ids({data.shopper}))[data.shopper] if data.shopper else None
    row = Visit(
        branch=branch,
        channel=data.channel,
        checklist=await _checklist_id(data.checklist),
        window_start=data.window_start,
        window_end=end,
        shift=_shift_id(await _shift_ids(), data.shift, branch),
        shopper=shopper,
        created_by=by,
    )
    await row.save()
    return await get_visit(row.id, now)


async def save_plan(plan: Plan, *, checklist: str, channel: str, label: str, by: str) -> int:
    """Store a generated plan in one transaction: all of its visits or none. ``label`` names
    the plan and must be new (a second save of the same plan is refused)."""
    _check_channel(channel)
    if not label.strip():
        raise VisitError("Name the plan.")
    if await Visit.exists().where(Visit.plan == label):
        raise VisitError(f"A plan named {label!r} is already saved.")
    checklist_id = await _checklist_id(checklist)
    branches = await _branch_ids({v.branch for v in plan.visits})
    shoppers = await _shopper_ids({v.shopper for v in plan.visits if v.shopper})
    shifts = await _shift_ids()
    rows = [
        Visit(
            branch=branches[v.branch],
            channel=channel,
            checklist=checklist_id,
            window_start=v.date,
            window_end=v.date,
            shift=_shift_id(shifts, v.shift, branches[v.branch]),
            shopper=shoppers[v.shopper] if v.shopper else None,
            plan=label,
            created_by=by,
        )
        for v in plan.visits
    ]
    async with _db().transaction():
        for start in range(0, len(rows), BATCH):
            await Visit.insert(*rows[start : start + BATCH])
    return len(rows)


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


async def coverage_between(start: dt.date, end: dt.date) -> Coverage:
    """Visits whose window starts from ``start`` to ``end``, per branch × shift × weekday."""
    rows = await Visit.select(
        Visit.branch.code.as_alias("branch"),
        Visit.window_start,
        Visit.shift.name.as_alias("shift"),
        Visit.status,
    ).where((Visit.window_start >= start) & (Visit.window_start <= end))
    visits = [CoverageVisit(r["branch"], r["window_start"], r["shift"], r["status"]) for r in rows]
    branches, shifts, _ = await planning_inputs()
    return coverage(visits, branches, shifts)
