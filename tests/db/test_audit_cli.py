"""`evenly import audits` and `evenly export audits`, on made-up and on real inspection data."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from audits.tables import Audit, Branch
from web.cli import main

from ..conftest import run

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
HEAD = "audit_ref,visited_at,branch,staff,auditor,calibration_of,score\n"


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_import_audits_reports_new_then_already_imported(org, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(HEAD + "x-1,2026-03-10T18:30,B1,B1-S1,sam,,81.5\nx-2,2026-03-11,B9,,ines,,70\n")
    first = _invoke("import", "audits", str(path), "--create-missing")
    assert first.exit_code == 0, first.output
    assert "Imported audits: 2 new, 0 already imported (created 1 branches, 1 auditors)." in (
        first.output
    )
    again = _invoke("import", "audits", str(path), "--create-missing")
    assert "Imported audits: 0 new, 2 already imported." in again.output
    assert run(Audit.count().run()) == 2


def test_cli_import_audits_bad_file_lists_every_bad_row_and_exits_1(org, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        HEAD + "x-1,2026-03-10T18:30,B1,,sam,,81.5\nx-2,10/03/2026,B1,,sam,,70\nx-3,,B9,,sam,,7\n"
    )
    result = _invoke("import", "audits", str(path))
    assert result.exit_code == 1
    assert f"{path}: row 3, column visited_at: expected an ISO 8601 date and time" in result.output
    assert f"{path}: row 4, column visited_at:" in result.output
    assert "2 problems; nothing was imported." in result.output
    assert run(Audit.count().run()) == 0


def test_cli_import_audits_with_unknown_checklist_exits_1(org, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("audit_ref,visited_at,branch,auditor,item:courtesy\nx,2026-03-10,B1,sam,4\n")
    result = _invoke("import", "audits", str(path), "--checklist", "nope")
    assert result.exit_code == 1 and "No checklist 'nope'" in result.output


def test_cli_export_audits_writes_the_import_format_for_a_period(org, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(HEAD + "x-1,2026-03-10T18:30,B1,B1-S1,sam,,81.5\nx-2,2026-04-11,B2,,sue,,70\n")
    _invoke("import", "audits", str(path))
    out = tmp_path / "out.csv"
    result = _invoke(
        "export", "audits", "-o", str(out), "--from", "2026-03-01", "--to", "2026-03-31"
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == [
        "audit_ref,visited_at,branch,region,channel,shift,staff,auditor,calibration_of,score",
        "x-1,2026-03-10T18:30:00+02:00,B1,R1,in_person,evening,B1-S1,sam,,81.5",
    ]
    to_stdout = _invoke("export", "audits")
    assert to_stdout.stdout.count("\n") == 3 and "x-2,2026-04-11,B2," in to_stdout.stdout


def _rows(name: str) -> list[dict[str, str]]:
    with (REAL / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("source", ["wake", "la", "chicago"])
def test_cli_imports_real_inspections_once_with_their_scores(db, source):
    branches = _invoke("org", "import", "branches", str(REAL / f"{source}_branches.csv"))
    assert branches.exit_code == 0, branches.output
    audits_file = str(REAL / f"{source}_audits.csv")
    rows = _rows(f"{source}_audits.csv")
    first = _invoke("import", "audits", audits_file, "--create-missing")
    assert first.exit_code == 0, first.output
    auditors = len({row["auditor"] for row in rows})
    assert f"{len(rows)} new, 0 already imported (created {auditors} auditors)." in first.output
    again = _invoke("import", "audits", audits_file)
    assert f"0 new, {len(rows)} already imported." in again.output
    stored = run(
        Audit.select(
            Audit.external_ref,
            Audit.score,
            Audit.visited_at,
            Audit.branch.code.as_alias("branch"),
            Audit.branch.timezone.as_alias("timezone"),
            Audit.auditor.username.as_alias("auditor"),
        ).run()
    )
    got = {
        a["external_ref"]: (
            a["score"],
            a["visited_at"].astimezone(ZoneInfo(a["timezone"])).date(),
            a["branch"],
            a["auditor"],
        )
        for a in stored
    }
    expected = {
        r["audit_ref"]: (
            float(r["score"]),
            dt.date.fromisoformat(r["visited_at"]),
            r["branch"],
            r["auditor"],
        )
        for r in rows
    }
    assert got == expected
    assert run(Branch.count().run()) == len({r["branch"] for r in rows})


def test_cli_import_audits_not_utf8_exits_1_and_says_so(org, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes((HEAD + "x-1,2026-03-10T18:30,B1,,sam,,81.5\n").encode() + b"\xe9t\xe9\n")
    result = _invoke("import", "audits", str(path))
    assert result.exit_code == 1 and "not UTF-8 text" in result.output
    assert run(Audit.count().run()) == 0
