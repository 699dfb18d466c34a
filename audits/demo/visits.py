"""The demo's visit plan: five weeks around the demo's last day (``org.start + org.days``, today
when ``evenly demo`` runs), made by the plan generator. Past visits are done, except a few left
overdue (all of the demo ``shopper``'s, so that login sees some); every fifth future visit is
open for shoppers to claim. Loaded once: a stored plan named ``demo`` means nothing is added."""

from __future__ import annotations

import datetime as dt

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.demo.generator import DemoOrganisation
from audits.tables import Branch, Shift, Visit
from audits.visits.plan_types import PlanBranch, PlanRules, PlanShift, PlanShopper
from audits.visits.planning import generate_plan

DEMO_PLAN = "demo"
DEMO_SHOPPER = "shopper"
DEMO_CHECKLIST = "service-fundamentals"
WEEKS_BACK, WEEKS_AHEAD, VISITS_PER_BRANCH = 1, 4, 6


class DemoVisit(msgspec.Struct, frozen=True):
    branch: str
    date: dt.date
    shift: str | None
    shopper: str | None
    status: str


def demo_plan(org: DemoOrganisation) -> list[DemoVisit]:
    """The demo's visits (pure: the organisation's seed and last day decide them)."""
    today = org.start + dt.timedelta(days=org.days)
    start = today - dt.timedelta(weeks=WEEKS_BACK)
    plan = generate_plan(
        [PlanBranch(b.code, b.region, b.timezone) for b in org.branches],
        [PlanShift(s.name) for s in org.shifts],
        [PlanShopper(u.username, u.regions) for u in org.users if u.role == "shopper"],
        start=start,
        end=today + dt.timedelta(weeks=WEEKS_AHEAD, days=-1),
        today=start,
        visits_per_branch=VISITS_PER_BRANCH,
        rules=PlanRules(min_days_apart=14, daily_cap=1),
        seed=org.seed,
    )
    visits = []
    for n, v in enumerate(plan.visits):
        past = v.date < today
        overdue = past and (v.shopper == DEMO_SHOPPER or n % 4 == 0)
        status = "done" if past and not overdue else "planned"
        shopper = None if not past and n % 5 == 0 else v.shopper
        visits.append(DemoVisit(v.branch, v.date, v.shift, shopper, status))
    return visits


async def load_demo_visits(org: DemoOrganisation, checklist_id: int) -> int:
    """Store the demo plan unless it is there; return how many visits were added."""
    if await Visit.exists().where(Visit.plan == DEMO_PLAN):
        return 0
    branches = {r["code"]: r["id"] for r in await Branch.select(Branch.id, Branch.code)}
    shifts = {
        r["name"]: r["id"]
        for r in await Shift.select(Shift.id, Shift.name).where(Shift.branch.is_null())
    }
    users = {r["username"]: r["id"] for r in await BaseUser.select(BaseUser.id, BaseUser.username)}
    rows = [
        Visit(
            branch=branches[v.branch],
            checklist=checklist_id,
            window_start=v.date,
            window_end=v.date,
            shift=shifts.get(v.shift) if v.shift else None,
            shopper=users[v.shopper] if v.shopper else None,
            status=v.status,
            plan=DEMO_PLAN,
            created_by="demo",
        )
        for v in demo_plan(org)
    ]
    for start in range(0, len(rows), 300):
        await Visit.insert(*rows[start : start + 300])
    return len(rows)
