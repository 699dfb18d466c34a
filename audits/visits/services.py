"""Planned visits, written: planned by hand, a generated plan saved whole, claimed by a
shopper (one winner), cancelled. Reads are in ``selectors``; the shapes in ``schemas``."""

from __future__ import annotations

import datetime as dt

from audits.tables import Branch, Channel, Profile, Role, Shift, Visit
from audits.visits.plan_types import Plan, PlanRules
from audits.visits.planning import Window, claim_conflict
from audits.visits.schemas import (
    VisitCreate,
    VisitError,
    VisitNotAllowed,
    VisitOut,
    VisitTaken,
)
from audits.visits.selectors import get_visit
from checklists.tables import ChecklistTemplate

BATCH = 300


def _db():
    return Visit._meta.db


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
