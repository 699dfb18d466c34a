"""Head office's report for a period: the fair league table, the funnel plot, branch ×
section, where inconsistency comes from, shifts and channels, shoppers' severity and
calibration, trends and their signals. Pure: rows and the analysis of the same rows; the
sections themselves are in ``reports.sections``, by topic."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .decisions import Decision, decisions
from .recovery import RecoveryFigures
from .report_model import (
    Block,
    CsvOnly,
    Href,
    Paragraph,
    Report,
    Section,
    Table,
    Translate,
    branch_label,
    fmt,
    localised_numbers,
    no_translation,
)
from .results import AnalysisResult
from .sections.attention import attention_section
from .sections.auditors import auditors_section
from .sections.checklist import heatmap_section
from .sections.consistency import groups_section, variance_section
from .sections.recovery import recovery_section
from .sections.regions import region_figures, region_heatmap, regions_section
from .sections.standing import LeaguePage, funnel_section, league_section
from .sections.trend import trends_section
from .summary import headoffice_summary

MANY_BRANCHES = 40
"""Past this many branches the report summarises: regions, the branches that need attention
and the spread of fair scores in place of one row or bar per branch (the league table is
paged on the page and whole in its CSV)."""


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
    league_page: LeaguePage | None = None,
    region_names: dict[str, str] | None = None,
    csv: str | None = None,
    _: Translate = no_translation,
) -> Report:
    """``league_page``: the page's view, one page of the league table (every branch without
    it, as the CSV and the PDF have them). ``csv``: the key of the table whose CSV is asked
    for; a chain's tables in their CSV only have their rows built for that CSV alone (the
    page and the PDF say how many there are)."""
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
    found = decisions(analysis)
    many = len(analysis.branches) > MANY_BRANCHES
    csv_only = CsvOnly(csv, limit=ROWS_ON_PAGE) if many else None
    region_of = {r.branch: r.region for r in rows}
    league = league_section(
        analysis, branch_href, _, names,
        found=found, summarised=many, paged=league_page, region_of=region_of,
    )  # fmt: skip
    parts = [
        *(_chain_sections(analysis, found, region_of, names, branch_href, _, league_page,
                          region_names) if many else []),
        league,
        funnel_section(analysis, branch_href, _, names, labelled=not many),
        heatmap_section(
            rows, sections, branch_href, _, region_heatmap(rows, sections, _) if many else None,
            csv_only,
        ),
        variance_section(analysis, _),
        groups_section(rows, _, shift_names or {}),
        auditors_section(analysis, items or {}, _, csv_only),
        trends_section(analysis, branch_href, _, names, summarised=many, csv_only=csv_only),
    ]  # fmt: skip
    if recovery is not None:
        labels = {code: branch_label(code, name) for code, name in names.items()}
        parts.append(recovery_section(recovery, per="branches", titles=labels, _=_,
                                      csv_only=csv_only))  # fmt: skip
    if many:
        _long_tables_to_csv(parts)
    return Report(
        "headoffice",
        _("Head-office report"),
        period,
        lang,
        facts,
        headoffice_summary(analysis, _, shift_names, names),
        parts,
    )


def _chain_sections(
    analysis: AnalysisResult,
    found: dict[str, Decision],
    region_of: dict[str, str],
    names: dict[str, str],
    branch_href: Href,
    _: Translate,
    league_page: LeaguePage | None,
    region_names: dict[str, str] | None,
) -> list[Section]:
    """A chain's report opens with its regions (each linking to the league narrowed to it, on
    the page) and the branches that need attention."""
    regions = region_figures(analysis.branches, region_of, found, region_names)
    league_of = None if league_page is None else functools.partial(league_page.href, 1)
    return [
        regions_section(regions, analysis.standard, _, league_of),
        attention_section(analysis.branches, found, region_of, branch_href, _, names),
    ]


ROWS_ON_PAGE = 100
"""A chain's tables longer than this (shoppers, follow-up per branch) are in their CSV only,
their rows built for that CSV alone (``CsvOnly``); the league table is paged instead."""


def _long_tables_to_csv(parts: list[Section]) -> None:
    for section in parts:
        for block in section.blocks:
            if isinstance(block, Table) and block.key != "league":
                block.on_page = block.on_page and len(block.rows) <= ROWS_ON_PAGE
