"""Shoppers (pure): how strict each one scores, and how well pairs scoring the same visit
agree (``reports.variance``, ``reports.calibration``). Head office's alone: a manager never
learns who the shopper was."""

from __future__ import annotations

from .. import figures
from ..report_model import (
    MANY,
    Block,
    Cell,
    Column,
    CsvOnly,
    Figure,
    Paragraph,
    Section,
    Translate,
    fmt,
    likely,
    num,
    prose,
    table,
)
from ..results import AnalysisResult, AuditorSeverity, ItemAgreement


def auditors_section(
    analysis: AnalysisResult,
    item_titles: dict[str, str],
    _: Translate,
    csv_only: CsvOnly | None = None,
) -> Section:
    """Each shopper's severity; ``csv_only``: hundreds of shoppers in the CSV only."""
    auditors = sorted(analysis.auditors, key=lambda a: a.severity)
    fig = figures.dot_intervals(
        [a.auditor for a in auditors],
        [a.severity for a in auditors],
        [a.interval.low for a in auditors],
        [a.interval.high for a in auditors],
        title=_("Shopper severity (negative = strict)"),
        x_label=_("points"),
        reference=0.0,
    )
    columns: list[Column[AuditorSeverity]] = [
        Column(_("Shopper"), lambda a: Cell(a.auditor), lambda a: a.auditor, "auditor"),
        Column(_("Visits"), lambda a: num(a.n, 0), lambda a: a.n, "n"),
        Column(_("Raw mean"), lambda a: num(a.raw_mean), lambda a: a.raw_mean, "raw_mean"),
        Column(_("Severity"), lambda a: num(a.severity), lambda a: a.severity, "severity"),
        Column(_("Likely range"), lambda a: Cell(likely(a.interval, _))),
        Column("interval_low", csv=lambda a: a.interval.low),
        Column("interval_high", csv=lambda a: a.interval.high),
    ]
    blocks: list[Block] = [
        Figure(
            "auditors", _("Shopper severity (negative = strict)"), fig, raster=len(auditors) > MANY
        ),
        table("auditors", _("Shopper severity"), columns, auditors, csv_only=csv_only),
    ]
    c = analysis.calibration
    blocks.append(
        Paragraph(
            _(
                "Calibration: %(pairs)s visits scored twice; agreement on the total "
                "(ICC) %(icc)s, mean difference %(diff)s points."
            )
            % {
                "pairs": fmt(c.pairs, 0),
                "icc": fmt(c.icc, 2),
                "diff": fmt(c.mean_abs_difference),
            }
        )
    )
    items = [i for i in c.items if i.n]  # items no pair answered: nothing to show
    if items:
        blocks.append(
            table("calibration", _("Agreement per item"), _agreement_columns(item_titles, _), items)
        )
    method = _(
        "A shopper's severity is how many points their scores lie above or below the others' "
        "for the same branches, from the mixed model of branch, shift, staff and shopper, with "
        "its interval (95%); every fair score takes it out. Agreement compares visits scored by "
        "two shoppers: ICC for the totals, Krippendorff's α and Cohen's κ per item (1: always "
        "the same answer; 0: no better than chance)."
    )
    return Section("auditors", _("Shoppers: severity and calibration"), blocks, method=method)


def _agreement_columns(item_titles: dict[str, str], _: Translate) -> list[Column[ItemAgreement]]:
    return [
        Column(_("Item"), lambda i: prose(item_titles.get(i.item, i.item)), lambda i: i.item),
        Column(_("Pairs"), lambda i: Cell(str(i.n), css="num"), lambda i: i.n),
        Column(_("Krippendorff's α"), lambda i: _coefficient(i.alpha), lambda i: i.alpha),
        Column(_("Cohen's κ"), lambda i: _coefficient(i.kappa), lambda i: i.kappa),
        # the share of pairs that gave the identical answer
        Column(_("Same answer"), lambda i: _coefficient(i.agreement), lambda i: i.agreement),
    ]


def _coefficient(value: float | None) -> Cell:
    """A coefficient to two places; a missing one (no variation) as a dash."""
    return Cell("–" if value is None else fmt(value, 2), css="num")
