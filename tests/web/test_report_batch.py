"""``evenly report branch --all -o DIR``: every branch's PDF in one process, each one its own
branch's report; ``evenly report branch CODE``: one, its charts and the PDF itself kept for the
next process, which reads them back only if its own report's print HTML is the same."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from audits.db.kept_results import count_kept
from audits.org.users import CurrentUser
from audits.tables import KeptResult, Role
from reports import charts, kept_analyses, kept_charts, kept_pdfs, pdf
from reports.charts import shared_renderer
from reports.kept_pdfs import kept_report_pdf
from reports.pdf import LAYOUT_STEPS, clear_pdf_cache
from reports.report_data import Filters
from reports.services.branch import build_branch
from web.cli import main
from web.cli_reports import HEAD_OFFICE
from web.i18n import gettext_for

from ..conftest import run
from .report_helpers import pdf_text, publish_visits


def test_the_batch_writes_one_pdf_per_branch_naming_its_branch(client, org, tmp_path):
    publish_visits(client, org, 12)
    fits: list[str] = []
    kept_analyses.on_fit.append(fits.append)
    try:
        result = CliRunner().invoke(main, ["report", "branch", "--all", "-o", str(tmp_path)])
    finally:
        kept_analyses.on_fit.remove(fits.append)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["branch-B1.pdf", "branch-B2.pdf"]
    for code in ("B1", "B2"):
        text = pdf_text((tmp_path / f"branch-{code}.pdf").read_bytes())
        assert f"Branch {code}" in text
        other = "B2" if code == "B1" else "B1"
        assert f"Branch {other}" not in text
    assert "Wrote 2 branch PDFs" in result.output
    assert len(fits) == 1  # one analysis for the whole batch


def test_the_batch_wants_a_folder_and_no_branch_code(client, org, tmp_path):
    file = tmp_path / "one.pdf"
    file.write_bytes(b"")
    refused = CliRunner().invoke(main, ["report", "branch", "--all", "-o", str(file)])
    assert refused.exit_code == 2 and "is a file" in refused.output
    both = CliRunner().invoke(main, ["report", "branch", "B1", "--all", "-o", str(tmp_path)])
    assert both.exit_code == 2 and "one branch code, or --all" in both.output


def _failing_browser():
    raise AssertionError("a chart no process kept: the browser was started")


def _as_a_fresh_process() -> None:
    """This process forgets the images and PDFs it made, as a new ``evenly`` starts."""
    charts.clear_image_cache()
    clear_pdf_cache()


def _layouts() -> list[str]:
    """A list that receives the print HTML of every PDF laid out from now on (remove it)."""
    laid_out: list[str] = []
    pdf.on_layout.append(laid_out.append)
    return laid_out


def test_a_second_cold_branch_pdf_reads_every_chart_kept_and_starts_no_browser(client, org):
    """Charts any process exported are kept in the database: the next process (the image
    cache of this one emptied, as in a fresh ``evenly report branch``) draws none of them."""
    publish_visits(client, org, 12)
    report = run(build_branch("B1", Filters(), HEAD_OFFICE, lang="en", _=gettext_for("en")))
    assert report.figures()
    _as_a_fresh_process()
    first = run(kept_report_pdf(report, renderer=shared_renderer))
    assert run(count_kept(kept_charts.KIND)) == len(report.figures())
    _as_a_fresh_process()
    run(KeptResult.delete().where(KeptResult.kind == kept_pdfs.KIND).run())  # laid out anew
    steps: list[tuple[int, int]] = []
    again = run(
        kept_report_pdf(report, renderer=_failing_browser, progress=lambda *s: steps.append(s))
    )
    assert pdf_text(again) == pdf_text(first)
    for figure in report.figures():
        assert figure.figure["layout"]["title"]["text"] in " ".join(pdf_text(again).split())
    assert steps[-1] == (len(report.figures()) + LAYOUT_STEPS,) * 2


def test_the_cli_writes_one_branch_pdf_and_the_next_command_fits_nothing(client, org, tmp_path):
    """The second ``evenly report branch`` reads the analysis the first one kept."""
    publish_visits(client, org, 12)
    fits: list[str] = []
    kept_analyses.on_fit.append(fits.append)
    try:
        for name in ("first.pdf", "second.pdf"):
            result = CliRunner().invoke(
                main, ["report", "branch", "B1", "-o", str(tmp_path / name)]
            )
            assert result.exit_code == 0, result.output
    finally:
        kept_analyses.on_fit.remove(fits.append)
    assert len(fits) == 1
    text = pdf_text((tmp_path / "second.pdf").read_bytes())
    assert "Branch B1" in text and "Branch B2" not in text
    assert run(count_kept(kept_charts.KIND)) > 0  # for the next process


def test_a_repeated_cold_cli_pdf_is_the_one_kept_and_is_laid_out_by_no_process(
    client, org, tmp_path
):
    publish_visits(client, org, 12)
    laid_out = _layouts()
    try:
        for name in ("first.pdf", "second.pdf"):
            _as_a_fresh_process()
            result = CliRunner().invoke(
                main, ["report", "branch", "B1", "-o", str(tmp_path / name)]
            )
            assert result.exit_code == 0, result.output
    finally:
        pdf.on_layout.remove(laid_out.append)
    assert len(laid_out) == 1 and run(count_kept(kept_pdfs.KIND)) == 1
    first, second = ((tmp_path / n).read_bytes() for n in ("first.pdf", "second.pdf"))
    assert pdf_text(second) == pdf_text(first)
    assert "Branch B1" in pdf_text(second)


def test_a_fresh_evenly_process_serves_a_kept_pdf_without_importing_weasyprint(
    client, org, tmp_path
):
    """The real command in a new process (``-X importtime`` lists what it imported): the PDF
    another process kept comes back with no layout engine loaded, the same document."""
    publish_visits(client, org, 12)
    first = tmp_path / "first.pdf"
    made = CliRunner().invoke(main, ["report", "branch", "B1", "-o", str(first)])
    assert made.exit_code == 0, made.output
    second = tmp_path / "second.pdf"
    fresh = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "web.cli"]
        + ["report", "branch", "B1", "-o", str(second)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in fresh.stderr.splitlines()}
    assert "weasyprint" not in imported and "black" not in imported
    assert "reports.kept_pdfs" in imported  # the command did run
    assert pdf_text(second.read_bytes()) == pdf_text(first.read_bytes())


OFFICE = CurrentUser(id=0, username="ada", role=Role.office)
MAX = CurrentUser(id=0, username="max", role=Role.manager, branches=("B1",))


def test_readers_whose_reports_differ_never_share_a_kept_pdf(client, org):
    """A kept PDF is found by a digest of the reader's own print HTML: head office's and the
    branch manager's PDFs of one branch (the manager's tells no visit's hour), and head
    office's in English and in Greek, are kept apart, and each reader gets their own back."""
    publish_visits(client, org, 12)

    def branch_pdf(user: CurrentUser, lang: str) -> bytes:
        _as_a_fresh_process()
        _ = gettext_for(lang)
        report = run(build_branch("B1", Filters(), user, lang=lang, _=_))
        return run(kept_report_pdf(report, translate=_, renderer=shared_renderer))

    readers = [(OFFICE, "en"), (MAX, "en"), (OFFICE, "el")]
    laid_out = _layouts()
    try:
        first = {reader: pdf_text(branch_pdf(*reader)) for reader in readers}
        again = {reader: pdf_text(branch_pdf(*reader)) for reader in readers}
    finally:
        pdf.on_layout.remove(laid_out.append)
    assert len(laid_out) == len(readers) == run(count_kept(kept_pdfs.KIND))
    assert again == first  # each reader's own PDF back, laid out by nobody the second time
    assert len(set(first.values())) == len(readers)
    office, manager = first[(OFFICE, "en")], first[(MAX, "en")]
    # The manager's PDF gives no time of a visit and no score allowing for the shopper.
    assert "12:30 PM" in office and "12:30 PM" not in manager
    assert "score as given" in manager and "score as given" not in office
    assert "Κατάστημα" in first[(OFFICE, "el")] or "Υποκατάστημα" in first[(OFFICE, "el")]
