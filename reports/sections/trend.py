"""Change over time (pure): a branch's control chart with its signals, and head office's
trend per branch with the signals the analysis raised (``reports.trends``)."""

from __future__ import annotations

import datetime as dt

from .. import describe, figures
from ..branch_input import BranchInput
from ..formatting import date_ticks
from ..report_model import (
    MANY,
    Block,
    Cell,
    Column,
    CsvOnly,
    Figure,
    Href,
    Paragraph,
    Section,
    Translate,
    branch_label,
    day_text,
    fmt,
    likely,
    num,
    report_language,
    signal_name,
    table,
)
from ..results import AnalysisResult, RawTrend, Signal, Trend


def N_(text: str) -> str:
    """Marks a msgid for extraction; it is translated where it is shown."""
    return text


CLEAR = 0.05  # a trend whose q-value is below this is called clear


def trend_words(trend: Trend | RawTrend, _: Translate) -> str:
    """A trend in words: clearly rising or falling when its q-value is below ``CLEAR``, else
    no clear change (the q-value itself is in the section's method note)."""
    if trend.q < CLEAR:
        return _("rising, clearly") if trend.slope_per_year > 0 else _("falling, clearly")
    return _("no clear change")


def trend_sentence(trend: Trend | RawTrend, _: Translate) -> str:
    """The branch's trend as its section says it, from the same figures as the chart's."""
    return _("Trend: %(words)s, %(slope)s points a year (%(range)s).") % {
        "words": trend_words(trend, _),
        "slope": fmt(trend.slope_per_year),
        "range": likely(trend.interval, _),
    }


TREND_METHOD = N_(
    "A trend is the straight line through the period's scores, in points a year, with its interval "
    "(95%). It is called clear when its q-value (its p-value corrected for the number of "
    "branches looked at, Benjamini–Hochberg) is below 0.05. The usual range of a control chart "
    "is its centre line ± three σ, σ estimated from the moving range of consecutive visits "
    "(mean moving range / 1.128) and widened for the number of branches charted; a signal is a "
    "point beyond that range or a sustained rise or fall (CUSUM)."
)


def branch_trend_section(data: BranchInput, audit_href: Href, _: Translate) -> Section:
    trend = data.findings.trend
    dates = [r.local.date().isoformat() for r in data.rows]
    raw = [r.score for r in data.rows]
    title = _("Score per visit and its usual range")
    signals: list[Signal] = []
    if isinstance(trend, RawTrend) and trend.chart is not None:
        # A manager's chart (``reports.disclosure``): the scores as given, and the limits and
        # signals computed from them; nothing per visit depends on who the shopper was.
        scores = raw
        centre, half = trend.chart.centre, trend.limit * trend.chart.sigma
        signals = trend.chart.signals
        caption = _(
            "Each visit's score as given, with the branch's usual range (dotted lines); "
            "red: a change worth a look."
        )
    elif isinstance(trend, Trend):
        # The chart the analysis raised its signals on: scores less the shopper's severity,
        # limits widened for the number of charts in the organisation.
        severity = data.findings.severity
        scores = [r.score - severity.get(r.auditor, 0.0) for r in data.rows]
        centre, half = trend.centre, trend.limit * trend.sigma
        signals = trend.signals
        caption = _(
            "Each visit's score allowing for the shopper's strictness (grey: as scored), with "
            "the branch's usual range (dotted lines); red: a change worth a look."
        )
    else:  # too few visits for the analysis to chart: the plain individuals chart
        scores = raw
        centre, sigma = describe.individuals_chart(scores)
        half = 3 * sigma
        caption = _("Each visit's score, with the branch's usual range (dotted lines).")
    flagged = {s.ref for s in signals}
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
        ticks=date_ticks([r.local.date() for r in data.rows], report_language()),
        hover=[day_text(r.local.date()) for r in data.rows],
    )
    blocks: list[Block] = [Figure("trend", title, fig, caption)]
    if trend is not None:
        blocks.append(Paragraph(trend_sentence(trend, _)))
    method = _(TREND_METHOD)
    if not signals:
        blocks.append(Paragraph(_("No control-chart signals in this period.")))
        return Section("trend", _("Trend"), blocks, method=method)
    columns: list[Column[Signal]] = [
        Column(_("Date"), lambda s: Cell(_signal_day(s.date)), lambda s: s.date),
        Column(_("Rule"), lambda s: Cell(signal_name(s.rule, _)), lambda s: s.rule),
    ]
    blocks.append(table("signals", _("Control-chart signals"), columns, signals))
    return Section("trend", _("Trend"), blocks, method=method)


def _signal_day(iso: str) -> str:
    """A signal's day (ISO in the CSV) as the reader writes dates."""
    try:
        return day_text(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


CHARTED = 25
"""Branches charted, those with a signal, when a report summarises thousands."""


def trends_section(
    analysis: AnalysisResult,
    href: Href,
    _: Translate,
    names: dict[str, str] | None = None,
    *,
    summarised: bool = False,
    csv_only: CsvOnly | None = None,
) -> Section:
    """Every charted branch's slope with its interval, and the signals of its chart;
    ``summarised`` (thousands of branches): the chart has the branches with an alarm only
    (``CHARTED`` at most) and the table is in the CSV only, its rows built only for that CSV
    (``csv_only``)."""
    every = analysis.trends
    trends = [t for t in every if t.alarm][:CHARTED] if summarised else every
    named = names or {}

    def label(t: Trend) -> str:
        return branch_label(t.branch, named.get(t.branch))

    fig = figures.dot_intervals(
        [label(t) for t in trends],
        [t.slope_per_year for t in trends],
        [t.slope_per_year if t.interval is None else t.interval.low for t in trends],
        [t.slope_per_year if t.interval is None else t.interval.high for t in trends],
        title=_("Trend per branch, points a year"),
        x_label=_("points a year"),
        reference=0.0,
        links=[href(t.branch) or "" for t in trends],
        colours=[figures.RED if t.alarm else figures.BLUE for t in trends],
    )
    columns: list[Column[Trend]] = [
        Column(_("Branch"), lambda t: Cell(label(t), href=href(t.branch)), lambda t: t.branch,
               "branch"),
        Column(_("Visits"), lambda t: num(t.n, 0), lambda t: t.n, "n"),
        Column(_("Points a year"), lambda t: num(t.slope_per_year), lambda t: t.slope_per_year,
               "slope_per_year"),
        Column(_("Likely range"), lambda t: Cell(likely(t.interval, _))),
        Column("interval_low", csv=lambda t: _bound(t, 0)),
        Column("interval_high", csv=lambda t: _bound(t, 1)),
        Column(_("Change"), lambda t: Cell(trend_words(t, _)), lambda t: t.q, "q"),
        Column(
            _("Signals"),
            lambda t: Cell(
                ", ".join(f"{signal_name(s.rule, _)} {_signal_day(s.date)}" for s in t.signals)
            ),
            lambda t: " ".join(f"{s.rule}@{s.date}" for s in t.signals),
            "signals",
        ),
    ]  # fmt: skip
    made = table(
        "trends",
        _("Trends and control-chart signals"),
        columns,
        every,
        lambda t: "below" if t.alarm else "",
        csv_only=(csv_only or CsvOnly()).always() if summarised else None,
    )
    chart = Figure("trends", _("Trend per branch, points a year"), fig, raster=len(trends) > MANY)
    if summarised:
        chart.caption = _("The branches whose chart raised an alarm; the CSV has every branch.")
    return Section(
        "trends",
        _("Trends with control limits and signals"),
        [*([chart] if trends else []), made],
        method=_(TREND_METHOD),
    )


def _bound(trend: Trend, side: int) -> float | None:
    """A bound of the slope's interval (none when its standard error is infinite)."""
    if trend.interval is None:
        return None
    return trend.interval.low if side == 0 else trend.interval.high
