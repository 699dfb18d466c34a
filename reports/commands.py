"""``evenly analyse``: the consistency analysis of published audits, as tables or JSON."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterable

import click
import msgspec
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from checklists.cli_output import key_column, print_table
from reports.queries import UnknownChecklist, load_frame
from reports.results import AnalysisResult, Interval, VarianceComponents

console = Console()
TOP = 10


def _date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def _interval(pair: Interval | None) -> str:
    return "" if pair is None else f"[{pair.low:.1f}, {pair.high:.1f}]"


def _print_variance(v: VarianceComponents) -> None:
    table = Table(
        key_column("source"), "share of variance", title="Where score differences come from"
    )
    for name in ("branch", "branch_shift", "staff", "auditor", "residual"):
        table.add_row(name, f"{100 * v.share(name):.1f} %")
    print_table(console, table)
    visits = v.visits_for_reliability_0_8
    console.print(
        f"ICC (branch) {v.icc:.3f}; visits a branch needs for a mean of reliability 0.8: "
        f"{visits if visits is not None else 'n/a (branches do not differ)'}"
    )


def _print_branches(result: AnalysisResult) -> None:
    table = Table(
        "rank",
        key_column("branch"),
        "n",
        "raw mean",
        "adjusted",
        "shrunken [95%]",
        "consistency",
        "SD",
        "funnel 95%",
        title="Branches, fairly compared (best first)",
    )
    for row in result.branches:
        table.add_row(
            f"{row.rank} ({row.rank_interval.low}–{row.rank_interval.high})",
            row.branch,
            str(row.n),
            f"{row.mean:.1f}",
            f"{row.adjusted_mean:.1f}",
            f"{row.shrunken:.1f} {_interval(row.interval)}",
            f"{row.consistency:.0f}",
            f"{row.sd:.1f}",
            row.funnel.p95,
        )
    print_table(console, table)


def _effect(value: float, interval: Interval | None) -> str:
    return f"{value:+.1f} {_interval(interval)}"


# Columns of identifiers (usernames, codes, shift names): kept whole, however narrow the output.
KEYS = frozenset({"auditor", "branch", "shift", "staff"})


def _table(title: str, columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    table = Table(*(key_column(c) if c in KEYS else c for c in columns), title=title)
    for cells in list(rows)[:TOP]:
        table.add_row(*cells)
    print_table(console, table)


def _print_lists(result: AnalysisResult) -> None:
    _table(
        "Auditor severity (strict first)",
        ("auditor", "n", "severity [95%]"),
        ((a.auditor, str(a.n), _effect(a.severity, a.interval)) for a in result.auditors),
    )
    _table(
        "Branch × shift cells",
        ("branch", "shift", "n", "effect [95%]"),
        ((c.branch, c.shift, str(c.n), _effect(c.effect, c.interval)) for c in result.cells),
    )
    _table(
        "Staff: erratic or far below their branch",
        ("staff", "branch", "n", "SD", "q (spread)", "effect [95%]", "q (below)"),
        (
            (s.staff, s.branch, str(s.n), f"{s.sd:.1f}", f"{s.q:.3g}",
             _effect(s.effect, s.interval), f"{s.q_below:.3g}")
            for s in result.staff
            if s.flags
        ),
    )  # fmt: skip
    _table(
        "Trends (adjusted scores)",
        ("branch", "n", "slope/year [95%]", "q", "alarms"),
        (
            (t.branch, str(t.n), _effect(t.slope_per_year, t.interval), f"{t.q:.3g}",
             str(len(t.signals)))
            for t in result.trends
        ),
    )  # fmt: skip
    calibration = result.calibration
    if calibration.pairs:
        console.print(
            f"Calibration: {calibration.pairs} visits scored twice; ICC on the "
            f"total {calibration.icc}, mean gap {calibration.mean_abs_difference}"
        )


@click.command("analyse")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First visit date.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last visit date.")
@click.option("--checklist", default=None, help="Only audits of this checklist (slug).")
@click.option("--standard", default=80.0, show_default=True, help="Score a visit should reach.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def analyse(start, end, checklist, standard, as_json) -> None:
    """Consistency analysis of the published audits: variance, auditors, branches, cells,
    staff, trends and calibration."""
    from reports.analysis import STEPS  # SciPy: imported by this command only, not by `evenly`
    from reports.analysis import analyse as run_analysis

    start, end = _date(start), _date(end)
    if start and end and start > end:
        raise click.BadParameter("--from is after --to.", param_hint="--from")
    try:
        frame = asyncio.run(load_frame(start=start, end=end, checklist=checklist))
    except UnknownChecklist as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        # The JSON as it always was: to_builtins keeps the field names and order, json.dumps
        # its spacing.
        result = msgspec.to_builtins(run_analysis(frame, standard=standard))
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"Analysing {len(frame)} audits", total=len(STEPS))
        result = run_analysis(
            frame, standard=standard, progress=lambda step: progress.advance(task)
        )
    if result.variance is None or result.period is None:
        console.print(f"Only {result.n_audits} published audits match: too few to analyse.")
        return
    period = result.period
    console.print(f"[bold]{result.n_audits} audits[/], {period.first} to {period.last}")
    _print_variance(result.variance)
    _print_branches(result)
    _print_lists(result)
