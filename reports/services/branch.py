"""The branch report, for its manager and for head office: who may read it, what it reads,
and what a manager may not learn (``reports.disclosure``)."""

from __future__ import annotations

from audits.actions.selectors import recovery_facts
from audits.org.organisation import shift_names
from audits.org.users import CurrentUser
from reports import report_data
from reports.analysis_cache import AnalysisCache
from reports.branch_input import BranchInput
from reports.branch_report import branch_report
from reports.disclosure import branch_input_for
from reports.errors import ReportForbidden, ReportNotFound
from reports.recovery import recovery_figures
from reports.report_data import Filters
from reports.report_model import Report, Translate

from .period import Fitting, Reached, now, period_label, rows_and_analysis


def may_read_branch(user: CurrentUser, code: str) -> bool:
    """Head office reads every branch; a manager only their own."""
    return user.is_office or code in user.branches


async def build_branch(
    code: str,
    filters: Filters,
    user: CurrentUser,
    *,
    lang: str,
    _: Translate,
    analyses: AnalysisCache | None = None,
    reached: Reached | None = None,
    fitting: Fitting | None = None,
) -> Report:
    """Branch ``code``'s report over ``filters``' period as ``user`` may read it.
    ``ReportForbidden`` for another manager's branch (asked before whether it exists, so a
    manager cannot probe for branch codes), ``ReportNotFound`` for no such branch. ``reached``
    and ``fitting`` as ``rows_and_analysis``'."""
    if not may_read_branch(user, code):
        raise ReportForbidden("You may read the reports of your own branches only.")
    info = await report_data.branch_info(code)
    if info is None:
        raise ReportNotFound(f"No branch {code!r}.")
    rows, analysis = await rows_and_analysis(filters, analyses, reached, fitting)
    data = BranchInput(
        code=code,
        name=info["name"],
        rows=[r for r in rows if r.branch == code],
        org_rows=rows,
        findings=analysis.for_branch(code),
        section_titles=await report_data.section_titles(lang),
        item_titles=await report_data.item_titles(lang),
        shift_names=await shift_names(lang, _),
        period=period_label(filters, _, lang),
        recovery=recovery_figures(await recovery_facts(user, now=now(), branch=code)),
    )
    data = branch_input_for(data, user)  # what a manager may not learn goes here
    return branch_report(data, lang=lang, audit_href=lambda i: f"/reports/visits/{i}", _=_)
