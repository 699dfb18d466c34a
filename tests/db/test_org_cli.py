"""`evenly org import` and `evenly user token` against the real database."""

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
