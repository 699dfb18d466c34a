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
from audits.visits.plan_types import Plan, PlanRules
from audits.visits.planning import generate_plan
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


async def propose_plan(form: PlanForm, today: dt.date) -> Plan:
    """Read the form and run the generator (nothing is saved); ``VisitError`` names what is
    wrong, field first."""
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
    return generate_plan(
        branches, shifts, shoppers, start=start, end=end, today=today,
        visits_per_branch=per_branch, rules=rules, seed=_number(form.seed, "Seed", 0, 10**9),
    )  # fmt: skip


def shopper_loads(plan: Plan) -> list[tuple[str, int]]:
    """(shopper, visits) for each shopper the plan gives visits to, by name; open visits (no
    shopper yet) are left out."""
    loads = Counter(v.shopper for v in plan.visits if v.shopper)
    return sorted(loads.items())
