"""``evenly report branch --all -o DIR``: every branch's PDF in one process, each one its own
branch's report."""

from __future__ import annotations

from click.testing import CliRunner

from reports import kept_analyses
from web.cli import main

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
