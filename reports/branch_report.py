"""The branch report for a period: trend with control limits, sections against the
organisation, shift × weekday, staff consistency, item pass rates, the visits. Pure: rows
from ``report_data``, the analysis's findings on the branch from ``reports.analysis``; the
sections themselves are in ``reports.sections``, by topic."""

from __future__ import annotations

from .branch_input import BranchInput
from .report_model import (
    Href,
    Paragraph,
    Report,
    Section,
    Translate,
    branch_label,
    fmt,
    likely,
    localised_numbers,
    no_translation,
)
from .sections.checklist import items_section, sections_section
from .sections.consistency import shifts_section, staff_section
from .sections.recovery import recovery_section
from .sections.standing import key_figures_section
from .sections.trend import branch_trend_section
from .sections.visits import visits_section
from .summary import branch_summary

__all__ = ["BranchInput", "branch_report"]


@localised_numbers
def branch_report(
    data: BranchInput,
    *,
    lang: str,
    audit_href: Href = lambda _: None,
    _: Translate = no_translation,
) -> Report:
    b = data.findings.estimate
    facts = [
        (_("Branch"), branch_label(data.code, data.name)),
        (_("Period"), data.period),
        (_("Visits"), fmt(len(data.rows), 0)),
        (_("Mean score"), fmt(None if b is None else b.mean)),
        (
            _("Fair score"),
            "–" if b is None else f"{fmt(b.shrunken)} ({likely(b.interval, _)})",
        ),
        (_("Consistency index"), fmt(None if b is None else b.consistency)),
    ]
    if not data.rows:
        sections = [
            Section("none", _("No visits"), [Paragraph(_("No published visits in this period."))])
        ]
        return Report(
            "branch", _("Branch report"), f"{data.code} · {data.period}", lang, facts, [], sections
        )
    sections = [
        key_figures_section(data, _),
        branch_trend_section(data, audit_href, _),
        sections_section(data, _),
        shifts_section(data, _),
        staff_section(data, _),
        items_section(data, _),
        visits_section(data, audit_href, _),
    ]
    if data.recovery is not None:
        follow_up = recovery_section(data.recovery, per="items", titles=data.item_titles, _=_)
        sections.insert(-1, follow_up)
    summary = branch_summary(data, _)
    return Report(
        "branch",
        _("Branch report"),
        f"{branch_label(data.code, data.name)} · {data.period}",
        lang,
        facts,
        summary,
        sections,
    )
