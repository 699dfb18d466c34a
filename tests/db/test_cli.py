"""The `evenly` command against the real database."""

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from checklists.documents import dump_checklist, load_checklist
from web.cli import main

DEFAULTS = Path(__file__).resolve().parents[2] / "checklists" / "defaults"


def test_checklist_export_of_default_imports_as_an_equal_document(db, tmp_path):
    runner = CliRunner()
    source = DEFAULTS / "service-fundamentals.yaml"
    assert runner.invoke(main, ["checklist", "import", str(source), "--publish"]).exit_code == 0
    exported = tmp_path / "out.yaml"
    result = runner.invoke(
        main, ["checklist", "export", "service-fundamentals", "-o", str(exported)]
    )
    assert result.exit_code == 0, result.output
    original = load_checklist(source.read_text("utf-8"))
    again = load_checklist(exported.read_text("utf-8"))
    assert again == original
    assert dump_checklist(again) == exported.read_text("utf-8")  # export is a fixed point


def test_checklist_import_broken_file_exits_nonzero_naming_the_line(db, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = (DEFAULTS / "phone-call.yaml").read_text("utf-8").splitlines()
    line = next(i for i, t in enumerate(text) if t.strip().startswith("type:"))
    text[line] = text[line].split("type:")[0] + "type: telepathy"
    broken.write_text("\n".join(text), "utf-8")
    evenly = shutil.which("evenly") or str(Path(sys.executable).with_name("evenly"))
    result = subprocess.run(
        [evenly, "checklist", "import", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert f"line {line + 1}" in result.stderr and "telepathy" in result.stderr
    listing = CliRunner().invoke(main, ["checklist", "list"])
    assert "phone-call" not in listing.output


def test_checklist_export_unknown_slug_fails_with_message(db):
    result = CliRunner().invoke(main, ["checklist", "export", "nope"])
    assert result.exit_code != 0 and "No checklist 'nope'" in result.output


def test_user_create_then_duplicate_is_refused(db):
    runner = CliRunner()
    ok = runner.invoke(
        main, ["user", "create", "zoe", "--role", "office", "--password", "s3cret!x"]
    )
    assert ok.exit_code == 0 and "Created zoe (office)" in ok.output
    again = runner.invoke(
        main, ["user", "create", "zoe", "--role", "office", "--password", "s3cret!x"]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_user_create_manager_of_unknown_branch_is_refused(db):
    result = CliRunner().invoke(
        main,
        ["user", "create", "mia", "--role", "manager", "--password", "s3cret!x", "--branch", "X9"],
    )
    assert result.exit_code != 0 and "No branch with code X9" in result.output
