"""Plain-language sentences on what stands out, from the numbers (pure).

Each sentence is written only when the numbers carry it: a shift gap with an interval that
excludes zero, a trend whose q is below 0.05, a funnel position outside the 99.8% limits.
"""

from __future__ import annotations

from . import describe
from .branch_input import BranchInput
from .decisions import Decision, decisions
from .report_model import Translate, branch_label, code_text, fmt, likely
from .results import AnalysisResult
from .sections.standing import funnel_words


def N_(text: str) -> str:
    """Marks a msgid for extraction; it is translated where it is shown."""
    return text


# The variance sources in the words a reader knows (an auditor is a "shopper" on every page).
SOURCE_WORDS = {
    "branch": N_("branch"),
    "branch_shift": N_("branch × shift"),
    "staff": N_("staff"),
    "auditor": N_("shopper"),
}

# Why a term was left out, by (term, the term it cannot be told from); the edge translates.
DROPPED_SENTENCES = {
    ("branch_shift", "branch"): N_(
        "Shift differences cannot be told from branch differences here: each branch was "
        "visited in one shift only, so they are counted as branch differences."
    ),
    ("staff", "branch"): N_(
        "Staff differences cannot be told from branch differences here: each branch has one "
        "staff member named, so they are counted as branch differences."
    ),
    ("auditor", "branch"): N_(
        "Shopper differences cannot be told from branch differences here: each branch was "
        "visited by one shopper only, so scores are not adjusted for shopper severity."
    ),
}
DROPPED_OTHER = N_(
    "Differences of %(term)s cannot be told from differences of %(other)s here, so they are "
    "counted with them."
)

SHIFT_GAP = 5.0  # points; smaller gaps are not worth a sentence
CLEAR = 0.05  # a trend's q-value below which it is called clear (as ``sections.trend``)


def _shift_sentence(data: BranchInput, _: Translate) -> str:
    code = branch_label(data.code, data.name)
    real = [e for e in data.findings.cells if e.interval.high < 0 or e.interval.low > 0]
    shifts = describe.groups(data.rows, lambda r: r.shift)
    worst = min(shifts, key=lambda g: g.mean) if len(shifts) > 1 else None
    if worst is not None:
        others = [r.score for r in data.rows if r.shift != worst.key]
        gap = sum(others) / len(others) - worst.mean if others else 0.0
        if gap >= SHIFT_GAP and any(e.shift == worst.key and e.effect < 0 for e in real):
            return _(
                "Service at %(branch)s is consistent except on %(shift)s visits, which score "
                "%(gap)s points lower than its other shifts."
            ) % {
                "branch": code,
                "shift": data.shift_names.get(worst.key, worst.key),
                "gap": fmt(gap, 0),
            }
    spread = describe.spread(shifts)
    if spread >= SHIFT_GAP:  # a visible gap the model cannot tell from chance: say both
        return _(
            "Scores at %(branch)s differ by up to %(spread)s points between shifts, but with "
            "these visits the difference could be chance."
        ) % {"branch": code, "spread": fmt(spread, 0)}
    return _(
        "Service at %(branch)s is about the same on every shift (within %(spread)s points)."
    ) % {"branch": code, "spread": fmt(spread, 0)}


def standing_sentences(data: BranchInput, _: Translate) -> list[str]:
    """The branch's fair score and its place against the others, and the visits that would
    settle it against the standard: written from the key figures' own values (the score, its
    range, the funnel words, the visits to decide), so the sentence and the table agree."""
    lines = []
    b = data.findings.estimate
    if b:
        lines.append(
            _("Its fair score is %(score)s (%(interval)s), %(where)s compared with other branches.")
            % {
                "score": fmt(b.shrunken),
                "interval": likely(b.interval, _),
                "where": funnel_words(b, _),
            }
        )
    if data.findings.decision is not None:
        lines.append(
            decision_sentence(branch_label(data.code, data.name), data.findings.decision, _)
        )
    return lines


def branch_summary(data: BranchInput, _: Translate) -> list[str]:
    lines = [_shift_sentence(data, _)]
    lines.extend(standing_sentences(data, _))
    t = data.findings.trend
    if t and t.q < CLEAR:
        word = _("rising") if t.slope_per_year > 0 else _("falling")
        lines.append(
            _("Scores are %(word)s by %(slope)s points a year (%(interval)s).")
            % {
                "word": word,
                "slope": fmt(abs(t.slope_per_year)),
                "interval": likely(t.interval, _),
            }
        )
    for s in data.findings.staff:
        if "erratic" in s.flags:
            lines.append(
                _("Staff member %(staff)s varies far more than their peers (SD %(sd)s).")
                % {"staff": s.staff, "sd": fmt(s.sd)}
            )
    rates = describe.item_pass_rates(data.rows)
    if rates and rates[0][2] < 0.8:
        key, _n, rate = rates[0]
        lines.append(
            _("The item failed most often: “%(item)s”, passed in %(rate)s%% of visits.")
            % {"item": data.item_titles.get(key, key), "rate": fmt(rate * 100, 0)}
        )
    return lines


def dropped_sentences(analysis: AnalysisResult, _: Translate) -> list[str]:
    """One sentence per term the design could not separate (``AnalysisResult.dropped_terms``)."""
    lines = []
    for dropped in analysis.dropped_terms:
        sentence = DROPPED_SENTENCES.get((dropped.term, dropped.same_as))
        if sentence:
            lines.append(_(sentence))
        else:
            words = {
                "term": _(SOURCE_WORDS[dropped.term]),
                "other": _(SOURCE_WORDS[dropped.same_as]),
            }
            lines.append(_(DROPPED_OTHER) % words)
    return lines


NAMED = 10
"""Branches a summary line names; past them it counts the rest."""


def headoffice_summary(
    analysis: AnalysisResult,
    _: Translate,
    shift_names: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> list[str]:
    """What stands out across branches; a shift is named in the reader's language, a branch
    by its name and code."""
    named = names or {}

    def label(code: str) -> str:
        return branch_label(code, named.get(code))

    lines = dropped_sentences(analysis, _)
    variance = analysis.variance
    if variance:
        shares = {k: variance.share(k) for k in SOURCE_WORDS}
        top = max(shares, key=shares.__getitem__)
        if shares[top] >= 0.05:  # below that no source is worth naming
            lines.append(
                _(
                    "Of the differences between visits, %(share)s%% come from %(source)s, the "
                    "largest source after visit-to-visit noise."
                )
                % {"share": fmt(shares[top] * 100, 0), "source": _(SOURCE_WORDS[top])}
            )
    lowest = sorted(analysis.branches, key=lambda b: (b.shrunken, b.branch))
    below = [label(b.branch) for b in lowest if b.funnel.p998 == "below"]
    if len(below) > NAMED:
        more = {"branches": ", ".join(below[:NAMED]), "more": fmt(len(below) - NAMED, 0)}
        lines.append(
            _(
                "Below what chance explains: %(branches)s, and %(more)s more (see the "
                "branches that need attention)."
            )
            % more
        )
    elif below:
        lines.append(
            _("Below what chance explains: %(branches)s.") % {"branches": ", ".join(below)}
        )
    cells = analysis.cells
    if cells and abs(cells[0].effect) >= SHIFT_GAP:
        c = cells[0]
        lines.append(
            _(
                "The largest shift effect: %(branch)s on %(shift)s visits, "
                "%(effect)s points (%(interval)s)."
            )
            % {
                "branch": label(c.branch),
                "shift": (shift_names or {}).get(c.shift, c.shift),
                "effect": fmt(c.effect),
                "interval": likely(c.interval, _),
            }
        )
    if analysis.auditors:
        strict = min(analysis.auditors, key=lambda a: a.severity)
        if strict.interval.high < 0:
            lines.append(
                _(
                    "The strictest shopper, %(auditor)s, scores %(points)s points below the "
                    "others; comparisons here are adjusted for it."
                )
                % {"auditor": strict.auditor, "points": fmt(-strict.severity)}
            )
    if (settled := decisions_sentence(decisions(analysis), _)) is not None:
        lines.append(settled)
    alarms = [label(t.branch) for t in analysis.trends if t.alarm]
    if len(alarms) > NAMED:
        more = {"branches": ", ".join(alarms[:NAMED]), "more": fmt(len(alarms) - NAMED, 0)}
        lines.append(_("Control charts signal a change at %(branches)s, and %(more)s more.") % more)
    elif alarms:
        lines.append(
            _("Control charts signal a change at %(branches)s.") % {"branches": ", ".join(alarms)}
        )
    return lines


def decision_sentence(branch: str, decision: Decision, _: Translate) -> str:
    """Where a branch stands against the standard and how many visits would settle it, in
    words; the league table's "Visits to decide" column shows the same number."""
    values = {"branch": code_text(branch), "standard": fmt(decision.standard, 0)}
    if decision.verdict == "above":
        return (
            _(
                "%(branch)s is clearly above the standard of %(standard)s: more visits would not "
                "change that."
            )
            % values
        )
    if decision.verdict == "below":
        return (
            _(
                "%(branch)s is clearly below the standard of %(standard)s: more visits would not "
                "change that."
            )
            % values
        )
    if decision.verdict == "too_close":
        return (
            _(
                "%(branch)s sits too close to the standard of %(standard)s for any practical "
                "number of visits to tell on which side it is."
            )
            % values
        )
    return _(
        "Whether %(branch)s meets the standard of %(standard)s is still open: about %(n)s more "
        "visits would settle it."
    ) % {**values, "n": fmt(decision.more_visits, 0)}


def decisions_sentence(found: dict[str, Decision], _: Translate) -> str | None:
    """Head office's count of branches settled, open and too close to call."""
    if not found:
        return None
    settled = sum(d.verdict in ("above", "below") for d in found.values())
    open_ = [d.more_visits or 0 for d in found.values() if d.verdict == "open"]
    close = sum(d.verdict == "too_close" for d in found.values())
    standard = fmt(next(iter(found.values())).standard, 0)
    line = _(
        "Against the standard of %(standard)s, %(settled)s of %(total)s branches are settled; "
        "%(open)s need more visits to tell (%(visits)s more in all, shown per branch in the "
        "league table); %(close)s sit too close to the standard to tell."
    )
    return line % {
        "standard": standard,
        "settled": fmt(settled, 0),
        "total": fmt(len(found), 0),
        "open": fmt(len(open_), 0),
        "visits": fmt(sum(open_), 0),
        "close": fmt(close, 0),
    }
