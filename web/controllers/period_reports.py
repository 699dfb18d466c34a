"""The branch report (its manager, head office) and head office's report: page, PDF, CSV.

The analysis (a mixed-model fit) and the charts take CPU seconds, so both run in a worker
thread; the rows are read once and feed both the descriptive figures and the analysis.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import anyio.to_thread
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from audits.actions.selectors import recovery_facts
from audits.org.users import CurrentUser
from audits.tables import Role
from reports import report_data
from reports.analysis import analyse
from reports.analysis_cache import AnalysisCache
from reports.branch_report import BranchInput, branch_report
from reports.disclosure import branch_input_for
from reports.headoffice_report import headoffice_report
from reports.recovery import recovery_figures
from reports.report_data import Filters
from reports.report_model import Report
from reports.rows import frame_of
from web.auth import requires_role
from web.deps import Page
from web.report_views import csv_response, pdf_response, query_string, report_page, translator

From = Annotated[dt.date | None, QueryParameter(name="from")]
To = Annotated[dt.date | None, QueryParameter(name="to")]


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


def period_label(filters: Filters, _) -> str:
    if filters.start or filters.end:
        return f"{filters.start or '…'} – {filters.end or '…'}"
    return _("all published visits")


def provide_analyses(state: State) -> AnalysisCache:
    """The app's last few analyses: a page, its PDF and its CSVs share one."""
    return state.analyses


async def _analysed(filters: Filters, codes_only: bool, cache: AnalysisCache | None):
    async def compute():
        rows = await report_data.load_rows(filters, staff_codes_only=codes_only)
        analysis = await anyio.to_thread.run_sync(lambda: analyse(frame_of(rows)))
        return rows, analysis

    if cache is None:  # the CLI: one report, one analysis
        return await compute()
    fingerprint = await report_data.audits_fingerprint()
    return await cache.get((filters, codes_only), fingerprint, compute)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _may_read_branch(user: CurrentUser, code: str) -> None:
    if not user.is_office and code not in user.branches:
        raise PermissionDeniedException("You may read the reports of your own branches only.")


async def build_branch(
    code: str,
    filters: Filters,
    lang: str,
    user: CurrentUser,
    analyses: AnalysisCache | None = None,
) -> Report:
    _may_read_branch(user, code)
    info = await report_data.branch_info(code)
    if info is None:
        raise NotFoundException(f"No branch {code!r}.")
    rows, analysis = await _analysed(filters, await report_data.staff_codes_only(), analyses)
    _ = translator(lang)
    data = BranchInput(
        code=code,
        name=info["name"],
        rows=[r for r in rows if r.branch == code],
        org_rows=rows,
        findings=analysis.for_branch(code),
        section_titles=await report_data.section_titles(lang),
        item_titles=await report_data.item_titles(lang),
        period=period_label(filters, _),
        recovery=recovery_figures(await recovery_facts(user, now=_now(), branch=code)),
    )
    data = branch_input_for(data, user)  # what a manager may not learn goes here
    return branch_report(data, lang=lang, audit_href=lambda i: f"/reports/visits/{i}", _=_)


async def build_headoffice(
    filters: Filters, lang: str, user: CurrentUser, analyses: AnalysisCache | None = None
) -> Report:
    rows, analysis = await _analysed(filters, await report_data.staff_codes_only(), analyses)
    recovery = recovery_figures(await recovery_facts(user, now=_now()))
    _ = translator(lang)
    query = query_string({"from": filters.start, "to": filters.end})
    shown = [
        (label, value)
        for label, value in (
            (_("Region"), filters.region),
            (_("Channel"), filters.channel),
            (_("Checklist"), filters.checklist),
        )
        if value
    ]
    return headoffice_report(
        rows,
        analysis,
        period=period_label(filters, _),
        sections=await report_data.section_titles(lang),
        lang=lang,
        items=await report_data.item_titles(lang),
        branch_href=lambda b: f"/reports/branches/{b}{query}",
        filters=shown,
        recovery=recovery,
        _=_,
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
        assert page.user is not None
        filters = Filters(start=start, end=end)
        report = await build_branch(code, filters, page.lang, page.user, analyses)
        return report_page(
            report,
            page,
            f"/reports/branches/{code}",
            query_string({"from": start, "to": end}),
            filters=filters,
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
        assert page.user is not None
        report = await build_branch(
            code, Filters(start=start, end=end), page.lang, page.user, analyses
        )
        return await pdf_response(report, f"branch-{code}", translator(page.lang))

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
        assert page.user is not None
        report = await build_branch(
            code, Filters(start=start, end=end), page.lang, page.user, analyses
        )
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
    ) -> Template:
        report = await build_headoffice(filters, page.lang, page.viewer, analyses)
        query = query_string(
            {
                "from": filters.start,
                "to": filters.end,
                "region": filters.region,
                "channel": filters.channel,
                "checklist": filters.checklist,
            }
        )
        choices = {
            "regions": await report_data.regions(),
            "channels": await report_data.channels(),
            "checklists": await report_data.checklist_slugs(),
        }
        return report_page(
            report, page, "/reports/headoffice", query, filters=filters, choices=choices
        )

    @get("/pdf")
    async def headoffice_pdf(
        self,
        page: NamedDependency[Page],
        filters: NamedDependency[Filters],
        analyses: NamedDependency[AnalysisCache],
    ) -> Response:
        report = await build_headoffice(filters, page.lang, page.viewer, analyses)
        return await pdf_response(report, "headoffice", translator(page.lang))

    @get("/csv/{key:str}")
    async def headoffice_csv(
        self,
        page: NamedDependency[Page],
        filters: NamedDependency[Filters],
        analyses: NamedDependency[AnalysisCache],
        key: FromPath[str],
    ) -> Response:
        report = await build_headoffice(filters, page.lang, page.viewer, analyses)
        return csv_response(report, key, "headoffice")
