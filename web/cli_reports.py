"""``evenly report visit|branch|headoffice ... -o FILE.pdf``: the reports as PDFs, with the
same numbers as their pages (the same builders, ``reports.services``), read with head office's
access.

It lives in the web, not beside ``evenly analyse`` in ``reports.commands``, for one reason: the
reports are written in the reader's language, and the translation catalogs are the web's
(``web.i18n``). A report that cannot be built (``reports.errors``) is a message, not a trace.

A command reads the analysis, every chart and the PDF itself if any process kept them
(``reports.kept_analyses``, ``reports.kept_charts``, ``reports.kept_pdfs``): chromium starts
only for a chart never drawn before, and WeasyPrint is imported only for a PDF never laid out
before. The report builders, SciPy and WeasyPrint are imported by the commands that use them,
not by every ``evenly`` command, and the tables are given their engine without Piccolo's finder
(``audits.db.engine``). ``evenly report branch --all -o DIR`` writes every branch's PDF in one
process, with one browser and one analysis, loading WeasyPrint (its fonts) in the background
while it reads the database (``reports.services.branch_batch``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from audits.org.users import CurrentUser
from audits.tables import Role
from checklists.model import LANGUAGES

if TYPE_CHECKING:
    from reports.charts import ChartRenderer
    from reports.report_data import Filters
    from reports.report_model import Report, Translate

# The report builders, the charts and WeasyPrint are imported by the commands that use them:
# every ``evenly`` command imports this group.
console = Console()
Build = Callable[["Translate"], Coroutine[Any, Any, "Report"]]  # given the reader's translation
HEAD_OFFICE = CurrentUser(id=0, username="evenly report", role=Role.office)


def _date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def _write(build: Build, lang: str, output: Path) -> None:
    """Build the report (database, analysis), then charts and layout, with progress; a report
    that cannot be built exits with its reason."""
    from reports.errors import ReportError

    try:
        pdf = _pdf(build, lang)
    except ReportError as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(pdf)
    console.print(f"[green]Wrote[/] {output} ({len(pdf) // 1024} KiB)")


def _pdf(build: Build, lang: str) -> bytes:
    """One event loop for the database read, the kept charts and the PDF: chromium starts only
    if a chart was never exported by any process (``reports.kept_charts``), WeasyPrint only if
    the PDF was never laid out by any process (``reports.kept_pdfs``: a cold command's
    WeasyPrint import and fonts take as much CPU as the rest of a kept PDF, so it is not
    started ahead of knowing)."""
    from audits.db.engine import bind_tables
    from reports.kept_pdfs import kept_report_pdf
    from web.i18n import gettext_for

    translate = gettext_for(lang)
    bind_tables()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        reading = progress.add_task("Reading and analysing", total=1)
        drawing = progress.add_task("Charts and layout", total=None)

        def step(done: int, total: int) -> None:
            progress.update(drawing, completed=done, total=total)

        async def make() -> bytes:
            report = await build(translate)
            progress.update(reading, completed=1)
            return await kept_report_pdf(
                report, translate=translate, renderer=_chromium_and_weasyprint, progress=step
            )

        return asyncio.run(make())


def _chromium_and_weasyprint() -> ChartRenderer:
    """The browser, for a chart no process kept; then no process laid out this PDF either (its
    HTML holds that chart), so WeasyPrint loads while chromium starts."""
    from reports.charts import shared_renderer

    _start_early()
    return shared_renderer()


LANG = click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
OUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
FROM = click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None)
TO = click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None)


@click.group()
def report() -> None:
    """Reports as PDFs: a visit, a branch, head office; the scheduled reports by e-mail."""


def _start_early() -> None:
    """WeasyPrint's import and fonts (a second) while the database is read, for a batch (which
    lays out PDFs whatever is kept). Chromium is not started here: most charts were exported
    before and are read from the database."""
    from reports.pdf import warm_up

    threading.Thread(target=warm_up, name="weasyprint-warm-up", daemon=True).start()


@report.command()
@click.argument("audit_id", type=click.UUID)
@LANG
@OUT
def visit(audit_id: uuid.UUID, lang: str, output: Path) -> None:
    """One audit's visit report."""
    from reports.services.visit import build_visit

    _write(lambda _: build_visit(audit_id, HEAD_OFFICE, lang=lang, _=_, for_pdf=True), lang, output)


@report.command()
@click.argument("code", required=False)
@click.option("--all", "every", is_flag=True, help="Every branch: one PDF each into the -o folder.")
@FROM
@TO
@LANG
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The PDF (a folder with --all).",
)
def branch(code: str | None, every: bool, start, end, lang: str, output: Path) -> None:
    """A branch's report for a period (default: every published visit); with --all, every
    branch's, in one process."""
    from reports.report_data import Filters
    from reports.services.branch import build_branch

    if every == bool(code):
        raise click.UsageError("Give one branch code, or --all.")
    filters = Filters(start=_date(start), end=_date(end))
    if every:
        _start_early()
        _write_all(filters, lang, output)
        return
    _write(lambda _: build_branch(code or "", filters, HEAD_OFFICE, lang=lang, _=_), lang, output)


def _write_all(filters: Filters, lang: str, folder: Path) -> None:
    """Every branch's PDF into ``folder`` as ``branch-CODE.pdf``, a line and a bar as each is
    written."""
    from audits.db.engine import bind_tables
    from reports.charts import start_shared_renderer_soon
    from reports.services.branch_batch import BranchPdf, branch_pdfs
    from web.i18n import gettext_for

    if folder.exists() and not folder.is_dir():
        raise click.UsageError(f"{folder} is a file; --all writes into a folder.")
    folder.mkdir(parents=True, exist_ok=True)
    bind_tables()
    start_shared_renderer_soon()  # a batch draws every branch's charts
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("Branch PDFs", total=None)

        def written(done: BranchPdf, total: int) -> None:
            path = folder / done.filename
            path.write_bytes(done.pdf)
            progress.update(task, advance=1, total=total)
            progress.console.print(f"{done.code} → {path} ({len(done.pdf) // 1024} KiB)")

        count = asyncio.run(
            branch_pdfs(filters, HEAD_OFFICE, lang=lang, _=gettext_for(lang), done=written)
        )
    seconds = time.perf_counter() - started
    each = f", {seconds / count:.2f} s each" if count else ""
    console.print(f"[green]Wrote[/] {count} branch PDFs to {folder} in {seconds:.1f} s{each}")


@report.command()
@FROM
@TO
@LANG
@OUT
def headoffice(start, end, lang: str, output: Path) -> None:
    """Head office's report for a period: every branch compared fairly."""
    from reports.report_data import Filters
    from reports.services.headoffice import build_headoffice

    filters = Filters(start=_date(start), end=_date(end))
    _write(lambda _: build_headoffice(filters, HEAD_OFFICE, lang=lang, _=_), lang, output)


@report.command("send-scheduled")
@click.option(
    "--now",
    "today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Run as on this day (UTC): the weeks and months that ended before it.",
)
def send_scheduled(today: dt.datetime | None) -> None:
    """E-mail each subscriber their report of the last complete week or month, and the visit
    notices not sent yet, through EVENLY_SMTP_URL (each at most once per period)."""
    from web.scheduled_reports import run_scheduled  # the web app's mail and views: here only
    from web.settings import Settings

    settings = Settings.from_env()
    if not settings.smtp_url:
        raise click.ClickException("Set EVENLY_SMTP_URL (e.g. smtp://127.0.0.1:1025) first.")
    with console.status("Building and sending the reports"):
        run = asyncio.run(run_scheduled(settings, _date(today)))
    console.print(
        f"Scheduled reports: {run.sent} sent, {run.skipped} already sent or nothing to send, "
        f"{run.failed} failed."
    )
    if run.failed:
        raise click.ClickException(
            "Some reports failed: head office sees why at /admin/subscriptions; the next run "
            "tries them again."
        )
