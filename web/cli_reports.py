"""``evenly report visit|branch|headoffice ... -o FILE.pdf``: the reports as PDFs, with the
same numbers as their pages (the same builders), read with head office's access."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from audits.org.users import CurrentUser
from audits.tables import Role
from checklists.model import LANGUAGES
from reports.pdf import report_pdf
from reports.report_data import Filters
from reports.report_model import Report
from web.report_views import translator

console = Console()
HEAD_OFFICE = CurrentUser(id=0, username="evenly report", role=Role.office)


def _date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def _write(build, lang: str, output: Path) -> None:
    """Build the report (database, analysis), then charts and layout, with progress."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        reading = progress.add_task("Reading and analysing", total=1)
        report: Report = asyncio.run(build())
        progress.update(reading, completed=1)
        charts = progress.add_task("Charts", total=len(report.figures()) or 1)

        def step(done: int, total: int) -> None:
            progress.update(charts, completed=done, total=total)

        pdf = report_pdf(report, translate=translator(lang), progress=step)
        progress.update(charts, completed=len(report.figures()) or 1)
    output.write_bytes(pdf)
    console.print(f"[green]Wrote[/] {output} ({len(pdf) // 1024} KiB)")


LANG = click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
OUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
FROM = click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None)
TO = click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None)


@click.group()
def report() -> None:
    """Reports as PDFs: a visit, a branch, head office."""


@report.command()
@click.argument("audit_id", type=click.UUID)
@LANG
@OUT
def visit(audit_id: uuid.UUID, lang: str, output: Path) -> None:
    """One audit's visit report."""
    from audits.fieldwork.schemas import AuditNotFound
    from web.controllers.reports_pages import build_visit

    async def build() -> Report:
        return await build_visit(audit_id, HEAD_OFFICE, lang, for_pdf=True)

    try:
        _write(build, lang, output)
    except AuditNotFound as error:
        raise click.ClickException(str(error)) from error


@report.command()
@click.argument("code")
@FROM
@TO
@LANG
@OUT
def branch(code: str, start, end, lang: str, output: Path) -> None:
    """A branch's report for a period (default: every published visit)."""
    from litestar.exceptions import NotFoundException

    from web.controllers.period_reports import build_branch

    filters = Filters(start=_date(start), end=_date(end))
    try:
        _write(lambda: build_branch(code, filters, lang, HEAD_OFFICE), lang, output)
    except NotFoundException as error:
        raise click.ClickException(error.detail) from error


@report.command()
@FROM
@TO
@LANG
@OUT
def headoffice(start, end, lang: str, output: Path) -> None:
    """Head office's report for a period: every branch compared fairly."""
    from web.controllers.period_reports import build_headoffice

    filters = Filters(start=_date(start), end=_date(end))
    _write(lambda: build_headoffice(filters, lang, HEAD_OFFICE), lang, output)
