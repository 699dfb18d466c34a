"""The branch report, second half: staff consistency, item pass rates and the visits. Pure,
like ``branch_report``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import describe, figures
from .report_model import (
    Cell,
    Figure,
    Section,
    Translate,
    channel_name,
    make_table,
    num,
    prose,
)

Href = Callable[[str], str | None]


def staff_section(data: Any, _: Translate) -> Section:
    flagged = {
        e["staff"]: e for e in data.analysis.get("staff") or [] if e.get("branch") == data.code
    }
    staff = [g for g in describe.groups(data.rows, lambda r: r.staff) if g.n]
    sds = [0.0 if g.sd != g.sd else g.sd for g in staff]  # NaN: a single visit
    label = {r.staff: r.staff_label for r in data.rows}
    fig = figures.dot_intervals(
        [label[g.key] for g in staff],
        [round(g.mean, 1) for g in staff],
        [g.mean - s for g, s in zip(staff, sds, strict=True)],
        [g.mean + s for g, s in zip(staff, sds, strict=True)],
        title=_("Staff: mean ± one standard deviation"),
        x_label=_("score"),
        colours=[figures.RED if g.key in flagged else figures.BLUE for g in staff],
    )
    rows, css = [], []
    for g, sd in zip(staff, sds, strict=True):
        flags = flagged.get(g.key, {}).get("flags", [])
        rows.append(
            (
                [
                    Cell(label[g.key]),
                    num(g.n, 0),
                    num(g.mean),
                    num(sd),
                    Cell(", ".join(_(f) for f in flags)),
                ],
                [label[g.key], g.n, round(g.mean, 2), round(sd, 2), " ".join(flags)],
            )
        )
        css.append("below" if flags else "")
    table = make_table(
        "staff",
        _("Staff consistency"),
        [_("Staff"), _("Visits"), _("Mean"), _("SD"), _("Flags")],
        rows,
        css,
    )
    return Section(
        "staff", _("Staff consistency"), [Figure("staff", _("Staff consistency"), fig), table]
    )


def items_section(data: Any, _: Translate) -> Section:
    rates = describe.item_pass_rates(data.rows)
    worst = rates[:15]
    fig = figures.bars(
        [data.item_titles.get(k, k)[:48] for k, _n, _r in worst],
        [round(r * 100, 1) for _k, _n, r in worst],
        title=_("Items passed least often"),
        x_label=_("Visits passed (%)"),
    )
    table = make_table(
        "items",
        _("Item pass rates"),
        [_("Item"), _("Visits"), _("Passed %")],
        [
            (
                [prose(data.item_titles.get(k, k)), num(n, 0), num(r * 100)],
                [k, n, round(r * 100, 2)],
            )
            for k, n, r in rates
        ],
        ["failed" if r < 0.5 else "" for _k, _n, r in rates],
    )
    return Section(
        "items", _("Item pass rates"), [Figure("items", _("Items passed least often"), fig), table]
    )


def visits_section(data: Any, audit_href: Href, _: Translate) -> Section:
    shown = "%Y-%m-%d %H:%M" if data.times_shown else "%Y-%m-%d"
    rows = [
        (
            [
                Cell(r.local.strftime(shown), href=audit_href(r.id)),
                Cell(r.shift),
                Cell(channel_name(r.channel, _)),
                Cell(r.staff),
                num(r.score),
            ],
            [
                r.id,
                r.local.isoformat() if data.times_shown else r.local.date().isoformat(),
                r.shift,
                r.channel,
                r.staff,
                r.score,
            ],
        )
        for r in reversed(data.rows)
    ]
    table = make_table(
        "visits",
        _("Visits"),
        [_("Visited"), _("Shift"), _("Channel"), _("Staff"), _("Score")],
        rows,
    )
    table.csv_columns = ["audit", *table.columns]
    return Section("visits", _("Visits"), [table])
