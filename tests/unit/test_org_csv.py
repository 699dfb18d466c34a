"""CSV files of branches, staff and shifts, and the field checks they share with the admin forms."""

import ast
from pathlib import Path

import pytest

from audits.org.csv_files import (
    BranchRow,
    OrgCsvError,
    ShiftRow,
    StaffRow,
    parse_branches,
    parse_shifts,
    parse_staff,
)
from audits.org.fields import (
    FieldProblem,
    clean_timezone,
    code_from_name,
    parse_clock,
    shifts_overlap,
)

ROOT = Path(__file__).resolve().parents[2]


def test_branches_csv_reads_rows_in_any_column_order():
    text = "\ufeffname,code,timezone\r\nSyntagma,B1,Europe/Athens\r\n\r\nKavala,B2,\r\n"
    assert parse_branches(text) == [
        BranchRow(row=2, code="B1", name="Syntagma", timezone="Europe/Athens"),
        BranchRow(row=4, code="B2", name="Kavala", timezone="UTC"),
    ]


def test_branches_csv_makes_codes_of_names_other_systems_export():
    """A region given by name (a code may not hold a space) and a branch without a code get
    codes made from their names; a region given as a code stays as it is."""
    text = "name,region\nAngus Barn,HOLLY SPRINGS\nCafé Olé,Cary\nBar,ATT\n"
    assert parse_branches(text) == [
        BranchRow(2, "ANGUS-BARN", "Angus Barn", "HOLLY-SPRINGS", region_name="HOLLY SPRINGS"),
        BranchRow(3, "CAFE-OLE", "Café Olé", "Cary", region_name="Cary"),
        BranchRow(4, "BAR", "Bar", "ATT", region_name="ATT"),
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("HOLLY SPRINGS", "HOLLY-SPRINGS"),
        ("  Holly   Springs ", "HOLLY-SPRINGS"),
        ("St. John's", "ST.-JOHN-S"),
        ("Αθήνα Κέντρο", None),
        ("x" * 41, None),
    ],
)
def test_code_from_name(name, code):
    if code is None:
        with pytest.raises(FieldProblem):
            code_from_name(name)
    else:
        assert code_from_name(name) == code


def test_branches_csv_codes_made_from_equal_names_collide_on_the_row():
    with pytest.raises(OrgCsvError, match="row 3, column code: 'SUBWAY' is already on row 2"):
        parse_branches("name\nSubway\nSUBWAY\n")


def test_staff_csv_reads_rows_and_allows_same_code_at_two_branches():
    rows = parse_staff("branch,code,name\nB1,S1,Anna\nB2,S1,\n")
    assert rows == [StaffRow(2, "B1", "S1", "Anna"), StaffRow(3, "B2", "S1", "")]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("", "row 1: empty file; expected code,name,region,timezone,address"),
        ("code,nom\nB1,x\n", "row 1, column nom: unknown column; expected code, name"),
        ("code\nB1\n", "row 1, column name: required column is missing"),
        ("code,name,code\n", "row 1, column code: column given twice"),
        ("code,name\nB1,One\nB2,\n", "row 3, column name: a name is required"),
        ("code,name\nB 1,One\n", "row 2, column code: use up to 40 letters"),
        ("code,name,timezone\nB1,One,Europe/Athen\n", "row 2, column timezone: unknown time zone"),
        ("code,name\nB1,One\nB1,Again\n", "row 3, column code: 'B1' is already on row 2"),
        ("code,name\nB1,One,extra\n", "row 2: 3 cells, 2 columns"),
        ('code,name\nB1,"One\n', "row 2"),
        ("code,name,latitude\nB1,One,37.9\n", "row 2, column longitude: give both"),
        ("code,name,latitude,longitude\nB1,One,,23.7\n", "row 2, column latitude: give both"),
        ("code,name,latitude,longitude\nB1,One,91,23.7\n", "row 2, column latitude: use -90"),
        ("code,name,latitude,longitude\nB1,One,37.9,nan\n", "row 2, column longitude: use -180"),
        ("code,name,latitude,longitude\nB1,One,37°58',23.7\n", "row 2, column latitude: expected"),
    ],
)
def test_branches_csv_error_names_row_and_column(text, first):
    with pytest.raises(OrgCsvError) as raised:
        parse_branches(text)
    assert str(raised.value).startswith(first)


def test_branches_csv_reads_coordinates_in_decimal_degrees():
    text = "code,name,latitude,longitude\nB1,One,37.975527, 23.73484\nB2,Two,,\n"
    rows = parse_branches(text)
    assert [(r.latitude, r.longitude) for r in rows] == [(37.975527, 23.73484), (None, None)]


def test_branches_csv_reports_every_bad_row():
    text = "code,name,timezone\nB1,,UTC\nB2,Two,Nowhere\nB3,Three,UTC\n"
    with pytest.raises(OrgCsvError) as raised:
        parse_branches(text)
    assert [(p.row, p.column) for p in raised.value.problems] == [(2, "name"), (3, "timezone")]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("code,name\nS1,Anna\n", "row 1, column branch: required column is missing"),
        ("branch,code,name\n,S1,Anna\n", "row 2, column branch: a code is required"),
        ("branch,code\nB1,S1\nB1,S1\n", "row 3, column code: 'S1' is already on row 2"),
    ],
)
def test_staff_csv_error_names_row_and_column(text, first):
    with pytest.raises(OrgCsvError) as raised:
        parse_staff(text)
    assert str(raised.value).startswith(first)


def test_shifts_csv_reads_rows_with_and_without_a_branch():
    text = "name,start,end,branch\nmorning,06:00,14:00,\nnight,22:00,6:00,\nnight,22:00,06:00,B16\n"
    assert parse_shifts(text) == [
        ShiftRow(2, "morning", 360, 840, ""),
        ShiftRow(3, "night", 1320, 360, ""),
        ShiftRow(4, "night", 1320, 360, "B16"),
    ]


def test_shifts_csv_reads_back_a_guarded_name():
    """Our export guards a name that starts like a formula; the import takes the guard off."""
    assert parse_shifts("name,start,end\n'-late,20:00,23:00\n")[0].name == "-late"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("name,start\nx,06:00\n", "row 1, column end: required column is missing"),
        ("name,start,end,branch,extra\n", "row 1, column extra: unknown column; expected name"),
        ("name,start,end\n,06:00,14:00\n", "row 2, column name: a name is required"),
        ("name,start,end\nam,6am,14:00\n", "row 2, column start: use a time from 00:00"),
        ("name,start,end\nam,06:00,24:00\n", "row 2, column end: use a time from 00:00"),
        ("name,start,end\nam,06:00,06:00\n", "row 2, column end: the end must differ"),
        ("name,start,end,branch\nam,06:00,14:00,B 1\n", "row 2, column branch: use up to 40"),
        (
            "name,start,end\nam,06:00,10:00\nAM,10:00,14:00\n",
            "row 3, column name: 'AM' is already on row 2",
        ),
        (
            "name,start,end\nday,06:00,18:00\nnight,17:00,06:00\n",
            "row 3, column start: overlaps day (06:00–18:00) on row 2",
        ),
    ],
)
def test_shifts_csv_error_names_row_and_column(text, first):
    with pytest.raises(OrgCsvError) as raised:
        parse_shifts(text)
    assert str(raised.value).startswith(first)


def test_shifts_csv_same_hours_at_two_places_do_not_overlap():
    text = "name,start,end,branch\nday,06:00,18:00,\nday,06:00,18:00,B1\nlate,18:00,23:00,B1\n"
    assert [row.row for row in parse_shifts(text)] == [2, 3, 4]


def test_shifts_csv_reports_every_bad_row():
    text = "name,start,end\na,06:00,x\nb,07:00,08:00\n,09:00,10:00\n"
    with pytest.raises(OrgCsvError) as raised:
        parse_shifts(text)
    assert [(p.row, p.column) for p in raised.value.problems] == [(2, "end"), (4, "name")]


@pytest.mark.parametrize(
    ("value", "minutes"), [("00:00", 0), ("7:05", 425), (" 23:59 ", 1439), ("22:00", 1320)]
)
def test_clock_parses_hh_mm(value, minutes):
    assert parse_clock(value, "start") == minutes


@pytest.mark.parametrize("value", ["24:00", "12:60", "noon", "12", "-1:00", "12:5"])
def test_clock_refuses_what_is_not_a_time(value):
    with pytest.raises(FieldProblem):
        parse_clock(value, "start")


@pytest.mark.parametrize("zone", ["Europe/Athens", "Europe/Warsaw", "Asia/Tehran", "UTC", ""])
def test_timezone_known_names_pass(zone):
    assert clean_timezone(zone) == (zone or "UTC")


@pytest.mark.parametrize("zone", ["Europe/Atlantis", "../../etc/passwd", "athens", "GMT+2x"])
def test_timezone_unknown_names_fail(zone):
    with pytest.raises(FieldProblem, match="unknown time zone"):
        clean_timezone(zone)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((360, 840), (840, 1320), False),  # back to back
        ((360, 840), (800, 900), True),
        ((1320, 360), (300, 420), True),  # night shift wraps into the morning
        ((1320, 360), (360, 1320), False),
        ((1320, 360), (1380, 60), True),
    ],
)
def test_shifts_overlap_handles_midnight(a, b, overlap):
    assert shifts_overlap(a, b) is overlap and shifts_overlap(b, a) is overlap


@pytest.mark.parametrize("module", ["audits/org/csv_files.py", "audits/org/fields.py"])
def test_org_csv_modules_are_pure(module):
    tree = ast.parse((ROOT / module).read_text("utf-8"))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
    } | {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported & {"piccolo", "litestar"} == set()
