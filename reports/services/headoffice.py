"""Head office's report: every branch compared fairly, over a period and optional filters."""

from __future__ import annotations

from urllib.parse import urlencode

from audits.actions.selectors import recovery_facts
from audits.org.organisation import shift_names
from audits.org.users import CurrentUser
from reports import report_data
from reports.analysis_cache import AnalysisCache
from reports.errors import ReportForbidden
from reports.headoffice_report import headoffice_report
from reports.recovery import recovery_figures
from reports.report_data import Filters
from reports.report_model import Report, Translate
from reports.sections.standing import LeaguePage

from .period import Fitting, Reached, now, period_label, rows_and_analysis


def _period_query(filters: Filters) -> str:
    """The period as a query string, so a branch's link opens the same period."""
    kept = {k: v for k, v in (("from", filters.start), ("to", filters.end)) if v is not None}
    return f"?{urlencode(kept)}" if kept else ""


async def build_headoffice(
    filters: Filters,
    user: CurrentUser,
    *,
    lang: str,
    _: Translate,
    analyses: AnalysisCache | None = None,
    reached: Reached | None = None,
    fitting: Fitting | None = None,
    league_page: LeaguePage | None = None,
    csv: str | None = None,
) -> Report:
    """Head office's report over ``filters``, for head office only (``ReportForbidden``
    otherwise; the web's route guard refuses others first, with the same words). ``reached``
    and ``fitting`` as ``rows_and_analysis``'; ``league_page``: one page of the league table
    (the page's view; every branch without); ``csv``: the table whose CSV is asked for (a
    chain's tables in their CSV only have their rows built for it alone)."""
    if not user.is_office:
        raise ReportForbidden("Your role does not allow this.")
    rows, analysis = await rows_and_analysis(filters, analyses, reached, fitting)
    recovery = recovery_figures(await recovery_facts(user, now=now()))
    query = _period_query(filters)
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
        period=period_label(filters, _, lang),
        sections=await report_data.section_titles(lang),
        lang=lang,
        items=await report_data.item_titles(lang),
        shift_names=await shift_names(lang, _),
        branch_href=lambda b: f"/reports/branches/{b}{query}",
        filters=shown,
        recovery=recovery,
        league_page=league_page,
        csv=csv,
        region_names={r["code"]: r["name"] for r in await report_data.regions()},
        _=_,
    )
