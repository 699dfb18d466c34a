"""A visit plan proposed from head office's settings: the form as typed, checked field by field,
then the generator run over the organisation's branches, shifts and shoppers (nothing saved;
``services.save_plan`` keeps one)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import msgspec

from audits.boundary.bounds import date_problem
from audits.tables import Channel
from audits.visits import selectors
from audits.visits.plan_types import Plan, PlanBranch, PlanRules
from audits.visits.planning import generate_plan
from audits.visits.precision import (
    BranchKnowledge,
    Knowledge,
    PlanOutlook,
    allocate,
    outlook,
    uniform_counts,
)
from audits.visits.schemas import VisitError


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def _next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    return month_of(month_of(today)[1] + dt.timedelta(days=1))


class PlanForm(msgspec.Struct):
    """The generator's settings, all as typed; ``barred`` has one ``shopper: B01 B02`` a line."""

    label: str = ""
    checklist: str = ""
    channel: str = Channel.in_person.value
    start: str = ""
    end: str = ""
    visits_per_branch: str = "6"
    min_days_apart: str = "14"
    daily_cap: str = "1"
    seed: str = "1"
    barred: str = ""
    allocation: str = "even"
    """``even``: the same visits per branch; ``precision``: the same budget where the
    analysis says it buys most certainty (``precision.allocate``)."""

    @classmethod
    def default(cls, today: dt.date) -> PlanForm:
        start, end = _next_month(today)
        return cls(label=f"{start:%Y-%m}", start=start.isoformat(), end=end.isoformat())


def _number(value: str, field: str, low: int, high: int) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise VisitError(f"{field}: give a whole number from {low} to {high}.")
    return int(value)


def _bars(text: str) -> dict[str, list[str]]:
    bars: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip():
            name, _, codes = line.partition(":")
            bars.setdefault(name.strip(), []).extend(codes.replace(",", " ").split())
    return bars


ALLOCATIONS = ("even", "precision")


def known_branches(codes: list[str], knowledge: Knowledge) -> Knowledge:
    """``knowledge`` for exactly ``codes``: a branch the analysis has not seen yet counts as
    the least known (its level the mean, its standard error twice the largest)."""
    by_code = {b.code: b for b in knowledge.branches}
    levels = [b.level for b in knowledge.branches] or [knowledge.standard]
    widest = max((b.se for b in knowledge.branches), default=10.0)
    unseen = BranchKnowledge("", sum(levels) / len(levels), 2 * widest)
    branches = [by_code.get(c) or msgspec.structs.replace(unseen, code=c) for c in codes]
    return msgspec.structs.replace(knowledge, branches=branches)


async def propose_plan(form: PlanForm, today: dt.date, knowledge: Knowledge | None = None) -> Plan:
    """Read the form and run the generator (nothing is saved); ``VisitError`` names what is
    wrong, field first. With ``allocation = precision`` the visits per branch come from
    ``knowledge`` (what the analysis of published visits knows), the same budget in all."""
    try:
        start, end = dt.date.fromisoformat(form.start), dt.date.fromisoformat(form.end)
    except ValueError:
        raise VisitError("Period: give the first and last day (YYYY-MM-DD).") from None
    if problem := date_problem(start) or date_problem(end):
        raise VisitError(f"Period: {problem}")
    if end < start or (end - start).days > 366:
        raise VisitError("Period: the last day must follow the first, within a year.")
    rules = PlanRules(
        _number(form.min_days_apart, "Days apart", 0, 365),
        _number(form.daily_cap, "Daily cap", 1, 20),
    )
    per_branch = _number(form.visits_per_branch, "Visits per branch", 1, 500)
    branches, shifts, shoppers = await selectors.planning_inputs(_bars(form.barred))
    if not branches or not shoppers:
        raise VisitError("There are no branches or no shoppers to plan with.")
    counts = None
    if form.allocation not in ALLOCATIONS:
        raise VisitError("Share the visits: choose evenly or where they buy most certainty.")
    if form.allocation == "precision":
        if knowledge is None:
            raise VisitError(
                "Share the visits: there is no analysis of published visits yet to plan by "
                "precision; share them evenly this time."
            )
        counts = allocate(per_branch * len(branches), _known(branches, knowledge))
    return generate_plan(
        branches, shifts, shoppers, start=start, end=end, today=today,
        visits_per_branch=per_branch, rules=rules, seed=_number(form.seed, "Seed", 0, 10**9),
        counts=counts,
    )  # fmt: skip


def _known(branches: list[PlanBranch], knowledge: Knowledge) -> Knowledge:
    return known_branches([b.code for b in branches], knowledge)


class PlanOutlooks(msgspec.Struct, frozen=True):
    """What a plan is expected to buy, beside an even plan of the same size."""

    plan: PlanOutlook
    even: PlanOutlook


def plan_outlooks(plan: Plan, knowledge: Knowledge) -> PlanOutlooks:
    """The plan's visits per branch against the same number shared evenly, each read through
    ``precision.outlook``."""
    planned = Counter(v.branch for v in plan.visits)
    codes = sorted({b.code for b in knowledge.branches} | set(planned))
    known = known_branches(codes, knowledge)
    even = uniform_counts(sum(planned.values()), codes)
    return PlanOutlooks(outlook(known, planned), outlook(known, even))


def shopper_loads(plan: Plan) -> list[tuple[str, int]]:
    """(shopper, visits) for each shopper the plan gives visits to, by name; open visits (no
    shopper yet) are left out."""
    loads = Counter(v.shopper for v in plan.visits if v.shopper)
    return sorted(loads.items())
