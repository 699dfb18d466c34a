"""``evenly report branch --all -o DIR``: every branch's PDF in one process, each one its own
branch's report; ``evenly report branch CODE``: one, its charts kept for the next process."""

from __future__ import annotations

from click.testing import CliRunner

from audits.db.kept_results import count_kept
from reports import charts, kept_analyses, kept_charts
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


def test_a_second_cold_branch_pdf_reads_every_chart_kept_and_starts_no_browser(client, org):
    """Charts any process exported are kept in the database: the next process (the image
    cache of this one emptied, as in a fresh ``evenly report branch``) draws none of them."""
    publish_visits(client, org, 12)
    report = run(build_branch("B1", Filters(), HEAD_OFFICE, lang="en", _=gettext_for("en")))
    assert report.figures()
    charts.clear_image_cache()
    clear_pdf_cache()
    first = run(kept_report_pdf(report, renderer=shared_renderer))
    assert run(count_kept(kept_charts.KIND)) == len(report.figures())
    charts.clear_image_cache()
    clear_pdf_cache()
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
