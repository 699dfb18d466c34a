"""Who may do what with corrective actions, endpoint by endpoint and role by role: shoppers
never (403), managers only their branches (another branch's action is 404), head office and
admins everything but a manager's "done" (admins may), anonymous callers 401 or the login."""

import datetime as dt
import re

import pytest

from audits.tables import ActionEvent, CorrectiveAction

from ..conftest import run
from .action_fixtures import JPEG, actions_of, as_user, file_and_publish
from .conftest import form

ROLES = {
    "anonymous": None,
    "shopper": "sam",
    "manager": "max",
    "other_manager": "mia",
    "office": "ada",
    "admin": "root",
}


def _codes(anonymous, shopper, manager, other_manager, office, admin):
    return dict(
        zip(ROLES, (anonymous, shopper, manager, other_manager, office, admin), strict=True)
    )


READ = _codes(401, 403, 200, 404, 200, 200)
API = [
    # method, url, body, state the action is put in first, expected per role
    ("GET", "/api/actions", None, None, _codes(401, 403, 200, 200, 200, 200)),
    ("GET", "/api/actions/{id}", None, None, READ),
    ("POST", "/api/actions/{id}/notes", {"comment": "Called the team."}, None, READ),
    (
        "POST",
        "/api/actions/{id}/done",
        {"comment": "Fixed."},
        None,
        _codes(401, 403, 200, 404, 403, 200),
    ),
    ("POST", "/api/actions/{id}/verify", None, None, _codes(401, 403, 403, 403, 200, 200)),
    (
        "POST",
        "/api/actions/{id}/reopen",
        {"comment": "Not yet."},
        "done",
        _codes(401, 403, 403, 403, 200, 200),
    ),
    ("POST", "/api/actions/{id}/owners", {"owners": ["max"]}, None, READ),
    (
        "POST",
        "/api/actions/{id}/due",
        lambda _: {"due_date": str(dt.date.today() + dt.timedelta(days=30)), "reason": "Parts"},
        None,
        _codes(401, 403, 403, 403, 200, 200),
    ),
    (
        "POST",
        "/api/actions/bulk/verify",
        lambda action: {"ids": [action["id"]]},
        None,
        _codes(401, 403, 403, 403, 200, 200),
    ),
    ("GET", "/api/actions/{id}/photos/{photo}", None, None, READ),
    ("GET", "/api/actions/recovery", None, None, _codes(401, 403, 200, 200, 200, 200)),
    ("GET", "/api/actions/emails", None, None, _codes(401, 403, 403, 403, 200, 200)),
]
LOGIN = "login"
PAGE_READ = _codes(LOGIN, 403, 200, 404, 200, 200)
PAGES = [
    ("GET", "/actions/", None, _codes(LOGIN, 403, 200, 200, 200, 200)),
    ("GET", "/actions/{id}", None, PAGE_READ),
    (
        "POST",
        "/actions/{id}/step",
        {"step": "note", "comment": "Seen to."},
        _codes(LOGIN, 403, 302, 404, 302, 302),
    ),
    (
        "POST",
        "/actions/{id}/step",
        {"step": "done", "comment": "Fixed."},
        _codes(LOGIN, 403, 302, 404, 403, 302),
    ),
    ("POST", "/actions/{id}/step", {"step": "verify"}, _codes(LOGIN, 403, 403, 403, 302, 302)),
    ("POST", "/actions/{id}/owners", {"owners": "max"}, _codes(LOGIN, 403, 302, 404, 302, 302)),
    (
        "POST",
        "/actions/{id}/due",
        {"due_date": str(dt.date.today() + dt.timedelta(days=30)), "reason": "Parts"},
        _codes(LOGIN, 403, 403, 403, 302, 302),
    ),
    ("GET", "/actions/recovery", None, _codes(LOGIN, 403, 200, 200, 200, 200)),
    ("GET", "/actions/emails", None, _codes(LOGIN, 403, 403, 403, 200, 200)),
]


@pytest.fixture
def action(client, org) -> dict:
    """An open action of B1 (max's branch) with a photo max recorded on it."""
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action_id = actions_of(audit_id)["acknowledged_promptly"]["id"]
    as_user(client, "max")
    photo = client.post("/api/evidence", files={"file": ("p.jpg", JPEG, "image/jpeg")}).json()
    noted = client.post(f"/api/actions/{action_id}/notes", json={"photo": photo["id"]})
    assert noted.status_code == 200, noted.text
    client.cookies.clear()
    return {"id": action_id, "photo": photo["id"]}


def _state(action_id: int) -> str:
    query = CorrectiveAction.select(CorrectiveAction.state).where(CorrectiveAction.id == action_id)
    return run(query.first().run())["state"]


def _events(action_id: int) -> int:
    return run(ActionEvent.count().where(ActionEvent.action == action_id).run())


def _reset(action_id: int, state: str) -> None:
    """Put the action back as it was before a role's step succeeded, for the next role."""
    values = {CorrectiveAction.state: state, CorrectiveAction.closed_at: None}
    run(CorrectiveAction.update(values).where(CorrectiveAction.id == action_id).run())


@pytest.mark.parametrize(
    "method, url, body, before, codes", API, ids=[f"{e[0]} {e[1]}" for e in API]
)
def test_actions_api_access_per_role(client, action, method, url, body, before, codes):
    if before == "done":
        as_user(client, "max")
        client.post(f"/api/actions/{action['id']}/done", json={"comment": "Done."})
    state = _state(action["id"])
    got = {}
    for role, username in ROLES.items():
        events = _events(action["id"])
        as_user(client, username)
        sent = body(action) if callable(body) else body
        response = client.request(method, url.format(**action), json=sent)
        got[role] = response.status_code
        if response.status_code != 200:  # a refused step changes nothing
            assert (_state(action["id"]), _events(action["id"])) == (state, events), role
        _reset(action["id"], state)
    assert got == codes


def test_actions_api_lists_only_the_managers_branches(client, action):
    as_user(client, "mia")
    assert client.get("/api/actions").json() == []
    assert client.get("/api/actions/recovery").json()["total"]["total"] == 0
    as_user(client, "max")
    assert [a["id"] for a in client.get("/api/actions").json()] == [action["id"]]


@pytest.mark.parametrize(
    "method, url, body, codes", PAGES, ids=[f"{p[0]} {p[1]} {p[2]}" for p in PAGES]
)
def test_actions_pages_access_per_role(client, action, method, url, body, codes):
    state = _state(action["id"])
    target = url.format(**action)
    got = {}
    for role, username in ROLES.items():
        as_user(client, username)
        if method == "GET":
            response = client.get(target, follow_redirects=False)
        else:
            response = form(client, target, body)
        got[role] = response.status_code
        location = response.headers.get("location", "")
        if got[role] in (302, 303) and location.startswith("/login"):
            got[role] = LOGIN
        elif got[role] == 302:
            assert location == f"/actions/{action['id']}"
        _reset(action["id"], state)
    assert got == codes


def test_actions_pages_hide_the_shopper(client, action):
    as_user(client, "max")
    page = client.get(f"/actions/{action['id']}")
    assert page.status_code == 200 and "max" in page.text  # the note's author
    assert re.search(r"\bsam\b", page.text) is None  # never who the shopper was


def test_actions_api_is_documented_under_its_own_tag(client):
    schema = client.get("/schema/openapi.json").json()
    operations = [
        (path, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/actions")
        for operation in item.values()
    ]
    assert len(operations) == len(API)
    assert all(operation["tags"] == ["actions"] for _, operation in operations)
