"""Where a branch stands among the others, fairly compared (pure): a branch's key figures,
head office's league table and funnel plot. Scores are adjusted for shopper severity and
shrunk towards the organisation where visits are few (``reports.branches``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import figures
from ..branch_input import BranchInput
from ..branches import Z998, funnel_curve
from ..decisions import Decision, decisions
from ..report_model import (
    MANY,
    Cell,
    Column,
    Figure,
    Href,
    Paragraph,
    Section,
    Translate,
    fmt,
    num,
    percent_value,
    rank_range,
    span,
    table,
)
from ..results import AnalysisResult, BranchEstimate
from ..variance import Z95

KeyFigure = tuple[str, Any, str | None]  # label, value, its interval as text


def key_figures_section(data: BranchInput, _: Translate) -> Section:
    """The branch's figures from the analysis, one a row (dashes where it had too little)."""
    b = data.findings.estimate

    def of(figure: Callable[[BranchEstimate], Any], missing: Any = None) -> Any:
        return missing if b is None else figure(b)

    figures_: list[KeyFigure] = [
        (_("Visits"), of(lambda b: b.n, len(data.rows)), None),
        (_("Mean score"), of(lambda b: b.mean), None),
        (_("Adjusted for shopper severity"), of(lambda b: b.adjusted_mean), None),
        (_("Fair score (shrunken)"), of(lambda b: b.shrunken), span(of(lambda b: b.interval))),
        (_("Rank"), of(lambda b: b.rank), span(of(lambda b: b.rank_interval))),
        (_("Funnel position (99.8%)"), of(lambda b: b.funnel.p998, "–"), None),
        (_("Standard deviation"), of(lambda b: b.sd), None),
        (
            _("Share meeting the standard (%)"),
            of(lambda b: b.share_meeting_standard * 100),
            None,
        ),
        (_("Spread between shifts"), of(lambda b: b.shift_spread), None),
        (_("Spread between staff"), of(lambda b: b.staff_spread), None),
        (_("Consistency index"), of(lambda b: b.consistency), None),
        (_("Visits to decide"), _decision_figure(data.findings.decision), None),
    ]
    columns: list[Column[KeyFigure]] = [
        Column(_("Figure"), lambda f: Cell(f[0]), lambda f: f[0]),
        Column(_("Value"), lambda f: _value(f[1], _), lambda f: f[1]),
        Column(_("Interval"), lambda f: Cell(f[2] or ""), lambda f: f[2]),
    ]
    return Section(
        "overview", _("Key figures"), [table("overview", _("Key figures"), columns, figures_)]
    )


def _value(value: Any, _: Translate) -> Cell:
    """Whole numbers as such, others to one decimal, words translated, missing as a dash."""
    if isinstance(value, bool) or value is None:
        return Cell(fmt(None))
    if isinstance(value, int):
        return num(value, 0)
    if isinstance(value, float):
        return num(value)
    return Cell(_(str(value)))


def funnel_position(b: BranchEstimate) -> str:
    """Outside the 99.8% limits if so, else where it stands against the 95% ones."""
    return b.funnel.p998 if b.funnel.p998 != "within" else b.funnel.p95


def league_section(analysis: AnalysisResult, href: Href, _: Translate) -> Section:
    ranked = sorted(analysis.branches, key=lambda b: b.rank)
    found = decisions(analysis)
    fig = figures.dot_intervals(
        [b.branch for b in ranked],
        [b.shrunken for b in ranked],
        [b.interval.low for b in ranked],
        [b.interval.high for b in ranked],
        title=_("Fair score with interval (95%)"),
        x_label=_("score (adjusted, shrunken)"),
        links=[href(b.branch) or "" for b in ranked],
        colours=[_funnel_colour(b) for b in ranked],
    )
    columns: list[Column[BranchEstimate]] = [
        Column(
            _("Rank"),
            lambda b: Cell(rank_range(b.rank, b.rank_interval.low, b.rank_interval.high)),
            lambda b: b.rank,
            "rank",  # the CSV's headers are the analysis's names, in every language
        ),
        Column(_("Branch"), lambda b: Cell(b.branch, href=href(b.branch)), lambda b: b.branch,
               "branch"),
        Column(_("Visits"), lambda b: num(b.n, 0), lambda b: b.n, "n"),
        Column(_("Mean"), lambda b: num(b.mean), lambda b: b.mean, "mean"),
        Column(_("Adjusted"), lambda b: num(b.adjusted_mean), lambda b: b.adjusted_mean,
               "adjusted_mean"),
        Column(_("Fair score"), lambda b: num(b.shrunken), lambda b: b.shrunken, "shrunken"),
        Column(_("Interval"), lambda b: Cell(span(b.interval))),
        Column("interval_low", csv=lambda b: b.interval.low),
        Column("interval_high", csv=lambda b: b.interval.high),
        Column(_("Funnel"), lambda b: Cell(_(funnel_position(b))), funnel_position, "funnel"),
        Column(_("Consistency"), lambda b: num(b.consistency), lambda b: b.consistency,
               "consistency"),
        Column(_("Visits to decide"), lambda b: _decision_cell(found.get(b.branch), _),
               lambda b: _decision_value(found.get(b.branch)), "visits_to_decide"),
    ]  # fmt: skip
    league = table(
        "league",
        _("Fair league table"),
        columns,
        ranked,
        lambda b: p if (p := funnel_position(b)) in ("above", "below") else "",
        always_printed=True,
    )
    note = Paragraph(
        _(
            "Ranks come with intervals: branches whose intervals overlap are not "
            "shown to differ. Scores are adjusted for shopper severity and shrunk "
            "towards the organisation where visits are few."
        )
    )
    return Section(
        "league",
        _("Fair league table"),
        [
            note,
            Figure("league", _("Fair score with interval (95%)"), fig, raster=len(ranked) > MANY),
            league,
        ],
    )


def _decision_figure(decision: Decision | None) -> int | str | None:
    """The key figure: the visits when open, else the word (translated where shown)."""
    if decision is None or decision.verdict == "open":
        return None if decision is None else decision.more_visits
    return "too close to tell" if decision.verdict == "too_close" else "settled"


def _decision_value(decision: Decision | None) -> int | str | None:
    """The CSV's value: 0 when settled, the visits when open, "too_close" otherwise."""
    if decision is None:
        return None
    if decision.verdict == "open":
        return decision.more_visits
    return "too_close" if decision.verdict == "too_close" else 0


def _decision_cell(decision: Decision | None, _: Translate) -> Cell:
    if decision is None:
        return Cell(fmt(None))
    if decision.verdict == "open":
        return num(decision.more_visits, 0)
    if decision.verdict == "too_close":
        return Cell(_("too close to tell"))
    return Cell(_("settled"))


def _funnel_colour(b: BranchEstimate) -> str:
    return {"above": figures.GREEN, "below": figures.RED}.get(b.funnel.p998, figures.BLUE)


def funnel_section(analysis: AnalysisResult, href: Href, _: Translate) -> Section:
    ranked = sorted(analysis.branches, key=lambda b: b.n)
    shared = ranked[0].funnel  # target, within-branch variance and τ² are the same for all
    span_ = (ranked[0].n * 0.8, ranked[-1].n * 1.1 + 1)
    limits = {
        percent_value(95): funnel_curve(shared, Z95, *span_),
        percent_value(99.8, 1): funnel_curve(shared, Z998, *span_),
    }
    fig = figures.funnel(
        [b.n for b in ranked],
        [b.adjusted_mean for b in ranked],
        [b.branch for b in ranked],
        limits,
        shared.target,
        title=_("Funnel plot: adjusted mean against visits"),
        x_label=_("visits"),
        y_label=_("adjusted mean"),
        links=[href(b.branch) or "" for b in ranked],
    )
    return Section(
        "funnel",
        _("Funnel plot"),
        [
            Figure(
                "funnel",
                _("Funnel plot: adjusted mean against visits"),
                fig,
                _("Limits at 95% and 99.8% around the organisation, allowing for over-dispersion."),
            )
        ],
    )
