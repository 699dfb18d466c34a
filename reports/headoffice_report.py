"""Head office's report for a period: the fair league table, the funnel plot, branch ×
section, where inconsistency comes from, shifts and channels, shoppers' severity and
calibration, trends and their signals. Pure: rows and the analysis of the same rows; the
sections themselves are in ``reports.sections``, by topic."""

from __future__ import annotations

from collections.abc import Sequence

from .recovery import RecoveryFigures
from .report_model import (
    Block,
    Href,
    Paragraph,
    Report,
    Section,
    Translate,
    branch_label,
    fmt,
    localised_numbers,
    no_translation,
)
from .results import AnalysisResult
from .sections.auditors import auditors_section
from .sections.checklist import heatmap_section
from .sections.consistency import groups_section, variance_section
from .sections.recovery import recovery_section
from .sections.standing import funnel_section, league_section
from .sections.trend import trends_section
from .summary import headoffice_summary


@localised_numbers
def headoffice_report(
    rows: list,
    analysis: AnalysisResult,
    *,
    period: str,
    sections: dict[str, str],
    lang: str,
    items: dict[str, str] | None = None,
    shift_names: dict[str, str] | None = None,
    branch_href: Href = lambda _: None,
    filters: Sequence[tuple[str, str]] = (),
    recovery: RecoveryFigures | None = None,
    _: Translate = no_translation,
) -> Report:
    facts = [
        (_("Period"), period),
        (_("Visits"), fmt(len(rows), 0)),
        (_("Branches"), fmt(len({r.branch for r in rows}), 0)),
        *filters,
    ]
    if not analysis.branches:
        empty: list[Block] = [
            Paragraph(_("Too few published visits in this period to compare branches."))
        ]
        return Report(
            "headoffice",
            _("Head-office report"),
            period,
            lang,
            facts,
            [],
            [Section("none", _("No comparison"), empty)],
        )
    names = {r.branch: getattr(r, "branch_name", "") for r in rows}
    parts = [
        league_section(analysis, branch_href, _, names),
        funnel_section(analysis, branch_href, _, names),
        heatmap_section(rows, sections, branch_href, _),
        variance_section(analysis, _),
        groups_section(rows, _, shift_names or {}),
        auditors_section(analysis, items or {}, _),
        trends_section(analysis, branch_href, _, names),
    ]
    if recovery is not None:
        labels = {code: branch_label(code, name) for code, name in names.items()}
        parts.append(recovery_section(recovery, per="branches", titles=labels, _=_))
    return Report(
        "headoffice",
        _("Head-office report"),
        period,
        lang,
        facts,
        headoffice_summary(analysis, _, shift_names, names),
        parts,
    )
