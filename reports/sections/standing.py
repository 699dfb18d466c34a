"""Where a branch stands among the others, fairly compared (pure): a branch's key figures,
head office's league table and funnel plot. Scores are adjusted for shopper severity and
shrunk towards the organisation where visits are few (``reports.branches``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

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
    PageLink,
    Pager,
    Paragraph,
    Section,
    Translate,
    branch_label,
    code_text,
    fmt,
    likely,
    num,
    percent_value,
    rank_range,
    rank_words,
    span,
    table,
)
from ..results import AnalysisResult, BranchEstimate
from ..variance import Z95


class KeyFigure(NamedTuple):
    """One key figure: its label and a line on what it means, its value, its interval in
    words, and the label and interval the CSV has always carried (the CSV is an API)."""

    label: str
    meaning: str
    value: Any
    interval: str | None = None
    csv_label: str = ""
    csv_interval: str | None = None


def N_(text: str) -> str:
    """Marks a msgid for extraction; it is translated where it is shown."""
    return text


FAIR_SCORE_MEANING = N_(
    "the score adjusted for which shopper visited and how many visits there were"
)
STANDING_METHOD = N_(
    "The fair score takes each shopper's strictness out of the scores (a mixed model of "
    "branch, shift, staff and shopper), then draws a branch with few visits towards the "
    "organisation's average (shrinkage), so that a lucky or unlucky handful of visits does not "
    "decide its place. Its range is an interval (95%); ranks come with intervals (95%) "
    "from the same model. A branch is above or below what chance explains when its adjusted "
    "average lies "
    "outside the funnel limits (99.8%) around the organisation (slightly above or below: "
    "outside only the limits at 95%), limits that allow for the differences all branches show."
)
FUNNEL_WORDS = {
    "above": N_("above what chance explains"),
    "below": N_("below what chance explains"),
    "above95": N_("slightly above the usual range"),
    "below95": N_("slightly below the usual range"),
    "within": N_("within the usual range"),
}


def funnel_words(b: BranchEstimate, _: Translate) -> str:
    """The funnel position in words: beyond the 99.8% limits is more than chance explains,
    beyond the 95% ones only slightly outside the usual range."""
    if b.funnel.p998 != "within":
        return _(FUNNEL_WORDS[b.funnel.p998])
    if b.funnel.p95 != "within":
        return _(FUNNEL_WORDS[b.funnel.p95 + "95"])
    return _(FUNNEL_WORDS["within"])


def key_figures_section(data: BranchInput, _: Translate) -> Section:
    """The branch's figures from the analysis, one a row (dashes where it had too little),
    each with a line on what it means; the method is in the section's note."""
    b = data.findings.estimate

    def of(figure: Callable[[BranchEstimate], Any], missing: Any = None) -> Any:
        return missing if b is None else figure(b)

    figures_: list[KeyFigure] = [
        KeyFigure(_("Visits"), _("published visits in this period"),
                  of(lambda b: b.n, len(data.rows)), csv_label=_("Visits")),
        KeyFigure(_("Mean score"), _("the plain average of this period's visits"),
                  of(lambda b: b.mean), csv_label=_("Mean score")),
        KeyFigure(_("Adjusted for shopper severity"),
                  _("the average with each shopper's strictness taken out"),
                  of(lambda b: b.adjusted_mean), csv_label=_("Adjusted for shopper severity")),
        KeyFigure(_("Fair score"), _(FAIR_SCORE_MEANING),
                  of(lambda b: b.shrunken), likely(of(lambda b: b.interval), _),
                  _("Fair score (shrunken)"), span(of(lambda b: b.interval))),
        KeyFigure(_("Rank"), _("1 is the best branch; the range is where it could stand"),
                  of(lambda b: b.rank), rank_words(of(lambda b: b.rank_interval), _),
                  _("Rank"), span(of(lambda b: b.rank_interval))),
        KeyFigure(_("Against other branches"),
                  _("whether its difference from the organisation is more than chance"),
                  of(lambda b: funnel_words(b, _), "–"),
                  csv_label=_("Funnel position (99.8%)")),
        KeyFigure(_("Standard deviation"), _("how far a typical visit lies from the average"),
                  of(lambda b: b.sd), csv_label=_("Standard deviation")),
        KeyFigure(_("Share meeting the standard (%)"),
                  _("visits scoring at or above the standard"),
                  of(lambda b: b.share_meeting_standard * 100),
                  csv_label=_("Share meeting the standard (%)")),
        KeyFigure(_("Spread between shifts"), _("the best shift's average less the worst's"),
                  of(lambda b: b.shift_spread), csv_label=_("Spread between shifts")),
        KeyFigure(_("Spread between staff"),
                  _("the best staff member's average less the worst's"),
                  of(lambda b: b.staff_spread), csv_label=_("Spread between staff")),
        KeyFigure(_("Consistency index"),
                  _("100: every visit alike; lower: service varies more from visit to visit"),
                  of(lambda b: b.consistency), csv_label=_("Consistency index")),
        KeyFigure(_("Visits to decide"),
                  _("more visits needed to tell on which side of the standard it is"),
                  _decision_figure(data.findings.decision), csv_label=_("Visits to decide")),
    ]  # fmt: skip
    # The CSV keeps its values as they always were: the funnel's code, the old labels.
    csv_value = {_("Funnel position (99.8%)"): of(lambda b: b.funnel.p998, "–")}
    columns: list[Column[KeyFigure]] = [
        Column(_("Figure"), lambda f: Cell(f.label, note=f.meaning), lambda f: f.csv_label),
        Column(
            _("Value"),
            lambda f: _value(f.value, _),
            lambda f: csv_value.get(f.csv_label, f.value),
        ),
        Column(_("Interval"), lambda f: Cell(f.interval or ""), lambda f: f.csv_interval),
    ]
    return Section(
        "overview",
        _("Key figures"),
        [table("overview", _("Key figures"), columns, figures_)],
        method=_(STANDING_METHOD),
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


def league_section(
    analysis: AnalysisResult,
    href: Href,
    _: Translate,
    names: dict[str, str] | None = None,
    *,
    found: dict[str, Decision] | None = None,
    summarised: bool = False,
    paged: LeaguePage | None = None,
    region_of: dict[str, str] | None = None,
) -> Section:
    """The league table of every branch. ``summarised`` (thousands of branches): the spread
    of fair scores in place of a row per branch, and the table left to the page and the CSV;
    ``paged``: the table holds the ranks of one page only, with a pager (the page's view)."""
    ranked = sorted(analysis.branches, key=lambda b: b.rank)
    found = decisions(analysis) if found is None else found
    named = names or {}

    def label(b: BranchEstimate) -> str:
        return branch_label(b.branch, named.get(b.branch))

    if summarised:
        chart = _distribution(analysis, _)
    else:
        fig = figures.dot_intervals(
            [label(b) for b in ranked],
            [b.shrunken for b in ranked],
            [b.interval.low for b in ranked],
            [b.interval.high for b in ranked],
            title=_("Fair score and its likely range"),
            x_label=_("Fair score"),
            links=[href(b.branch) or "" for b in ranked],
            colours=[_funnel_colour(b) for b in ranked],
            score_axis=True,
        )
        chart = Figure(
            "league", _("Fair score and its likely range"), fig, raster=len(ranked) > MANY
        )
    pager = None
    if paged is not None:
        ranked, pager = page_of(ranked, paged, _, region_of)
    columns: list[Column[BranchEstimate]] = [
        Column(
            _("Rank"),
            lambda b: Cell(rank_range(b.rank, b.rank_interval.low, b.rank_interval.high)),
            lambda b: b.rank,
            "rank",  # the CSV's headers are the analysis's names, in every language
        ),
        Column(_("Branch"), lambda b: Cell(label(b), href=href(b.branch)), lambda b: b.branch,
               "branch"),
        Column(_("Visits"), lambda b: num(b.n, 0), lambda b: b.n, "n"),
        Column(_("Mean"), lambda b: num(b.mean), lambda b: b.mean, "mean"),
        Column(_("Adjusted"), lambda b: num(b.adjusted_mean), lambda b: b.adjusted_mean,
               "adjusted_mean"),
        Column(_("Fair score"), lambda b: num(b.shrunken), lambda b: b.shrunken, "shrunken"),
        Column(_("Likely range"), lambda b: Cell(likely(b.interval, _))),
        Column("interval_low", csv=lambda b: b.interval.low),
        Column("interval_high", csv=lambda b: b.interval.high),
        Column(_("Against other branches"), lambda b: Cell(funnel_words(b, _)), funnel_position,
               "funnel"),
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
            "The fair score is the score adjusted for which shopper visited and how many "
            "visits there were. Branches whose likely ranges overlap are not shown to differ."
        )
    )
    if summarised:
        league.printed = False
    return Section(
        "league",
        _("Fair league table"),
        [note, chart, *([pager] if pager else []), league, *([pager] if pager else [])],
        method=_(STANDING_METHOD),
    )


class LeaguePage(NamedTuple):
    """One page of the league table: its number (from 1), the region it is narrowed to (the
    branches keep their ranks in the whole organisation), its length and the link to a page
    (number, region)."""

    number: int
    href: Callable[[int, str | None], str]
    region: str | None = None
    size: int = 50


def page_of(
    ranked: list[BranchEstimate],
    paged: LeaguePage,
    _: Translate,
    region_of: dict[str, str] | None = None,
) -> tuple[list[BranchEstimate], Pager]:
    """The branches of one page (the last one past the end) and its pager."""
    region = paged.region
    if region is not None:
        ranked = [b for b in ranked if (region_of or {}).get(b.branch) == region]
    count = max(1, -(-len(ranked) // paged.size))
    number = min(max(1, paged.number), count)
    first = (number - 1) * paged.size
    shown = ranked[first : first + paged.size]
    numbers = {"first": fmt(first + 1, 0), "last": fmt(first + len(shown), 0),
               "total": fmt(len(ranked), 0)}  # fmt: skip
    if region is None:
        text = _("Ranks %(first)s–%(last)s of %(total)s") % numbers
    else:
        words = _("Branches %(first)s–%(last)s of %(total)s in region %(region)s")
        text = words % {**numbers, "region": code_text(region)}
    near = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    links: list[PageLink] = []
    if number > 1:
        links.append(PageLink(_("Previous"), paged.href(number - 1, region)))
    for n in near:
        links.append(PageLink(fmt(n, 0), None if n == number else paged.href(n, region)))
    if number < count:
        links.append(PageLink(_("Next"), paged.href(number + 1, region)))
    if region is not None:
        links.append(PageLink(_("All regions"), paged.href(1, None)))
    return shown, Pager("league", text, links)


def _distribution(analysis: AnalysisResult, _: Translate) -> Figure:
    """How the branches' fair scores spread, against the standard."""
    fig = figures.histogram(
        [b.shrunken for b in analysis.branches],
        title=_("How the branches' fair scores spread"),
        x_label=_("Fair score"),
        y_label=_("branches"),
        reference=analysis.standard,
        reference_name=_("standard"),
    )
    return Figure(
        "distribution",
        _("How the branches' fair scores spread"),
        fig,
        _("Each bar counts the branches whose fair score falls in its band of two points."),
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


def funnel_section(
    analysis: AnalysisResult,
    href: Href,
    _: Translate,
    names: dict[str, str] | None = None,
    *,
    labelled: bool = True,
) -> Section:
    """Every branch against the organisation; ``labelled``: each point marked by its code
    (thousands of codes would hide the points)."""
    ranked = sorted(analysis.branches, key=lambda b: b.n)
    named = names or {}
    shared = ranked[0].funnel  # target, within-branch variance and τ² are the same for all
    span_ = (ranked[0].n * 0.8, ranked[-1].n * 1.1 + 1)
    limits = {
        percent_value(95): funnel_curve(shared, Z95, *span_),
        percent_value(99.8, 1): funnel_curve(shared, Z998, *span_),
    }
    fig = figures.funnel(
        [b.n for b in ranked],
        [b.adjusted_mean for b in ranked],
        [branch_label(b.branch, named.get(b.branch)) for b in ranked],
        limits,
        shared.target,
        title=_("Each branch against the organisation, by visits"),
        x_label=_("visits"),
        y_label=_("score allowing for the shopper"),
        links=[href(b.branch) or "" for b in ranked],
        codes=[b.branch for b in ranked],
        marked=labelled,
    )
    return Section(
        "funnel",
        _("Funnel plot"),
        [
            Figure(
                "funnel",
                _("Each branch against the organisation, by visits"),
                fig,
                _(
                    "A branch between the dashed lines differs from the organisation no more "
                    "than chance explains; outside them, the difference is real."
                ),
                raster=len(ranked) > MANY,
            )
        ],
        method=_(
            "Each point is a branch's average allowing for the shopper, against its number of "
            "visits. The lines are funnel limits around the organisation's average: dotted at "
            "95%, dashed at 99.8%, wider where visits are few and allowing for the differences "
            "all branches show (over-dispersion)."
        ),
    )
