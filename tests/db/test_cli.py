"""The `evenly` command against the real database."""

import json
import os
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


# --- Output for people and for scripts (issue 20) -------------------------------------------


def _import_fundamentals(runner: CliRunner) -> None:
    source = DEFAULTS / "service-fundamentals.yaml"
    assert runner.invoke(main, ["checklist", "import", str(source), "--publish"]).exit_code == 0


def test_checklist_list_keeps_the_slug_whole_when_narrow_or_piped(db):
    runner = CliRunner()
    _import_fundamentals(runner)
    for env in ({"COLUMNS": "40"}, {"COLUMNS": "20"}, {}):
        result = runner.invoke(main, ["checklist", "list"], env=env)
        assert result.exit_code == 0, result.output
        assert "service-fundamentals " in result.output, (env, result.output)


def test_checklist_list_piped_through_a_real_process_keeps_the_slug(db):
    CliRunner().invoke(main, ["checklist", "import", str(DEFAULTS / "phone-call.yaml")])
    evenly = shutil.which("evenly") or str(Path(sys.executable).with_name("evenly"))
    env = {**os.environ, "COLUMNS": "30"}
    result = subprocess.run(
        [evenly, "checklist", "list"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "phone-call " in result.stdout and "…" not in result.stdout


def test_checklist_list_json_is_one_array_with_stable_keys(db):
    runner = CliRunner()
    _import_fundamentals(runner)
    runner.invoke(main, ["checklist", "import", str(DEFAULTS / "phone-call.yaml")])
    result = runner.invoke(main, ["checklist", "list", "--json"], env={"COLUMNS": "20"})
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["slug"] for row in rows] == ["phone-call", "service-fundamentals"]
    keys = ["slug", "title", "channel", "retired", "published", "draft", "items"]
    assert all(list(row) == keys for row in rows)
    fundamentals = rows[1]
    assert fundamentals["published"] == 1 and fundamentals["draft"] is None
    assert fundamentals["items"] > 0 and fundamentals["title"]["en"] == "Service fundamentals"
    assert rows[0]["published"] is None and rows[0]["draft"] == 1


def test_exit_codes_are_0_done_1_refused_2_usage(db):
    runner = CliRunner()
    assert runner.invoke(main, ["checklist", "list"]).exit_code == 0
    refused = runner.invoke(main, ["checklist", "export", "nope"])
    assert refused.exit_code == 1 and "Error: No checklist 'nope'" in refused.output
    usage = runner.invoke(main, ["checklist", "list", "--yaml"])
    assert usage.exit_code == 2 and "No such option '--yaml'" in usage.output
    unknown = runner.invoke(main, ["org", "list", "regions"])
    assert unknown.exit_code == 2 and "'regions' is not one of" in unknown.output


def test_user_list_json_gives_people_and_never_a_secret(db, org):
    runner = CliRunner()
    created = runner.invoke(
        main,
        ["user", "create", "maria.papadopoulou", "--role", "manager", "--password",
         "s3cret!x-long", "--branch", "B1", "--language", "el"],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    result = runner.invoke(main, ["user", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output and "pbkdf2" not in result.output
    rows = {row["username"]: row for row in json.loads(result.output)}
    assert rows["maria.papadopoulou"] == {
        "username": "maria.papadopoulou",
        "role": "manager",
        "branches": ["B1"],
        "active": True,
        "language": "el",
        "last_login": None,
    }
    table = runner.invoke(main, ["user", "list"], env={"COLUMNS": "30"})
    assert table.exit_code == 0 and "maria.papadopoulou " in table.output
