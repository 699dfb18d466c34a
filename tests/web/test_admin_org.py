"""Admins manage the organisation: settings, regions, branches, shifts, staff, CSV upload."""

import pytest

from audits.tables import Branch, OrgSettings, Region, Shift, Staff

from ..conftest import run
from .conftest import form, login

BRANCHES_CSV = (
    "code,name,region,timezone,address\n"
    "B1,Syntagma,ATT,Europe/Athens,Ermou 12\n"
    "B2,Warsaw,PL,Europe/Warsaw,\n"
)
ENDPOINTS = [
    ("get", "/admin/org", None),
    ("post", "/admin/org/settings", {"name": "Acme"}),
    ("post", "/admin/org/regions", {"code": "R9", "name": "Nine"}),
    ("post", "/admin/org/branches", {"code": "B9", "name": "Nine"}),
    ("get", "/admin/org/branches/B1", None),
    ("post", "/admin/org/branches/B1", {"code": "B1", "name": "One"}),
    ("post", "/admin/org/shifts", {"name": "late", "start": "22:00", "end": "23:00"}),
    ("post", "/admin/org/shifts/{shift}/names", {"name_el": "μέρα"}),
    ("post", "/admin/org/shifts/{shift}/delete", None),
    ("post", "/admin/org/branches/B1/staff", {"code": "S9"}),
    ("post", "/admin/org/import/branches", "file"),
    ("post", "/admin/org/import/staff", "file"),
    ("post", "/admin/org/import/shifts", "file"),
]


@pytest.fixture
def branch(db) -> int:
    """Branch B1 and one organisation-wide shift; returns the shift's id."""
    run(Branch.insert(Branch(code="B1", name="One", timezone="Europe/Athens")).run())
    shift = run(Shift.insert(Shift(name="day", start_minute=600, end_minute=660)).run())
    return shift[0]["id"]


def _request(client, method, url, data):
    if method == "get":
        return client.get(url, follow_redirects=False)
    if data == "file":
        return _upload(client, url, "code,name\n")
    return form(client, url, data)


def _upload(client, url: str, text: str):
    return form(client, url, files={"file": ("org.csv", text.encode(), "text/csv")})


def _count(table) -> int:
    return run(table.count().run())


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
@pytest.mark.parametrize("role", ["shopper", "manager", "office", "admin", None])
def test_admin_org_access_by_role(client, people, branch, role, method, url, data):
    if role:
        login(client, people[role])
    response = _request(client, method, url.format(shift=branch), data)
    if role is None:
        assert response.status_code == 302
        assert response.headers["location"].startswith("/login?next=/admin/org")
    elif role == "admin":
        assert response.status_code in (200, 302, 422)
    else:
        assert response.status_code == 403


def test_admin_org_settings_are_saved_and_shown(client, people):
    login(client, "root")
    data = {
        "name": "Acme Bank",
        "default_language": "pl",
        "staff_codes_only": "1",
        "min_visit_minutes": "7",
    }
    assert form(client, "/admin/org/settings", data).status_code == 302
    row = run(OrgSettings.select().first().run())
    assert (row["name"], row["default_language"], row["staff_codes_only"]) == (
        "Acme Bank",
        "pl",
        True,
    )
    assert row["min_visit_minutes"] == 7 and 'value="Acme Bank"' in client.get("/admin/org").text
    bad = form(client, "/admin/org/settings", {**data, "min_visit_minutes": "soon"})
    assert bad.status_code == 422 and "expected a whole number" in bad.text


@pytest.mark.parametrize(
    ("zone", "ok"),
    [("Europe/Athens", True), ("Asia/Tehran", True), ("Europe/Atlantis", False), ("../etc", False)],
)
def test_admin_branch_time_zone_is_validated(client, people, zone, ok):
    login(client, "root")
    response = form(
        client, "/admin/org/branches", {"code": "B7", "name": "Seven", "timezone": zone}
    )
    if ok:
        assert response.status_code == 302
        assert response.headers["location"] == "/admin/org/branches/B7"
    else:
        assert response.status_code == 422 and "unknown time zone" in response.text
        assert 'id="error-timezone"' in response.text
    assert _count(Branch) == (1 if ok else 0)


def test_admin_branch_edit_changes_code_region_and_closes_it(client, people, branch):
    login(client, "root")
    form(client, "/admin/org/regions", {"code": "ATT", "name": "Attica"})
    data = {"code": "B1X", "name": "Renamed", "region": "ATT", "timezone": "Europe/Athens"}
    response = form(client, "/admin/org/branches/B1", data)
    assert response.headers["location"] == "/admin/org/branches/B1X"
    row = run(Branch.select(Branch.code, Branch.active, Branch.region.code).first().run())
    assert row == {"code": "B1X", "active": False, "region.code": "ATT"}


def test_admin_branch_duplicate_code_is_refused(client, people, branch):
    login(client, "root")
    response = form(client, "/admin/org/branches", {"code": "B1", "name": "Again"})
    assert response.status_code == 422 and "already exists" in response.text


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("25:00", "06:00", "use a time from 00:00 to 23:59"),
        ("8am", "12:00", "use a time from 00:00 to 23:59"),
        ("09:00", "09:00", "the end must differ from the start"),
        ("10:30", "12:00", "Overlaps day (10:00–11:00)"),
        ("23:00", "10:30", "Overlaps day (10:00–11:00)"),
    ],
)
def test_admin_shift_bad_window_is_refused(client, people, branch, start, end, message):
    login(client, "root")
    response = form(client, "/admin/org/shifts", {"name": "x", "start": start, "end": end})
    assert response.status_code == 422 and message in response.text
    assert _count(Shift) == 1


def test_admin_shift_wrapping_midnight_and_branch_shift_are_added(client, people, branch):
    login(client, "root")
    night = {"name": "night", "start": "22:00", "end": "06:00"}
    assert form(client, "/admin/org/shifts", night).status_code == 302
    own = {"name": "day", "start": "09:00", "end": "17:00", "branch": "B1"}
    response = form(client, "/admin/org/shifts", own)
    assert response.headers["location"] == "/admin/org/branches/B1"
    assert "22:00–06:00" in client.get("/admin/org").text
    assert "09:00–17:00" in client.get("/admin/org/branches/B1").text
    again = form(client, "/admin/org/shifts", {**own, "start": "18:00", "end": "19:00"})
    assert again.status_code == 422 and "already a shift named" in again.text


def test_admin_staff_added_then_renamed_and_deactivated(client, people, branch):
    login(client, "root")
    form(client, "/admin/org/branches/B1/staff", {"code": "S1", "name": "Anna", "active": "1"})
    form(client, "/admin/org/branches/B1/staff", {"code": "S1", "name": "Anna K."})
    rows = run(Staff.select(Staff.code, Staff.name, Staff.active).run())
    assert rows == [{"code": "S1", "name": "Anna K.", "active": False}]
    bad = form(client, "/admin/org/branches/B1/staff", {"code": "has space"})
    assert bad.status_code == 422 and 'id="error-code"' in bad.text


def test_admin_unknown_branch_is_404(client, people):
    login(client, "root")
    assert client.get("/admin/org/branches/NOPE").status_code == 404


def test_admin_csv_upload_with_errors_names_row_and_column_and_writes_nothing(client, people):
    login(client, "root")
    broken = BRANCHES_CSV + "B3,Mars base,ATT,Mars/Olympus,\n"
    response = _upload(client, "/admin/org/import/branches", broken)
    assert response.status_code == 422
    assert "row 4, column <code>timezone</code>" in response.text
    assert "Nothing was imported" in response.text
    assert (_count(Branch), _count(Region)) == (0, 0)


def test_admin_csv_upload_twice_changes_nothing_the_second_time(client, people):
    login(client, "root")
    first = _upload(client, "/admin/org/import/branches", BRANCHES_CSV)
    assert first.status_code == 302
    assert "2 created, 0 updated, 0 unchanged" in client.get("/admin/org").text
    _upload(client, "/admin/org/import/branches", BRANCHES_CSV)
    assert "0 created, 0 updated, 2 unchanged" in client.get("/admin/org").text
    staff = "branch,code,name\nB1,S1,Anna\nB2,S1,Piotr\n"
    _upload(client, "/admin/org/import/staff", staff)
    assert (_count(Branch), _count(Region), _count(Staff)) == (2, 2, 2)
    missing = _upload(client, "/admin/org/import/staff", staff + "B9,S1,Nobody\n")
    assert missing.status_code == 422 and "no branch with code &#39;B9&#39;" in missing.text


def test_admin_csv_upload_of_shifts_adds_them_and_names_a_bad_row(client, people):
    login(client, "root")
    _upload(client, "/admin/org/import/branches", BRANCHES_CSV)
    shifts = "name,start,end,branch\nmorning,06:00,14:00,\nnight,22:00,06:00,B1\n"
    assert _upload(client, "/admin/org/import/shifts", shifts).status_code == 302
    assert "Imported shifts: 2 created, 0 updated, 0 unchanged" in client.get("/admin/org").text
    assert _count(Shift) == 2
    bad = _upload(client, "/admin/org/import/shifts", shifts + "late,21:00,23:00,B1\n")
    assert bad.status_code == 422 and "row 4, column <code>start</code>" in bad.text
    assert "overlaps night (22:00–06:00) (stored)" not in bad.text  # night is in the file
    assert "overlaps night (22:00–06:00) on row 3" in bad.text
    assert _count(Shift) == 2
