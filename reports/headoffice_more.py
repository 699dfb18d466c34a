"""Head office's report, second half: shifts and channels, shoppers (severity, calibration)
and trends with their signals. Pure, like ``headoffice_report``."""

from __future__ import annotations

from collections.abc import Callable

from . import describe, figures
from .report_model import (
    Cell,
    Figure,
    Paragraph,
    Section,
    Translate,
    channel_name,
    fmt,
    interval,
    make_table,
    num,
    prose,
    signal_name,
)

Href = Callable[[str], str | None]
MANY = 60  # marks past which a chart goes into the PDF as PNG


def groups_section(rows: list, _: Translate) -> Section:
    blocks: list = []
    for key, title, get, label in (
        ("shifts", _("Shifts compared"), lambda r: r.shift, str),
        ("channels", _("Channels compared"), lambda r: r.channel, lambda c: channel_name(c, _)),
    ):
        gs = describe.groups(rows, get)
        fig = figures.bars(
            [label(g.key) for g in gs],
            [round(g.mean, 1) for g in gs],
            title=title,
            x_label=_("mean score"),
        )
        blocks.append(Figure(key, title, fig))
        blocks.append(
            make_table(
                key,
                title,
                [_("Group"), _("Visits"), _("Mean"), _("SD")],
                [
                    (
                        [Cell(label(g.key)), num(g.n, 0), num(g.mean), num(g.sd)],
                        [g.key, g.n, round(g.mean, 2), round(g.sd, 2) if g.sd == g.sd else None],
                    )
                    for g in gs
                ],
            )
        )
    return Section("groups", _("Shifts and channels"), blocks)


def auditors_section(analysis: dict, item_titles: dict[str, str], _: Translate) -> Section:
    auditors = sorted(analysis["auditors"], key=lambda a: a["severity"])
    fig = figures.dot_intervals(
        [a["auditor"] for a in auditors],
        [a["severity"] for a in auditors],
        [a["interval"][0] for a in auditors],
        [a["interval"][1] for a in auditors],
        title=_("Shopper severity (negative = strict)"),
        x_label=_("points"),
        reference=0.0,
    )
    table = make_table(
        "auditors",
        _("Shopper severity"),
        [_("Shopper"), _("Visits"), _("Raw mean"), _("Severity"), _("Interval")],
        [
            (
                [
                    Cell(a["auditor"]),
                    num(a["n"], 0),
                    num(a.get("raw_mean")),
                    num(a["severity"]),
                    Cell(interval(*a["interval"])),
                ],
                [a["auditor"], a["n"], a.get("raw_mean"), a["severity"], *a["interval"]],
            )
            for a in auditors
        ],
    )
    table.csv_columns = ["auditor", "n", "raw_mean", "severity", "interval_low", "interval_high"]
    blocks: list = [
        Figure(
            "auditors", _("Shopper severity (negative = strict)"), fig, raster=len(auditors) > MANY
        ),
        table,
    ]
    c = analysis.get("calibration") or {}
    blocks.append(
        Paragraph(
            _(
                "Calibration: %(pairs)s visits scored twice; agreement on the total "
                "(ICC) %(icc)s, mean difference %(diff)s points."
            )
            % {
                "pairs": fmt(c.get("pairs", 0), 0),
                "icc": fmt(c.get("icc"), 2),
                "diff": fmt(c.get("mean_abs_difference")),
            }
        )
    )
    items = [i for i in c.get("items") or [] if i.get("n")]  # items no pair answered: nothing
    if items:
        keys = [k for k in items[0] if k != "item"]
        headers = {
            "n": _("Pairs"),
            "alpha": _("Krippendorff's α"),
            "kappa": _("Cohen's κ"),
            "agreement": _("Same answer"),  # share of pairs that gave the identical answer
        }
        blocks.append(
            make_table(
                "calibration",
                _("Agreement per item"),
                [_("Item"), *[headers.get(k, k) for k in keys]],
                [
                    (
                        [
                            prose(item_titles.get(str(i.get("item")), str(i.get("item")))),
                            *[_agreement_cell(i.get(k)) for k in keys],
                        ],
                        [i.get("item"), *[i.get(k) for k in keys]],
                    )
                    for i in items
                ],
            )
        )
    return Section("auditors", _("Shoppers: severity and calibration"), blocks)


def _agreement_cell(value: object) -> Cell:
    """A coefficient to two places, a count as it is, a missing one (no variation) as a dash."""
    if isinstance(value, float):
        return Cell(fmt(value, 2), css="num")
    return Cell("–" if value is None else str(value), css="num")


def trends_section(analysis: dict, href: Href, _: Translate) -> Section:
    trends = analysis.get("trends") or []
    fig = figures.dot_intervals(
        [t["branch"] for t in trends],
        [t["slope_per_year"] for t in trends],
        [t["interval"][0] for t in trends],
        [t["interval"][1] for t in trends],
        title=_("Trend per branch, points a year"),
        x_label=_("points a year"),
        reference=0.0,
        links=[href(t["branch"]) or "" for t in trends],
        colours=[figures.RED if t.get("alarm") else figures.BLUE for t in trends],
    )
    table = make_table(
        "trends",
        _("Trends and control-chart signals"),
        [_("Branch"), _("Visits"), _("Slope a year"), _("Interval"), _("q"), _("Signals")],
        [
            (
                [
                    Cell(t["branch"], href=href(t["branch"])),
                    num(t["n"], 0),
                    num(t["slope_per_year"]),
                    Cell(interval(*t["interval"])),
                    num(t.get("q"), 3),
                    Cell(
                        ", ".join(
                            f"{signal_name(s['rule'], _)} {s['date']}"
                            for s in t.get("signals") or []
                        )
                    ),
                ],
                [
                    t["branch"],
                    t["n"],
                    t["slope_per_year"],
                    *t["interval"],
                    t.get("q"),
                    " ".join(f"{s['rule']}@{s['date']}" for s in t.get("signals") or []),
                ],
            )
            for t in trends
        ],
        ["below" if t.get("alarm") else "" for t in trends],
    )
    table.csv_columns = [
        "branch",
        "n",
        "slope_per_year",
        "interval_low",
        "interval_high",
        "q",
        "signals",
    ]
    return Section(
        "trends",
        _("Trends with control limits and signals"),
        [
            Figure("trends", _("Trend per branch, points a year"), fig, raster=len(trends) > MANY),
            table,
        ],
    )
