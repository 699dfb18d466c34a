"""The branch report (its manager, head office) and head office's report: page, PDF, CSV.

Each handler reads its query, asks ``reports.services`` for the report and renders it; who may
read what, and the errors, are the builders' (mapped to statuses in ``web/errors.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, ServiceUnavailableException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from audits.tables import Role
from reports import report_data
from reports.analysis_cache import AnalysisCache
from reports.report_data import Filters
from reports.report_model import Report
from reports.sections.standing import LeaguePage
from reports.services.branch import build_branch
from reports.services.headoffice import build_headoffice
from reports.services.period import analysis_ready
from web.auth import requires_role
from web.controllers.jobs_api import JobOut, job_out
from web.deps import Page
from web.jobs import (
    JobFailed,
    branch_pdf_is_job,
    defer_branch_pdf,
    defer_headoffice_pdf,
    defer_period_analysis,
    wait_for,
)
from web.report_views import csv_response, pdf_response, query_string, report_page, translator

PDF_FAILED = "The PDF could not be made. Try again in a moment."  # in the catalogs (report.html)
PDF_WAIT = 600.0
"""Seconds a request for the PDF without JavaScript waits for its job."""
From = Annotated[dt.date | None, QueryParameter(name="from")]
To = Annotated[dt.date | None, QueryParameter(name="to")]
LeaguePageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=1_000_000)]
LeagueRegion = Annotated[str | None, QueryParameter(name="league_region", max_length=100)]


def headoffice_filters(
    start: From = None,
    end: To = None,
    region: FromQuery[str | None] = None,
    channel: FromQuery[str | None] = None,
    checklist: FromQuery[str | None] = None,
) -> Filters:
    """The head-office report's filters from the query, shared by its page, PDF and CSV."""
    return Filters(
        start=start,
        end=end,
        region=region or None,
        channel=channel or None,
        checklist=checklist or None,
    )


def provide_analyses(state: State) -> AnalysisCache:
    """The app's last few analyses: a page, its PDF and its CSVs share one."""
    return state.analyses


async def _branch(page: Page, analyses: AnalysisCache, code: str, filters: Filters) -> Report:
    return await build_branch(
        code, filters, page.viewer, lang=page.lang, _=translator(page.lang), analyses=analyses
    )


async def _headoffice(
    page: Page,
    analyses: AnalysisCache,
    filters: Filters,
    league: LeaguePage | None = None,
    csv: str | None = None,
) -> Report:
    return await build_headoffice(
        filters,
        page.viewer,
        lang=page.lang,
        _=translator(page.lang),
        analyses=analyses,
        league_page=league,
        csv=csv,
    )


async def _analysing(page: Page, analyses: AnalysisCache, filters: Filters) -> Template | None:
    """A page that follows the fit of the period's analysis by a worker, when it is large and
    no process has it yet (the page reloads itself into the report); None: build it now."""
    if await analysis_ready(filters, analyses):
        return None
    job = await defer_period_analysis(filters)
    return Template("reports/analysing.html", context={"page": page, "job": job})


async def _waited_pdf(job_id: int) -> Response:
    try:
        found = await wait_for(job_id, timeout=PDF_WAIT)
    except JobFailed as error:
        raise HTTPException(status_code=500, detail=PDF_FAILED) from error
    if found is None:
        raise ServiceUnavailableException(PDF_FAILED)
    pdf, filename = found
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class BranchReportController(Controller):
    path = "/reports/branches"
    include_in_schema = False
    guards = [requires_role(Role.manager, Role.office)]
    dependencies = {"analyses": Provide(provide_analyses, sync_to_thread=False)}

    @get("/{code:str}")
    async def branch_page(
        self,
        page: NamedDependency[Page],
        analyses: NamedDependency[AnalysisCache],
        code: FromPath[str],
        start: From = None,
        end: To = None,
    ) -> Template:
        filters = Filters(start=start, end=end)
        if (waiting := await _analysing(page, analyses, filters)) is not None:
            return waiting
        report = await _branch(page, analyses, code, filters)
        return report_page(
            report,
            page,
            f"/reports/branches/{code}",
            query_string({"from": start, "to": end}),
            filters=filters,
            pdf_job=branch_pdf_is_job(report),
        )

    @get("/{code:str}/pdf")
    async def branch_pdf(
        self,
        page: NamedDependency[Page],
        analyses: NamedDependency[AnalysisCache],
        code: FromPath[str],
        start: From = None,
        end: To = None,
    ) -> Response:
        """A small branch's PDF, made now; a large one's made by a worker while this request
        waits (the link without JavaScript; the page's button follows the job instead)."""
        filters = Filters(start=start, end=end)
        report = await _branch(page, analyses, code, filters)
        if not branch_pdf_is_job(report):
            return await pdf_response(report, f"branch-{code}", translator(page.lang))
        job = await defer_branch_pdf(code, filters, page.viewer, page.lang)
        return await _waited_pdf(job.id)

    @post("/{code:str}/pdf/job", status_code=202)
    async def branch_pdf_job(
        self,
        page: NamedDependency[Page],
        code: FromPath[str],
        start: From = None,
        end: To = None,
    ) -> JobOut:
        """Ask for the PDF as a job: its id and where to follow it (``/api/jobs/{id}``)."""
        filters = Filters(start=start, end=end)
        return job_out(await defer_branch_pdf(code, filters, page.viewer, page.lang), page.viewer)

    @get("/{code:str}/csv/{key:str}")
    async def branch_csv(
        self,
        page: NamedDependency[Page],
        analyses: NamedDependency[AnalysisCache],
        code: FromPath[str],
        key: FromPath[str],
        start: From = None,
        end: To = None,
    ) -> Response:
        report = await _branch(page, analyses, code, Filters(start=start, end=end))
        return csv_response(report, key, f"branch-{code}")


class HeadOfficeReportController(Controller):
    path = "/reports/headoffice"
    include_in_schema = False
    guards = [requires_role(Role.office)]

    dependencies = {
        "filters": Provide(headoffice_filters, sync_to_thread=False),
        "analyses": Provide(provide_analyses, sync_to_thread=False),
    }

    @get("/")
    async def headoffice_page(
        self,
        page: NamedDependency[Page],
        filters: NamedDependency[Filters],
        analyses: NamedDependency[AnalysisCache],
        league_page: LeaguePageNumber = 1,
        league_region: LeagueRegion = None,
    ) -> Template:
        """The report with one page of its league table (``?page=N``, 50 ranks a page),
        narrowed to one region's branches with ``?league_region=CODE``; over a large period
        whose analysis no process has yet, a page following its fit (``_analysing``)."""
        if (waiting := await _analysing(page, analyses, filters)) is not None:
            return waiting
        kept = {
            "from": filters.start,
            "to": filters.end,
            "region": filters.region,
            "channel": filters.channel,
            "checklist": filters.checklist,
        }
        query = query_string(kept)

        def league_href(number: int, region: str | None) -> str:
            wanted = {**kept, "page": number, "league_region": region}
            return "/reports/headoffice" + query_string(wanted) + "#league"

        league = LeaguePage(league_page, league_href, league_region or None)
        report = await _headoffice(page, analyses, filters, league)
        choices = {
            "regions": await report_data.regions(),
            "channels": await report_data.channels(),
            "checklists": await report_data.checklist_slugs(),
        }
        return report_page(
            report,
            page,
            "/reports/headoffice",
            query,
            filters=filters,
            choices=choices,
            pdf_job=True,
        )

    @get("/pdf")
    async def headoffice_pdf(
        self, page: NamedDependency[Page], filters: NamedDependency[Filters]
    ) -> Response:
        """The PDF, made by a worker (``web.jobs``) while this request waits: the link
        without JavaScript. The page's button asks for the job instead and follows it."""
        job = await defer_headoffice_pdf(filters, page.viewer, page.lang)
        return await _waited_pdf(job.id)

    @post("/pdf/job", status_code=202)
    async def headoffice_pdf_job(
        self, page: NamedDependency[Page], filters: NamedDependency[Filters]
    ) -> JobOut:
        """Ask for the PDF as a job: its id and where to follow it (``/api/jobs/{id}``)."""
        return job_out(await defer_headoffice_pdf(filters, page.viewer, page.lang), page.viewer)

    @get("/csv/{key:str}")
    async def headoffice_csv(
        self,
        page: NamedDependency[Page],
        filters: NamedDependency[Filters],
        analyses: NamedDependency[AnalysisCache],
        key: FromPath[str],
    ) -> Response:
        report = await _headoffice(page, analyses, filters, csv=key)
        return csv_response(report, key, "headoffice")
