"""`evenly org import|export`, the CLI alone from empty to history, and `evenly user token`
against the real database."""

import csv
import io
import json

from click.testing import CliRunner

from audits.org.tokens import user_for_token
from audits.org.users import create_user
from audits.tables import Audit, Branch, Region, Role, Shift, Staff
from web.cli import main

from ..conftest import run

BRANCHES = (
    "code,name,region,timezone,address\n"
    "B1,Syntagma,ATT,Europe/Athens,Ermou 12\n"
    "B2,Kavala,NGR,Europe/Athens,\n"
)
STAFF = "branch,code,name\nB1,S1,Anna\nB1,S2,Nikos\nB2,S1,Eleni\n"
SHIFTS = "name,start,end,branch\nmorning,06:00,14:00,\nevening,14:00,22:00,\nnight,22:00,06:00,B2\n"


def _counts() -> tuple[int, int, int]:
    return tuple(run(table.count().run()) for table in (Region, Branch, Staff))


def _import(kind: str, path) -> object:
    return CliRunner().invoke(main, ["org", "import", kind, str(path)])


def test_org_import_twice_changes_nothing_the_second_time(db, tmp_path):
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    (tmp_path / "s.csv").write_text(STAFF, "utf-8")
    first = _import("branches", tmp_path / "b.csv")
    assert (
        first.exit_code == 0 and "2 created, 0 updated, 0 unchanged (2 new regions)" in first.output
    )
    assert "3 created" in _import("staff", tmp_path / "s.csv").output
    assert "0 created, 0 updated, 2 unchanged." in _import("branches", tmp_path / "b.csv").output
    assert "0 created, 0 updated, 3 unchanged." in _import("staff", tmp_path / "s.csv").output
    assert _counts() == (2, 2, 3)


def test_org_import_changed_row_updates_by_code(db, tmp_path):
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    _import("branches", tmp_path / "b.csv")
    (tmp_path / "b.csv").write_text(BRANCHES.replace("Kavala,NGR", "Kavala Port,ATT"), "utf-8")
    assert "0 created, 1 updated, 1 unchanged." in _import("branches", tmp_path / "b.csv").output
    row = run(Branch.select(Branch.name, Branch.region.code).where(Branch.code == "B2").run())
    assert row == [{"name": "Kavala Port", "region.code": "ATT"}]


def test_org_import_bad_file_names_row_and_column_and_writes_nothing(db, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(BRANCHES + "B3,,ATT,Europe/Nowhere,\n", "utf-8")
    result = _import("branches", path)
    assert result.exit_code == 1
    assert "row 4, column name: a name is required" in result.output
    assert "Nothing was imported." in result.output
    assert _counts() == (0, 0, 0)


def test_org_import_staff_of_unknown_branch_writes_nothing(db, tmp_path):
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    _import("branches", tmp_path / "b.csv")
    (tmp_path / "s.csv").write_text(STAFF + "B9,S1,Nobody\n", "utf-8")
    result = _import("staff", tmp_path / "s.csv")
    assert (
        result.exit_code == 1 and "row 5, column branch: no branch with code 'B9'" in result.output
    )
    assert _counts() == (2, 2, 0)


def test_org_import_branches_named_as_other_systems_export_them(db, tmp_path):
    """No code column, regions by name: codes are made from the names, regions keep theirs."""
    path = tmp_path / "b.csv"
    path.write_text("name,region\nAngus Barn,HOLLY SPRINGS\nAshworth Drug,CARY\n", "utf-8")
    result = _import("branches", path)
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged (2 new regions)" in result.output
    regions = run(Region.select(Region.code, Region.name).order_by(Region.code).run())
    assert regions == [
        {"code": "CARY", "name": "CARY"},
        {"code": "HOLLY-SPRINGS", "name": "HOLLY SPRINGS"},
    ]
    branch = run(
        Branch.select(Branch.name, Branch.region.code).where(Branch.code == "ANGUS-BARN").run()
    )
    assert branch == [{"name": "Angus Barn", "region.code": "HOLLY-SPRINGS"}]
    assert "0 created, 0 updated, 2 unchanged" in _import("branches", path).output


def _shifts() -> list[tuple]:
    rows = run(
        Shift.select(Shift.name, Shift.start_minute, Shift.end_minute, Shift.branch.code).run()
    )
    return sorted(tuple(row.values()) for row in rows)


def _shift_names() -> dict[str, dict]:
    rows = run(Shift.select(Shift.name, Shift.names).output(load_json=True).run())
    return {row["name"]: row["names"] for row in rows}


def test_org_import_shifts_twice_changes_nothing_the_second_time(db, tmp_path):
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    (tmp_path / "sh.csv").write_text(SHIFTS, "utf-8")
    _import("branches", tmp_path / "b.csv")
    first = _import("shifts", tmp_path / "sh.csv")
    assert first.exit_code == 0 and "Imported shifts: 3 created, 0 updated" in first.output
    again = _import("shifts", tmp_path / "sh.csv")
    assert "Imported shifts: 0 created, 0 updated, 3 unchanged." in again.output
    assert _shifts() == [
        ("evening", 840, 1320, None),
        ("morning", 360, 840, None),
        ("night", 1320, 360, "B2"),
    ]


def test_org_import_shifts_changes_hours_by_name_and_keeps_unnamed_shifts(db, tmp_path):
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    (tmp_path / "sh.csv").write_text(SHIFTS, "utf-8")
    _import("branches", tmp_path / "b.csv")
    _import("shifts", tmp_path / "sh.csv")
    (tmp_path / "sh.csv").write_text("name,start,end\nEvening,14:00,23:00\n", "utf-8")
    result = _import("shifts", tmp_path / "sh.csv")
    assert "0 created, 1 updated, 0 unchanged." in result.output
    assert ("Evening", 840, 1380, None) in _shifts() and len(_shifts()) == 3


def test_org_import_shifts_bad_rows_write_nothing(db, tmp_path):
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    (tmp_path / "sh.csv").write_text(SHIFTS, "utf-8")
    _import("branches", tmp_path / "b.csv")
    _import("shifts", tmp_path / "sh.csv")
    (tmp_path / "sh.csv").write_text(
        "name,start,end,branch\nlate,21:00,23:00,\nnight,22:00,06:00,B9\ncafe,07:00,09:00,B1\n",
        "utf-8",
    )
    result = _import("shifts", tmp_path / "sh.csv")
    assert result.exit_code == 1
    assert "row 3, column branch: no branch with code 'B9'" in result.output
    assert "Nothing was imported." in result.output
    (tmp_path / "sh.csv").write_text("name,start,end\ncafe,07:00,09:00\nlate,21:00,23:00\n")
    result = _import("shifts", tmp_path / "sh.csv")
    assert result.exit_code == 1
    assert "row 2, column start: overlaps morning (06:00–14:00) (stored)" in result.output
    assert "row 3, column start: overlaps evening (14:00–22:00) (stored)" in result.output
    assert len(_shifts()) == 3


def _export(kind: str, *path) -> object:
    return CliRunner().invoke(main, ["org", "export", kind, *map(str, path)])


def test_org_export_then_import_into_an_empty_database_round_trips(db, tmp_path):
    located = "code,name,region,timezone,address,latitude,longitude\n"
    located += "B4,Piraeus,ATT,Europe/Athens,,37.942986,23.646982\nB5,Nowhere,,UTC,,,\n"
    files = {
        "branches": BRANCHES + 'B3,"Tricky, ""quoted""",,UTC,"line one\nline two"\n',
        "located": located,
        "staff": STAFF + "B3,S-1,@nobody\n",
        "shifts": SHIFTS + "+late,22:00,23:30,B3\n",
        "named_shifts": "name,start,end,branch,name_el,name_fa\nmorning,06:00,14:00,,πρωί,صبح\n",
    }
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, "utf-8")
        kind = name.replace("located", "branches").removeprefix("named_")
        assert _import(kind, tmp_path / f"{name}.csv").exit_code == 0
    exported = {kind: _export(kind).output for kind in ("branches", "staff", "shifts")}
    assert "B4,Piraeus,ATT,Europe/Athens,,37.942986,23.646982\n" in exported["branches"]
    # the shift's names per language are columns of their own, empty where it has none
    assert exported["shifts"].splitlines()[0] == "name,start,end,branch,name_el,name_pl,name_fa"
    assert "morning,06:00,14:00,,πρωί,,صبح" in exported["shifts"]
    assert "evening,14:00,22:00,,,," in exported["shifts"]
    assert "'@nobody" in exported["staff"] and "'+late" in exported["shifts"]  # guarded
    before = (_counts(), _shifts())
    assert _shift_names()["morning"] == {"el": "πρωί", "fa": "صبح"}
    for kind in exported:
        result = _export(kind, tmp_path / f"{kind}.out.csv")
        assert (
            result.exit_code == 0 and (tmp_path / f"{kind}.out.csv").read_text() == exported[kind]
        )
    for table in (Shift, Staff, Branch, Region):
        run(table.delete(force=True).run())
    for kind in ("branches", "staff", "shifts"):
        result = _import(kind, tmp_path / f"{kind}.out.csv")
        assert result.exit_code == 0, result.output
    assert (_counts(), _shifts()) == before
    assert _shift_names()["morning"] == {"el": "πρωί", "fa": "صبح"}
    assert {kind: _export(kind).output for kind in exported} == exported


def test_cli_alone_from_an_empty_organisation_to_a_history_with_shifts(db, tmp_path):
    """Branches, shifts, then a history naming the shifts: commands only, no admin page."""
    history = tmp_path / "history.csv"
    history.write_text(
        "audit_ref,visited_at,branch,staff,auditor,shift,score\n"
        "h-1,2026-03-10T23:30,B2,S1,sam,night,81.5\n"
        "h-2,2026-03-11T09:00,B1,,ines,morning,70\n"
        "h-3,2026-03-11T15:00,B1,,ines,,64\n",
        "utf-8",
    )
    refused = CliRunner().invoke(main, ["import", "audits", str(history), "--create-missing"])
    assert refused.exit_code == 1
    assert "row 2, column shift: no shift 'night' at B2 (none defined)" in refused.output
    assert "evenly org import shifts SHIFTS.csv" in refused.output
    assert "name,start,end,branch" in refused.output
    (tmp_path / "b.csv").write_text(BRANCHES, "utf-8")
    (tmp_path / "sh.csv").write_text(SHIFTS, "utf-8")
    assert _import("branches", tmp_path / "b.csv").exit_code == 0
    assert _import("shifts", tmp_path / "sh.csv").exit_code == 0
    result = CliRunner().invoke(main, ["import", "audits", str(history), "--create-missing"])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 already imported (created 1 staff, 2 auditors)" in result.output
    shifts = run(
        Audit.select(Audit.external_ref, Audit.shift.name).order_by(Audit.external_ref).run()
    )
    assert [row["shift.name"] for row in shifts] == ["night", "morning", "evening"]


def test_user_token_prints_a_token_that_authenticates(db):
    run(create_user("sam", "long-enough", Role.shopper))
    result = CliRunner().invoke(main, ["user", "token", "sam", "--name", "script"])
    assert result.exit_code == 0
    user = run(user_for_token(result.output.strip()))
    assert user is not None and user.username == "sam"


def test_user_token_for_unknown_user_fails(db):
    result = CliRunner().invoke(main, ["user", "token", "nobody"])
    assert result.exit_code != 0 and "No active user named 'nobody'" in result.output


# --- evenly org list (issue 20) ---------------------------------------------------------------

LONG = (
    "code,name,region,timezone,address\n"
    'BRANCH-THESSALONIKI-01,"=HYPERLINK(""http://x"") the long name",NGR,Europe/Athens,\n'
    "B1,Syntagma,ATT,Europe/Athens,Ermou 12\n"
)


def _list(*args: str, columns: str = "80") -> object:
    return CliRunner().invoke(main, ["org", "list", *args], env={"COLUMNS": columns})


def test_org_list_branches_as_table_json_and_csv(db, tmp_path):
    (tmp_path / "b.csv").write_text(LONG, "utf-8")
    assert _import("branches", tmp_path / "b.csv").exit_code == 0
    for columns in ("30", "80"):
        table = _list("branches", columns=columns)
        assert table.exit_code == 0 and "BRANCH-THESSALONIKI-01 " in table.output
    rows = json.loads(_list("branches", "--json").output)
    assert rows == [
        {"code": "B1", "region": "ATT", "name": "Syntagma", "timezone": "Europe/Athens",
         "address": "Ermou 12", "active": True},
        {"code": "BRANCH-THESSALONIKI-01", "region": "NGR",
         "name": '=HYPERLINK("http://x") the long name', "timezone": "Europe/Athens",
         "address": "", "active": True},
    ]  # fmt: skip
    written = _list("branches", "--csv").output
    parsed = list(csv.reader(io.StringIO(written)))
    assert parsed[0] == ["code", "region", "name", "timezone", "address", "active"]
    assert parsed[2][0] == "BRANCH-THESSALONIKI-01"
    assert parsed[2][2] == '\'=HYPERLINK("http://x") the long name'  # guarded by csv_guard


def test_org_list_staff_and_shifts(db, org):
    staff = json.loads(_list("staff", "--json").output)
    assert staff and set(staff[0]) == {"branch", "code", "name", "active"}
    assert {s["branch"] for s in staff} == {"B1", "B2"}
    assert staff == sorted(staff, key=lambda s: (s["branch"], s["code"]))
    shifts = json.loads(_list("shifts", "--json").output)
    assert shifts and set(shifts[0]) == {"branch", "name", "start", "end"}
    own = [s for s in shifts if s["branch"] is None]
    assert shifts[: len(own)] == own  # the organisation's shifts first
    table = _list("staff", columns="25")
    assert table.exit_code == 0 and all(f"{s['code']} " in table.output for s in staff)
    header = _list("shifts", "--csv").output.splitlines()[0]
    assert header == "branch,name,start,end"
