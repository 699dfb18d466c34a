"""The checklist's sections and items (pure): a branch's section scores against the
organisation and its item pass rates; head office's branches × sections."""

from __future__ import annotations

from .. import describe, figures
from ..branch_input import BranchInput
from ..report_model import (
    MANY,
    Cell,
    Column,
    CsvOnly,
    Figure,
    Href,
    Section,
    Translate,
    branch_label,
    csv_only_table,
    fmt,
    num,
    prose,
    table,
)


def sections_section(data: BranchInput, _: Translate) -> Section:
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
        names=(branch_label(data.code, data.name), _("organisation")),
        score_axis=True,
    )

    def gap(k: str) -> float:
        return mine[k].mean - org[k].mean

    columns: list[Column[str]] = [
        Column(_("Section"), lambda k: Cell(data.section_titles.get(k, k)), lambda k: k),
        Column(
            branch_label(data.code, data.name),
            lambda k: num(mine[k].mean),
            lambda k: round(mine[k].mean, 2),
            data.code,  # the CSV's header is the code, as it always was
        ),
        Column(_("organisation"), lambda k: num(org[k].mean), lambda k: round(org[k].mean, 2)),
        Column(_("difference"), lambda k: num(gap(k)), lambda k: round(gap(k), 2)),
    ]
    return Section(
        "sections",
        _("Sections against the organisation"),
        [
            Figure("sections", _("Sections against the organisation"), fig),
            table("sections", _("Section scores"), columns, keys),
        ],
    )


def items_section(data: BranchInput, _: Translate) -> Section:
    rates = describe.item_pass_rates(data.rows)
    worst = rates[:15]
    fig = figures.bars(
        [data.item_titles.get(k, k) for k, _n, _r in worst],
        [round(r * 100, 1) for _k, _n, r in worst],
        title=_("Items passed least often"),
        x_label=_("Visits passed (%)"),
        score_axis=True,
    )
    columns: list[Column[tuple[str, int, float]]] = [
        Column(_("Item"), lambda i: prose(data.item_titles.get(i[0], i[0])), lambda i: i[0]),
        Column(_("Visits"), lambda i: num(i[1], 0), lambda i: i[1]),
        Column(_("Passed %"), lambda i: num(i[2] * 100), lambda i: round(i[2] * 100, 2)),
    ]
    made = table(
        "items", _("Item pass rates"), columns, rates, lambda i: "failed" if i[2] < 0.5 else ""
    )
    return Section(
        "items", _("Item pass rates"), [Figure("items", _("Items passed least often"), fig), made]
    )


HeatmapRow = tuple[str, str, list[float | None], str]
"""A branch's row: its label, its code, its means in the order of the sections shown and its
label in the CSV (region · code, as the CSV has always carried it)."""


def _section_column(title: str, j: int) -> Column[HeatmapRow]:
    return Column(title, lambda r: num(r[2][j]), lambda r: r[2][j])


def heatmap_section(
    rows: list,
    sections: dict[str, str],
    href: Href,
    _: Translate,
    region_chart: Figure | None = None,
    csv_only: CsvOnly | None = None,
) -> Section:
    """Each branch's mean per checklist section, branches by region and named with their
    codes ("North · Kifisia (B07)"). With ``region_chart`` (thousands of branches) that chart
    takes the branches' place and their table is in the CSV only, its rows built only for
    that CSV (``csv_only``)."""
    branch_keys = sorted({(r.region, r.branch) for r in rows})
    title = _("Section scores by branch")
    if region_chart is not None and (csv_only or CsvOnly()).always().left_out(
        "sections", len(branch_keys)
    ):
        made = csv_only_table("sections", title, len(branch_keys))
        return Section("heatmap", _("Branches × sections"), [region_chart, made])
    names = {r.branch: getattr(r, "branch_name", "") for r in rows}
    labels = [
        f"{reg} · {branch_label(b, names[b])}" if reg else branch_label(b, names[b])
        for reg, b in branch_keys
    ]
    by_branch: dict[str, list] = {}
    for r in rows:
        by_branch.setdefault(r.branch, []).append(r)
    keys = [k for k in sections if any(k in r.sections for r in rows)]
    z, text = [], []
    for _reg, b in branch_keys:
        means = describe.section_means(by_branch[b])
        z.append([round(means[k].mean, 1) if k in means else None for k in keys])
        text.append([fmt(means[k].mean, 0) if k in means else "" for k in keys])
    columns: list[Column[HeatmapRow]] = [
        Column(_("Branch"), lambda r: Cell(r[0], href=href(r[1])), lambda r: r[3]),
        *[_section_column(sections[k], j) for j, k in enumerate(keys)],
    ]
    table_rows = [
        (lab, b, zr, f"{reg} · {b}" if reg else b)
        for lab, zr, (reg, b) in zip(labels, z, branch_keys, strict=True)
    ]
    made = table("sections", title, columns, table_rows)
    if region_chart is not None:
        made.on_page = False
        return Section("heatmap", _("Branches × sections"), [region_chart, made])
    fig = figures.heatmap(
        [figures.short_label(sections[k], 22) for k in keys],
        labels,
        z,
        text=text,
        title=_("Region · branch × checklist section"),
        row_links=[href(b) for _reg, b in branch_keys],
    )
    return Section(
        "heatmap",
        _("Branches × sections"),
        [
            Figure(
                "heatmap", _("Region · branch × checklist section"), fig, raster=len(labels) > MANY
            ),
            made,
        ],
    )
