"""Head office's report past a few dozen branches, by region (pure): each region's branches
and visits, the mean of their fair scores, how far they spread and how consistent they are,
and how many sit clearly below the standard; and the checklist's sections by region."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

import msgspec

from .. import describe, figures
from ..decisions import Decision
from ..report_model import (
    Cell,
    Column,
    Figure,
    Paragraph,
    Section,
    Translate,
    code_text,
    fmt,
    num,
    table,
)
from ..results import BranchEstimate

NO_REGION = ""


class RegionFigures(msgspec.Struct, frozen=True):
    """One region's branches summarised; ``spread`` is the standard deviation of their fair
    scores (0 for a region of one branch), ``below`` the branches settled below the standard."""

    region: str
    name: str
    branches: int
    visits: int
    mean: float
    spread: float
    consistency: float
    below: int


def region_figures(
    estimates: Sequence[BranchEstimate],
    region_of: dict[str, str],
    found: dict[str, Decision],
    names: dict[str, str] | None = None,
) -> list[RegionFigures]:
    """Every region's figures, the lowest mean fair score first."""
    grouped: dict[str, list[BranchEstimate]] = {}
    for b in estimates:
        grouped.setdefault(region_of.get(b.branch, NO_REGION), []).append(b)
    made = [
        RegionFigures(
            region=region,
            name=(names or {}).get(region, region),
            branches=len(members),
            visits=sum(b.n for b in members),
            mean=statistics.fmean(b.shrunken for b in members),
            spread=statistics.pstdev(b.shrunken for b in members) if len(members) > 1 else 0.0,
            consistency=statistics.fmean(b.consistency for b in members),
            below=sum(1 for b in members if _settled_below(found.get(b.branch))),
        )
        for region, members in grouped.items()
    ]
    return sorted(made, key=lambda r: (r.mean, r.region))


def _settled_below(decision: Decision | None) -> bool:
    return decision is not None and decision.verdict == "below"


def regions_section(
    regions: list[RegionFigures],
    standard: float,
    _: Translate,
    league_href: Callable[[str], str] | None = None,
) -> Section:
    """The regions as a table and a chart of each one's mean with its spread (red: a mean
    below the standard); with ``league_href`` each region links to the league table narrowed
    to its branches."""

    def link(r: RegionFigures) -> str | None:
        return None if league_href is None or not r.region else league_href(r.region)

    def label(r: RegionFigures) -> str:
        if r.region == NO_REGION:
            return _("no region")
        return r.name if r.name and r.name != r.region else code_text(r.region)

    fig = figures.dot_intervals(
        [label(r) for r in regions],
        [r.mean for r in regions],
        [r.mean - r.spread for r in regions],
        [r.mean + r.spread for r in regions],
        title=_("Fair score by region: mean and spread of its branches"),
        x_label=_("Fair score"),
        reference=standard,
        colours=[figures.RED if r.mean < standard else figures.BLUE for r in regions],
        score_axis=True,
    )
    columns: list[Column[RegionFigures]] = [
        Column(_("Region"), lambda r: Cell(label(r), href=link(r)), lambda r: r.region,
               "region"),
        Column(_("Branches"), lambda r: num(r.branches, 0), lambda r: r.branches, "branches"),
        Column(_("Visits"), lambda r: num(r.visits, 0), lambda r: r.visits, "visits"),
        Column(_("Mean fair score"), lambda r: num(r.mean), lambda r: round(r.mean, 2),
               "mean_fair_score"),
        Column(_("Spread (SD)"), lambda r: num(r.spread), lambda r: round(r.spread, 2),
               "spread"),
        Column(_("Consistency"), lambda r: num(r.consistency),
               lambda r: round(r.consistency, 1), "consistency"),
        Column(_("Clearly below the standard"), lambda r: num(r.below, 0), lambda r: r.below,
               "below_standard"),
    ]  # fmt: skip
    note = Paragraph(
        _(
            "Each region's branches: their mean fair score, how far their fair scores spread "
            "(standard deviation), their mean consistency index and how many are clearly "
            "below the standard of %(standard)s."
        )
        % {"standard": fmt(standard)}
    )
    return Section(
        "regions",
        _("Regions"),
        [
            note,
            Figure("regions", _("Fair score by region: mean and spread of its branches"), fig),
            table(
                "regions",
                _("Regions"),
                columns,
                regions,
                lambda r: "below" if r.mean < standard else "",
                always_printed=True,
            ),
        ],
        method=_(
            "A branch is clearly below the standard when the whole of its fair score's "
            "interval (95%) lies below it. The consistency index is 100 when every visit "
            "scores alike and lower where service varies more from visit to visit."
        ),
    )


def region_heatmap(rows: list, sections: dict[str, str], _: Translate) -> Figure:
    """Each region's mean per checklist section: the branches × sections grid, summarised."""
    by_region: dict[str, list] = {}
    for r in rows:
        by_region.setdefault(r.region, []).append(r)
    regions = sorted(by_region)
    keys = [k for k in sections if any(k in r.sections for r in rows)]
    z, text = [], []
    for region in regions:
        means = describe.section_means(by_region[region])
        z.append([round(means[k].mean, 1) if k in means else None for k in keys])
        text.append([fmt(means[k].mean, 0) if k in means else "" for k in keys])
    fig = figures.heatmap(
        [figures.short_label(sections[k], 22) for k in keys],
        [code_text(r) if r else _("no region") for r in regions],
        z,
        text=text,
        title=_("Region × checklist section"),
    )
    return Figure("heatmap", _("Region × checklist section"), fig)
