"""The branch report for a period: trend with control limits, sections against the
organisation, shift × weekday, staff consistency, item pass rates, the visits. Pure: rows
from ``report_data``, the organisation-wide ``analysis`` from ``reports.analysis``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import describe, figures
from .branch_more import items_section, staff_section, visits_section
from .recovery import RecoveryFigures
from .recovery_section import recovery_section
from .report_model import (
    Cell,
    Figure,
    Paragraph,
    Report,
    Section,
    Translate,
    fmt,
    interval,
    localised_numbers,
    make_table,
    no_translation,
    num,
    signal_name,
)
from .summary import branch_summary

Href = Callable[[str], str | None]


class BranchInput:
    """Everything the builder reads, gathered by the caller."""

    def __init__(
        self,
        code: str,
        name: str,
        rows: list,
        org_rows: list,
        analysis: dict,
        sections: dict[str, str],
        items: dict[str, str],
        period: str,
        recovery: RecoveryFigures | None = None,
        *,
        times_shown: bool = True,
    ) -> None:
        self.code, self.name, self.rows, self.org_rows = code, name, rows, org_rows
        self.analysis, self.section_titles, self.item_titles = analysis, sections, items
        self.period, self.recovery = period, recovery
        self.times_shown = times_shown  # false for a manager: visits by local date alone

    def entry(self, part: str) -> dict[str, Any] | None:
        return next(
            (e for e in self.analysis.get(part) or [] if e.get("branch") == self.code), None
        )


@localised_numbers
def branch_report(
    data: BranchInput,
    *,
    lang: str,
    audit_href: Href = lambda _: None,
    _: Translate = no_translation,
) -> Report:
    b = data.entry("branches") or {}
    facts = [
        (_("Branch"), f"{data.code} · {data.name}"),
        (_("Period"), data.period),
        (_("Visits"), fmt(len(data.rows), 0)),
        (_("Mean score"), fmt(b.get("mean"))),
        (
            _("Fair score (shrunken)"),
            f"{fmt(b.get('shrunken'))} ({interval(*(b.get('interval') or (None, None)))})",
        ),
        (_("Consistency index"), fmt(b.get("consistency"))),
    ]
    if not data.rows:
        sections = [
            Section("none", _("No visits"), [Paragraph(_("No published visits in this period."))])
        ]
        return Report(
            "branch", _("Branch report"), f"{data.code} · {data.period}", lang, facts, [], sections
        )
    sections = [
        _overview(data, b, _),
        _trend(data, audit_href, _),
        _sections(data, _),
        _shifts(data, _),
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
        f"{data.code} · {data.name} · {data.period}",
        lang,
        facts,
        summary,
        sections,
    )


def _overview(data: BranchInput, b: dict, _: Translate) -> Section:
    funnel = b.get("funnel") or {}
    rows = [
        (_("Visits"), b.get("n", len(data.rows)), None),
        (_("Mean score"), b.get("mean"), None),
        (_("Adjusted for shopper severity"), b.get("adjusted_mean"), None),
        (
            _("Fair score (shrunken)"),
            b.get("shrunken"),
            interval(*(b.get("interval") or (None, None))),
        ),
        (_("Rank"), b.get("rank"), interval(*(b.get("rank_interval") or (None, None)))),
        (_("Funnel position (99.8%)"), funnel.get("p998", "–"), None),
        (_("Standard deviation"), b.get("sd"), None),
        (
            _("Share meeting the standard (%)"),
            None if b.get("share_meeting_standard") is None else b["share_meeting_standard"] * 100,
            None,
        ),
        (_("Spread between shifts"), b.get("shift_spread"), None),
        (_("Spread between staff"), b.get("staff_spread"), None),
        (_("Consistency index"), b.get("consistency"), None),
    ]
    table = make_table(
        "overview",
        _("Key figures"),
        [_("Figure"), _("Value"), _("Interval")],
        [
            (
                [
                    Cell(label),
                    _value(v, _),
                    Cell(extra or ""),
                ],
                [label, v, extra],
            )
            for label, v, extra in rows
        ],
    )
    return Section("overview", _("Key figures"), [table])


def _value(value: Any, _: Translate) -> Cell:
    """Whole numbers as such, others to one decimal, words translated, missing as a dash."""
    if isinstance(value, bool) or value is None:
        return Cell(fmt(None))
    if isinstance(value, int):
        return num(value, 0)
    if isinstance(value, float):
        return num(value)
    return Cell(_(str(value)))


def _trend(data: BranchInput, audit_href: Href, _: Translate) -> Section:
    trend = data.entry("trends") or {}
    dates = [r.local.date().isoformat() for r in data.rows]
    raw = [r.score for r in data.rows]
    title = _("Score per visit with control limits")
    if "sigma" in trend and trend.get("series") == "raw":
        # A manager's chart (``reports.disclosure``): the scores as given, and the limits and
        # signals computed from them; nothing per visit depends on who the shopper was.
        scores = raw
        centre, half = trend["centre"], trend["limit"] * trend["sigma"]
        flagged = {s["ref"] for s in trend.get("signals") or []}
        caption = _(
            "Each visit's score as given, its centre line and alarm limits (σ from the moving "
            "range, widened for the number of branches charted); red: a signal."
        )
    elif "sigma" in trend:
        # The chart the analysis raised its signals on: scores less the shopper's severity,
        # limits widened for the number of charts in the organisation.
        severity = {a["auditor"]: a["severity"] for a in data.analysis.get("auditors") or []}
        scores = [r.score - severity.get(r.auditor, 0.0) for r in data.rows]
        centre, half = trend["centre"], trend["limit"] * trend["sigma"]
        flagged = {s["ref"] for s in trend.get("signals") or []}
        caption = _(
            "Each visit's score adjusted for the shopper's severity (grey: as scored), its "
            "centre line and alarm limits (σ from the moving range, widened for the number "
            "of branches charted); red: a signal."
        )
    else:  # too few visits for the analysis to chart: the plain individuals chart
        scores = raw
        centre, sigma = describe.individuals_chart(scores)
        half, flagged = 3 * sigma, set()
        caption = _("Centre line and 3σ limits (σ from the moving range).")
    fig = figures.control_chart(
        dates,
        scores,
        centre,
        [centre - half] * len(scores),
        [centre + half] * len(scores),
        [r.id in flagged for r in data.rows],
        title=title,
        y_label=_("score"),
        raw=raw if scores is not raw else None,
        raw_label=_("as scored"),
        links=[audit_href(r.id) or "" for r in data.rows],
    )
    blocks: list = [Figure("trend", title, fig, caption)]
    slope = trend.get("slope_per_year")
    if slope is not None:
        blocks.append(
            Paragraph(
                _("Trend: %(slope)s points a year (%(interval)s), q = %(q)s.")
                % {
                    "slope": fmt(slope),
                    "interval": interval(*trend["interval"]),
                    "q": fmt(trend.get("q"), 3),
                }
            )
        )
    signals = trend.get("signals") or []
    if not signals:
        blocks.append(Paragraph(_("No control-chart signals in this period.")))
        return Section("trend", _("Trend"), blocks)
    blocks.append(
        make_table(
            "signals",
            _("Control-chart signals"),
            [_("Date"), _("Rule")],
            [
                ([Cell(s["date"]), Cell(signal_name(s["rule"], _))], [s["date"], s["rule"]])
                for s in signals
            ],
        )
    )
    return Section("trend", _("Trend"), blocks)


def _sections(data: BranchInput, _: Translate) -> Section:
    mine, org = describe.section_means(data.rows), describe.section_means(data.org_rows)
    keys = [k for k in data.section_titles if k in mine] + [
        k for k in mine if k not in data.section_titles
    ]
    labels = [data.section_titles.get(k, k) for k in keys]
    fig = figures.bars(
        labels,
        [round(mine[k].mean, 1) for k in keys],
        title=_("Sections against the organisation"),
        x_label=_("score"),
        compare=[round(org[k].mean, 1) for k in keys],
        names=(data.code, _("organisation")),
    )
    table = make_table(
        "sections",
        _("Section scores"),
        [_("Section"), data.code, _("organisation"), _("difference")],
        [
            (
                [Cell(lab), num(mine[k].mean), num(org[k].mean), num(mine[k].mean - org[k].mean)],
                [
                    k,
                    round(mine[k].mean, 2),
                    round(org[k].mean, 2),
                    round(mine[k].mean - org[k].mean, 2),
                ],
            )
            for k, lab in zip(keys, labels, strict=True)
        ],
    )
    return Section(
        "sections",
        _("Sections against the organisation"),
        [Figure("sections", _("Sections against the organisation"), fig), table],
    )


def _shifts(data: BranchInput, _: Translate) -> Section:
    shifts = [g.key for g in describe.groups(data.rows, lambda r: r.shift)]
    cells = describe.cell_means(
        data.rows, lambda r: r.shift, lambda r: describe.WEEKDAYS[r.local.weekday()]
    )
    z, text = describe.matrix(cells, shifts, describe.WEEKDAYS)
    fig = figures.heatmap(
        describe.WEEKDAYS, shifts, z, text=text, title=_("Mean score by shift and weekday")
    )
    effects = {
        e["shift"]: e for e in data.analysis.get("cells") or [] if e.get("branch") == data.code
    }
    rows = []
    for g in describe.groups(data.rows, lambda r: r.shift):
        e = effects.get(g.key, {})
        rows.append(
            (
                [
                    Cell(g.key),
                    num(g.n, 0),
                    num(g.mean),
                    num(e.get("effect")),
                    Cell(interval(*(e.get("interval") or (None, None)))),
                ],
                [g.key, g.n, round(g.mean, 2), e.get("effect"), e.get("interval")],
            )
        )
    table = make_table(
        "shifts",
        _("Shifts"),
        [_("Shift"), _("Visits"), _("Mean"), _("Effect"), _("Interval")],
        rows,
    )
    return Section(
        "shifts",
        _("Shifts and weekdays"),
        [Figure("shift_weekday", _("Mean score by shift and weekday"), fig), table],
    )
