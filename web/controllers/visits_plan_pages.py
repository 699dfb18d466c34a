"""Head office's plan generator (form → preview → save) and the coverage page (branch × shift ×
weekday, with its gaps; a chain's summed up and paged, ``web.coverage_view``) and its CSV."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.visits import selectors as visits_selectors
from audits.visits import services as visits_services
from audits.visits.plan_requests import (
    PlanForm,
    month_of,
    plan_outlooks,
    propose_plan,
    shopper_loads,
)
from audits.visits.planning import WEEKDAYS, CoverageVisit, coverage
from audits.visits.precision import Knowledge
from audits.visits.schemas import VisitError
from reports.analysis_cache import AnalysisCache
from reports.services.planning import knowledge_for_planning
from web.auth import requires_office
from web.controllers.period_reports import provide_analyses
from web.controllers.visits_api import now
from web.controllers.visits_pages import form_choices
from web.coverage_view import PAGE_BRANCHES, coverage_csv_text, coverage_view, first_branches
from web.deps import Page
from web.i18n import N_, translatable

PREVIEW_ROWS = 60
CoverageRegion = Annotated[str | None, QueryParameter(name="region", max_length=100)]
CoveragePage = Annotated[int, QueryParameter(name="page", ge=1, le=1_000_000)]


class VisitPlanPagesController(Controller):
    path = "/visits"
    include_in_schema = False
    guards = [requires_office]
    dependencies = {"analyses": Provide(provide_analyses, sync_to_thread=False)}

    @get("/plan")
    async def plan_page(self, page: NamedDependency[Page]) -> Template:
        form = PlanForm.default(now().date())
        context = {"page": page, "form": form, "error": None, **await form_choices()}
        return Template("visits/plan.html", context=context)

    @post("/plan/preview")
    async def preview(
        self,
        page: NamedDependency[Page],
        analyses: NamedDependency[AnalysisCache],
        data: URLEncodedBody[PlanForm],
    ) -> Template:
        """The plan the settings give, with its coverage, load per shopper and what it is
        expected to buy beside an even plan of the same size; not saved."""
        context: dict[str, Any] = {"page": page, "form": data, **await form_choices()}
        knowledge = await knowledge_for_planning(analyses)
        try:
            plan = await propose_plan(data, now().date(), knowledge)
        except VisitError as error:
            context["error"] = str(error)
            return Template("visits/plan.html", context=context, status_code=422)
        branches, shifts, _ = await visits_selectors.planning_inputs()
        cells = [CoverageVisit(v.branch, v.date, v.shift) for v in plan.visits]
        context |= {
            "error": None,
            "plan": plan,
            "rows": plan.visits[:PREVIEW_ROWS],
            "loads": shopper_loads(plan),
            **first_branches(coverage(cells, branches, shifts), PAGE_BRANCHES),
            "weekdays": WEEKDAYS,
            "outlooks": plan_outlooks(plan, knowledge) if knowledge else None,
        }
        return Template("visits/plan.html", context=context)

    @post("/plan/save")
    async def save(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        analyses: NamedDependency[AnalysisCache],
        data: URLEncodedBody[PlanForm],
    ) -> Template | Redirect:
        """Generate again from the same settings (the same seed and the same published
        visits give the same plan) and store every visit in one transaction."""
        assert page.user is not None
        knowledge: Knowledge | None = await knowledge_for_planning(analyses)
        try:
            plan = await propose_plan(data, now().date(), knowledge)
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
        region: CoverageRegion = None,
        number: CoveragePage = 1,
    ) -> Template:
        """Planned and done visits per branch × shift × weekday; empty cells are the gaps.
        A chain's page sums its cells up per region, names the branches to see to first and
        shows its matrix ``PAGE_BRANCHES`` branches a page (of one region, if asked)."""
        start, end = _period(start, end)
        context = {
            "page": page,
            "start": start,
            "end": end,
            "weekdays": WEEKDAYS,
            **await coverage_view(start, end, region or None, number),
        }
        return Template("visits/coverage.html", context=context)

    @get("/coverage.csv")
    async def coverage_csv(
        self,
        page: NamedDependency[Page],
        start: FromQuery[dt.date | None] = None,
        end: FromQuery[dt.date | None] = None,
    ) -> Response:
        """Every branch × shift cell of the period: its visits planned and done, and per
        weekday."""
        start, end = _period(start, end)
        return Response(
            await coverage_csv_text(start, end, page),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="coverage-{start}-{end}.csv"'},
        )


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The coverage page's and its CSV's period: this month unless told otherwise."""
    default_start, default_end = month_of(now().date())
    return start or default_start, end or default_end
