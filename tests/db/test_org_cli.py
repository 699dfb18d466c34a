"""`evenly org import` and `evenly user token` against the real database."""

import csv
import io
import json

from click.testing import CliRunner

from audits.org.tokens import user_for_token
from audits.org.users import create_user
from audits.tables import Branch, Region, Role, Staff
from web.cli import main

from ..conftest import run

BRANCHES = (
    "code,name,region,timezone,address\n"
    "B1,Syntagma,ATT,Europe/Athens,Ermou 12\n"
    "B2,Kavala,NGR,Europe/Athens,\n"
)
STAFF = "branch,code,name\nB1,S1,Anna\nB1,S2,Nikos\nB2,S1,Eleni\n"


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
