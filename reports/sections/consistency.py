"""Where scores differ (pure): for a branch its shifts × weekdays and its staff; for head
office the shifts and channels compared, and the sources of variance (``reports.variance``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import describe, figures
from ..branch_input import BranchInput
from ..report_model import (
    Block,
    Cell,
    Column,
    Figure,
    Paragraph,
    Section,
    Translate,
    channel_name,
    fmt,
    likely,
    num,
    table,
)
from ..results import AnalysisResult, CellEffect

VARIANCE_PARTS = ("branch", "branch_shift", "staff", "auditor", "residual")
ShiftRow = tuple[describe.Group, CellEffect | None]


def shifts_section(data: BranchInput, _: Translate) -> Section:
    """The branch's mean by shift and weekday, and each shift's effect from the analysis."""
    shifts = [g.key for g in describe.groups(data.rows, lambda r: r.shift)]
    cells = describe.cell_means(
        data.rows, lambda r: r.shift, lambda r: describe.WEEKDAYS[r.local.weekday()]
    )
    z, text = describe.matrix(cells, shifts, describe.WEEKDAYS)
    weekdays = [_(day) for day in describe.WEEKDAYS]  # the keys stay English, the labels not
    named = [data.shift_names.get(s, s) for s in shifts]
    fig = figures.heatmap(weekdays, named, z, text=text, title=_("Mean score by shift and weekday"))
    effects = {e.shift: e for e in data.findings.cells}
    rows: list[ShiftRow] = [
        (g, effects.get(g.key)) for g in describe.groups(data.rows, lambda r: r.shift)
    ]
    columns: list[Column[ShiftRow]] = [
        Column(
            _("Shift"), lambda r: Cell(data.shift_names.get(r[0].key, r[0].key)), lambda r: r[0].key
        ),
        Column(_("Visits"), lambda r: num(r[0].n, 0), lambda r: r[0].n),
        Column(_("Mean"), lambda r: num(r[0].mean), lambda r: round(r[0].mean, 2)),
        # The CSV keeps its headers (an API): "Effect" and "Interval" as they always were.
        Column(_("Own difference (points)"), lambda r: num(_effect(r)), _effect, _("Effect")),
        Column(
            _("Likely range"),
            lambda r: Cell(likely(None if r[1] is None else r[1].interval, _)),
            # the CSV has always carried the interval as one "[low, high]" value
            lambda r: None if r[1] is None else [r[1].interval.low, r[1].interval.high],
            _("Interval"),
        ),
    ]
    return Section(
        "shifts",
        _("Shifts and weekdays"),
        [
            Figure("shift_weekday", _("Mean score by shift and weekday"), fig),
            table("shifts", _("Shifts"), columns, rows),
        ],
        method=_(
            "A shift's own difference is how much its visits score above or below the branch's "
            "usual level once the shopper's strictness is taken out (a mixed model of branch, "
            "shift, staff and shopper), with its interval (95%); a range wholly above or below "
            "the branch's level is a difference chance does not explain."
        ),
    )


def _effect(row: ShiftRow) -> float | None:
    return None if row[1] is None else row[1].effect


def staff_section(data: BranchInput, _: Translate) -> Section:
    """Each staff member's mean ± SD; those the analysis flags (erratic, below) in red."""
    flagged = {e.staff: e.flags for e in data.findings.staff}
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
        score_axis=True,
    )
    rows = list(zip(staff, sds, strict=True))

    def flags(row: tuple[describe.Group, float]) -> list[str]:
        return flagged.get(row[0].key, [])

    columns: list[Column[tuple[describe.Group, float]]] = [
        Column(_("Staff"), lambda r: Cell(label[r[0].key]), lambda r: label[r[0].key]),
        Column(_("Visits"), lambda r: num(r[0].n, 0), lambda r: r[0].n),
        Column(_("Mean"), lambda r: num(r[0].mean), lambda r: round(r[0].mean, 2)),
        Column(_("SD"), lambda r: num(r[1]), lambda r: round(r[1], 2)),
        Column(
            _("Flags"),
            lambda r: Cell(", ".join(_(f) for f in flags(r))),
            lambda r: " ".join(flags(r)),
        ),
    ]
    made = table(
        "staff",
        _("Staff consistency"),
        columns,
        rows,
        lambda r: "below" if flags(r) else "",
    )
    return Section(
        "staff", _("Staff consistency"), [Figure("staff", _("Staff consistency"), fig), made]
    )


def groups_section(rows: list, _: Translate, shift_names: dict[str, str] | None = None) -> Section:
    """Shifts (named in the reader's language) and channels across the organisation: mean
    and SD of each."""
    names = shift_names or {}
    blocks = [
        *_compared(
            rows, "shifts", _("Shifts compared"), lambda r: r.shift, lambda s: names.get(s, s), _
        ),
        *_compared(
            rows,
            "channels",
            _("Channels compared"),
            lambda r: r.channel,
            lambda c: channel_name(c, _),
            _,
        ),
    ]
    return Section("groups", _("Shifts and channels"), blocks)


def _compared(
    rows: list,
    key: str,
    title: str,
    get: Callable[[Any], str | None],
    label: Callable[[str], str],
    _: Translate,
) -> list[Block]:
    """A chart and a table of the groups of ``rows`` by ``get``."""
    gs = describe.groups(rows, get)
    fig = figures.bars(
        [label(g.key) for g in gs],
        [round(g.mean, 1) for g in gs],
        title=title,
        x_label=_("mean score"),
        score_axis=True,
    )
    columns: list[Column[describe.Group]] = [
        Column(_("Group"), lambda g: Cell(label(g.key)), lambda g: g.key),
        Column(_("Visits"), lambda g: num(g.n, 0), lambda g: g.n),
        Column(_("Mean"), lambda g: num(g.mean), lambda g: round(g.mean, 2)),
        Column(_("SD"), lambda g: num(g.sd), lambda g: round(g.sd, 2) if g.sd == g.sd else None),
    ]
    return [Figure(key, title, fig), table(key, title, columns, gs)]


def variance_section(analysis: AnalysisResult, _: Translate) -> Section:
    """The share of the score variance from each source, and the visits a branch needs."""
    v = analysis.variance
    assert v is not None  # head office's report shows this only when branches were compared
    names = {
        "branch": _("branch"),
        "branch_shift": _("branch × shift"),
        "staff": _("staff"),
        "auditor": _("shopper"),
        "residual": _("visit to visit"),
    }
    fig = figures.bars(
        [names[k] for k in VARIANCE_PARTS],
        [round(v.share(k) * 100, 1) for k in VARIANCE_PARTS],
        title=_("Where score differences come from"),
        x_label=_("Share of variance (%)"),
        score_axis=True,
    )
    columns: list[Column[str]] = [
        Column(_("Source"), lambda k: Cell(names[k]), lambda k: k),
        Column(_("Share %"), lambda k: num(v.share(k) * 100), v.share),
        Column(
            _("Variance"),
            lambda k: num(getattr(v.components, k)),
            lambda k: getattr(v.components, k),
        ),
    ]
    note = Paragraph(
        _("A branch needs about %(n)s visits for its average to be dependable.")
        % {"n": fmt(v.visits_for_reliability_0_8, 0)}
    )
    method = _(
        "The shares come from a mixed model of the scores with branch, branch × shift, staff "
        "and shopper as random effects; what is left is visit-to-visit noise. The share from "
        "branches (the ICC) is %(icc)s; a dependable average is one of reliability 0.8, and "
        "the visits it takes follow from the ICC by the Spearman–Brown formula."
    ) % {"icc": fmt(v.icc, 2)}
    return Section(
        "variance",
        _("Where inconsistency comes from"),
        [
            Figure("variance", _("Where score differences come from"), fig),
            note,
            table("variance", _("Variance shares"), columns, VARIANCE_PARTS),
        ],
        method=method,
    )
