"""The branches that need attention (pure): a short list head office can act on when there
are too many branches to read a league table through, each linking to its branch report."""

from __future__ import annotations

from typing import NamedTuple

from ..decisions import Decision
from ..report_model import (
    Cell,
    Column,
    Href,
    Paragraph,
    Section,
    Translate,
    branch_label,
    code_text,
    fmt,
    likely,
    num,
    table,
)
from ..results import BranchEstimate

WORST = 20
"""Branches clearly below the standard listed, the lowest fair scores first."""
LEAST_CONSISTENT = 5
"""The least consistent branches listed besides them."""


class Flagged(NamedTuple):
    estimate: BranchEstimate
    reason: str  # "below" or "inconsistent"


def needing_attention(
    estimates: list[BranchEstimate], found: dict[str, Decision]
) -> tuple[list[Flagged], int]:
    """At most ``WORST`` branches settled below the standard (lowest fair score first) and
    the ``LEAST_CONSISTENT`` others with the lowest consistency index; with how many are
    settled below in all."""
    below = sorted(
        (b for b in estimates if (d := found.get(b.branch)) and d.verdict == "below"),
        key=lambda b: (b.shrunken, b.branch),
    )
    listed = [Flagged(b, "below") for b in below[:WORST]]
    shown = {f.estimate.branch for f in listed}
    erratic = sorted(
        (b for b in estimates if b.branch not in shown), key=lambda b: (b.consistency, b.branch)
    )
    listed += [Flagged(b, "inconsistent") for b in erratic[:LEAST_CONSISTENT]]
    return listed, len(below)


def attention_section(
    estimates: list[BranchEstimate],
    found: dict[str, Decision],
    region_of: dict[str, str],
    href: Href,
    _: Translate,
    names: dict[str, str] | None = None,
) -> Section:
    listed, below = needing_attention(estimates, found)
    named = names or {}
    reasons = {
        "below": _("clearly below the standard"),
        "inconsistent": _("among the least consistent"),
    }

    def branch(f: Flagged) -> str:
        return branch_label(f.estimate.branch, named.get(f.estimate.branch))

    columns: list[Column[Flagged]] = [
        Column(_("Branch"), lambda f: Cell(branch(f), href=href(f.estimate.branch)),
               lambda f: f.estimate.branch, "branch"),
        Column(_("Region"), lambda f: Cell(code_text(region_of.get(f.estimate.branch, ""))),
               lambda f: region_of.get(f.estimate.branch, ""), "region"),
        Column(_("Rank"), lambda f: num(f.estimate.rank, 0), lambda f: f.estimate.rank, "rank"),
        Column(_("Fair score"), lambda f: num(f.estimate.shrunken),
               lambda f: f.estimate.shrunken, "shrunken"),
        Column(_("Likely range"), lambda f: Cell(likely(f.estimate.interval, _))),
        Column(_("Consistency"), lambda f: num(f.estimate.consistency),
               lambda f: f.estimate.consistency, "consistency"),
        Column(_("Why"), lambda f: Cell(reasons[f.reason]), lambda f: f.reason, "reason"),
    ]  # fmt: skip
    words = _(
        "Branches clearly below the standard (the whole of their fair score's likely range "
        "lies below it): %(below)s."
    ) % {"below": fmt(below, 0)}
    if below > WORST:
        words += " " + _(
            "The %(shown)s with the lowest fair scores are listed; the league table and its "
            "CSV have every branch."
        ) % {"shown": fmt(WORST, 0)}
    return Section(
        "attention",
        _("Branches that need attention"),
        [
            Paragraph(words),
            table(
                "attention",
                _("Branches that need attention"),
                columns,
                listed,
                lambda f: "below" if f.reason == "below" else "",
                always_printed=True,
            ),
        ],
        method=_(
            "Listed: the branches whose fair score's interval (95%) lies wholly below the "
            "standard, the lowest first, and then the branches with the lowest consistency "
            "index, whose service varies most from visit to visit."
        ),
    )
