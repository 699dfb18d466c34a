"""Head office's report for a period: the fair league table, the funnel plot, branch ×
section, where inconsistency comes from, shifts and channels, shoppers' severity and
calibration, trends and their signals. Pure: rows and the analysis of the same rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import describe, figures
from .branches import Z998, funnel_curve
from .headoffice_more import MANY, auditors_section, groups_section, trends_section
from .recovery import RecoveryFigures
from .recovery_section import recovery_section
from .report_model import (
    Block,
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
)
from .summary import headoffice_summary
from .variance import Z95

Href = Callable[[str], str | None]
VARIANCE_PARTS = ("branch", "branch_shift", "staff", "auditor", "residual")


@localised_numbers
def headoffice_report(
    rows: list,
    analysis: dict,
    *,
    period: str,
    sections: dict[str, str],
    lang: str,
    items: dict[str, str] | None = None,
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
    if not analysis.get("branches"):
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
    parts = [
        _league(analysis, branch_href, _),
        _funnel(analysis, branch_href, _),
        _heatmap(rows, sections, branch_href, _),
        _variance(analysis, _),
        groups_section(rows, _),
        auditors_section(analysis, items or {}, _),
        trends_section(analysis, branch_href, _),
    ]
    if recovery is not None:
        parts.append(recovery_section(recovery, per="branches", titles={}, _=_))
    return Report(
        "headoffice",
        _("Head-office report"),
        period,
        lang,
        facts,
        headoffice_summary(analysis, _),
        parts,
    )


def _league(analysis: dict, href: Href, _: Translate) -> Section:
    ranked = sorted(analysis["branches"], key=lambda b: b["rank"])
    fig = figures.dot_intervals(
        [b["branch"] for b in ranked],
        [b["shrunken"] for b in ranked],
        [b["interval"][0] for b in ranked],
        [b["interval"][1] for b in ranked],
        title=_("Fair score with interval (95%)"),
        x_label=_("score (adjusted, shrunken)"),
        links=[href(b["branch"]) or "" for b in ranked],
        colours=[_funnel_colour(b) for b in ranked],
    )
    columns = [
        _("Rank"),
        _("Branch"),
        _("Visits"),
        _("Mean"),
        _("Adjusted"),
        _("Fair score"),
        _("Interval"),
        _("Funnel"),
        _("Consistency"),
    ]
    table_rows, css = [], []
    for b in ranked:
        position = b["funnel"]["p998"] if b["funnel"]["p998"] != "within" else b["funnel"]["p95"]
        table_rows.append(
            (
                [
                    Cell(
                        f"{fmt(b['rank'], 0)} "
                        f"({fmt(b['rank_interval'][0], 0)}–{fmt(b['rank_interval'][1], 0)})"
                    ),
                    Cell(b["branch"], href=href(b["branch"])),
                    num(b["n"], 0),
                    num(b["mean"]),
                    num(b["adjusted_mean"]),
                    num(b["shrunken"]),
                    Cell(interval(*b["interval"])),
                    Cell(_(position)),
                    num(b.get("consistency")),
                ],
                [
                    b["rank"],
                    b["branch"],
                    b["n"],
                    b["mean"],
                    b["adjusted_mean"],
                    b["shrunken"],
                    b["interval"][0],
                    b["interval"][1],
                    position,
                    b.get("consistency"),
                ],
            )
        )
        css.append(position if position in ("above", "below") else "")
    table = make_table(
        "league", _("Fair league table"), columns, table_rows, css, always_printed=True
    )
    table.csv_columns = [
        "rank",
        "branch",
        "n",
        "mean",
        "adjusted_mean",
        "shrunken",
        "interval_low",
        "interval_high",
        "funnel",
        "consistency",
    ]
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
            table,
        ],
    )


def _funnel_colour(b: dict) -> str:
    position = b["funnel"]["p998"]
    return {"above": figures.GREEN, "below": figures.RED}.get(position, figures.BLUE)


def _funnel(analysis: dict, href: Href, _: Translate) -> Section:
    ranked = sorted(analysis["branches"], key=lambda b: b["n"])
    shared = ranked[0]["funnel"]  # target, within-branch variance and τ² are the same for all
    target, span = shared["target"], (ranked[0]["n"] * 0.8, ranked[-1]["n"] * 1.1 + 1)
    limits = {
        "95%": funnel_curve(shared, Z95, *span),
        "99.8%": funnel_curve(shared, Z998, *span),
    }
    fig = figures.funnel(
        [b["n"] for b in ranked],
        [b["adjusted_mean"] for b in ranked],
        [b["branch"] for b in ranked],
        limits,
        target,
        title=_("Funnel plot: adjusted mean against visits"),
        x_label=_("visits"),
        y_label=_("adjusted mean"),
        links=[href(b["branch"]) or "" for b in ranked],
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


def _heatmap(rows: list, sections: dict[str, str], href: Href, _: Translate) -> Section:
    branch_keys = sorted({(r.region, r.branch) for r in rows})
    labels = [f"{reg} · {b}" if reg else b for reg, b in branch_keys]
    by_branch: dict[str, list] = {}
    for r in rows:
        by_branch.setdefault(r.branch, []).append(r)
    keys = [k for k in sections if any(k in r.sections for r in rows)]
    z, text = [], []
    for _reg, b in branch_keys:
        means = describe.section_means(by_branch[b])
        z.append([round(means[k].mean, 1) if k in means else None for k in keys])
        text.append([fmt(means[k].mean, 0) if k in means else "" for k in keys])
    fig = figures.heatmap(
        [sections[k][:22] for k in keys],
        labels,
        z,
        text=text,
        title=_("Region · branch × checklist section"),
        row_links=[href(b) for _reg, b in branch_keys],
    )
    table = make_table(
        "sections",
        _("Section scores by branch"),
        [_("Branch"), *[sections[k] for k in keys]],
        [
            ([Cell(lab, href=href(b)), *[num(v) for v in zr]], [lab, *zr])
            for lab, zr, (_reg, b) in zip(labels, z, branch_keys, strict=True)
        ],
    )
    return Section(
        "heatmap",
        _("Branches × sections"),
        [
            Figure(
                "heatmap", _("Region · branch × checklist section"), fig, raster=len(labels) > MANY
            ),
            table,
        ],
    )


def _variance(analysis: dict, _: Translate) -> Section:
    v = analysis["variance"]
    names = {
        "branch": _("branch"),
        "branch_shift": _("branch × shift"),
        "staff": _("staff"),
        "auditor": _("shopper"),
        "residual": _("visit to visit"),
    }
    fig = figures.bars(
        [names[k] for k in VARIANCE_PARTS],
        [round(v[k] * 100, 1) for k in VARIANCE_PARTS],
        title=_("Where score differences come from"),
        x_label=_("Share of variance (%)"),
    )
    table = make_table(
        "variance",
        _("Variance shares"),
        [_("Source"), _("Share %"), _("Variance")],
        [
            (
                [Cell(names[k]), num(v[k] * 100), num(v["components"][k])],
                [k, v[k], v["components"][k]],
            )
            for k in VARIANCE_PARTS
        ],
    )
    note = Paragraph(
        _("ICC %(icc)s; a branch needs %(n)s visits for a mean of reliability 0.8.")
        % {"icc": fmt(v["icc"], 2), "n": fmt(v["visits_for_reliability_0_8"], 0)}
    )
    return Section(
        "variance",
        _("Where inconsistency comes from"),
        [Figure("variance", _("Where score differences come from"), fig), note, table],
    )
