"""Head office's plan generator (form → preview → save) and the coverage page (branch × shift ×
weekday, with its gaps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.boundary.bounds import date_problem
from audits.tables import Channel
from audits.visits import selectors as visits_selectors
from audits.visits import services as visits_services
from audits.visits.plan_types import Plan, PlanRules
from audits.visits.planning import WEEKDAYS, CoverageVisit, coverage, generate_plan
from audits.visits.schemas import VisitError
from web.auth import requires_office
from web.controllers.visits_api import now
from web.controllers.visits_pages import form_choices
from web.deps import Page
from web.i18n import N_, translatable

PREVIEW_ROWS = 60


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def _next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    return _month(_month(today)[1] + dt.timedelta(days=1))


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


async def build_plan(form: PlanForm, today: dt.date) -> Plan:
    """Read the form and run the generator; ``VisitError`` names what is wrong."""
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
    branches, shifts, shoppers = await visits_selectors.planning_inputs(_bars(form.barred))
    if not branches or not shoppers:
        raise VisitError("There are no branches or no shoppers to plan with.")
    return generate_plan(
        branches, shifts, shoppers, start=start, end=end, today=today,
        visits_per_branch=per_branch, rules=rules, seed=_number(form.seed, "Seed", 0, 10**9),
    )  # fmt: skip


class VisitPlanPagesController(Controller):
    path = "/visits"
    include_in_schema = False
    guards = [requires_office]

    @get("/plan")
    async def plan_page(self, page: NamedDependency[Page]) -> Template:
        form = PlanForm.default(now().date())
        context = {"page": page, "form": form, "error": None, **await form_choices()}
        return Template("visits/plan.html", context=context)

    @post("/plan/preview")
    async def preview(
        self, page: NamedDependency[Page], data: URLEncodedBody[PlanForm]
    ) -> Template:
        """The plan the settings give, with its coverage and load per shopper; not saved."""
        context: dict[str, Any] = {"page": page, "form": data, **await form_choices()}
        try:
            plan = await build_plan(data, now().date())
        except VisitError as error:
            context["error"] = str(error)
            return Template("visits/plan.html", context=context, status_code=422)
        branches, shifts, _ = await visits_selectors.planning_inputs()
        cells = [CoverageVisit(v.branch, v.date, v.shift) for v in plan.visits]
        loads: dict[str, int] = {}
        for v in plan.visits:
            loads[v.shopper or ""] = loads.get(v.shopper or "", 0) + 1
        context |= {
            "error": None,
            "plan": plan,
            "rows": plan.visits[:PREVIEW_ROWS],
            "loads": sorted((k, n) for k, n in loads.items() if k),
            "coverage": coverage(cells, branches, shifts),
            "weekdays": WEEKDAYS,
        }
        return Template("visits/plan.html", context=context)

    @post("/plan/save")
    async def save(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[PlanForm],
    ) -> Template | Redirect:
        """Generate again from the same settings (the same seed gives the same plan) and store
        every visit in one transaction."""
        assert page.user is not None
        try:
            plan = await build_plan(data, now().date())
            saved = await visits_services.save_plan(
                plan, checklist=data.checklist, channel=data.channel, label=data.label.strip(),
                by=page.user.username,
            )  # fmt: skip
        except VisitError as error:
            context = {"page": page, "form": data, "error": str(error), **await form_choices()}
            return Template("visits/plan.html", context=context, status_code=422)
        flash(
            request,
            translatable(
                N_("Saved plan %(label)s: %(saved)s visits."), label=data.label.strip(), saved=saved
            ),
            "ok",
        )
        return Redirect(f"/visits/coverage?start={data.start}&end={data.end}")

    @get("/coverage")
    async def coverage_page(
        self,
        page: NamedDependency[Page],
        start: FromQuery[dt.date | None] = None,
        end: FromQuery[dt.date | None] = None,
    ) -> Template:
        """Planned and done visits per branch × shift × weekday; empty cells are the gaps."""
        default_start, default_end = _month(now().date())
        start, end = start or default_start, end or default_end
        context = {
            "page": page,
            "start": start,
            "end": end,
            "coverage": await visits_selectors.coverage_between(start, end),
            "weekdays": WEEKDAYS,
        }
        return Template("visits/coverage.html", context=context)
