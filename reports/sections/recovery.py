"""Follow-up in the branch and head-office reports: how failed items are being recovered (pure).

The figures come from ``reports.recovery.recovery_figures`` over every action the reader may
see, whatever the report's period: an action opened in March and still open matters in June.
"""

from __future__ import annotations

from ..recovery import RecoveryFigures, RecoveryRow
from ..report_model import (
    Cell,
    Column,
    CsvOnly,
    Paragraph,
    Section,
    Translate,
    fmt,
    num,
    percent,
    prose,
    table,
)


def recovery_section(
    figures: RecoveryFigures,
    *,
    per: str,
    titles: dict[str, str],
    _: Translate,
    csv_only: CsvOnly | None = None,
) -> Section:
    """The total in a sentence, then a table per branch (``per="branches"``) or per item;
    ``csv_only``: a chain's thousands of branches in the CSV only."""
    total = figures.total
    if not total.total:
        return Section("recovery", _("Follow-up"), [Paragraph(_("No corrective actions yet."))])
    sentence = _(
        "%(total)s corrective actions: %(open)s waiting, %(overdue)s overdue; closed in "
        "%(days)s days (median); %(rate)s of those re-checked by a visit recurred."
    ) % {
        "total": fmt(total.total, 0),
        "open": fmt(total.open, 0),
        "overdue": fmt(total.overdue, 0),
        "days": fmt(total.median_days_to_close, 0),
        "rate": _rate(total),
    }
    rows = figures.branches if per == "branches" else figures.items
    worst_first = sorted(rows, key=lambda r: (-r.overdue, -r.open, r.key))
    columns: list[Column[RecoveryRow]] = [
        Column(
            _("Branch") if per == "branches" else _("Item"),
            lambda r: prose(titles.get(r.key, r.key)) if titles else Cell(r.key),
            lambda r: r.key,
        ),
        Column(_("Actions"), lambda r: num(r.total, 0), lambda r: r.total),
        Column(_("Waiting"), lambda r: num(r.open, 0), lambda r: r.open),
        Column(_("Overdue"), lambda r: num(r.overdue, 0), lambda r: r.overdue),
        Column(
            _("Median days to close"),
            lambda r: num(r.median_days_to_close, 0),
            lambda r: r.median_days_to_close,
        ),
        Column(
            _("Recurrence rate"), lambda r: Cell(_rate(r), css="num"), lambda r: r.recurrence_rate
        ),
    ]
    made = table(
        "recovery",
        _("Follow-up per branch") if per == "branches" else _("Follow-up per item"),
        columns,
        worst_first,
        lambda r: "failed" if r.overdue else "",
        csv_only=csv_only,
    )
    return Section("recovery", _("Follow-up"), [Paragraph(sentence), made])


def _rate(row: RecoveryRow) -> str:
    return percent(row.recurrence_rate)
