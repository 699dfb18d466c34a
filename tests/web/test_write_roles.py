"""Every write route of the app × every role: who may write is an explicit table, a refused
role gets 403 (anonymous: 401 from the API, the login page otherwise) and nothing in the
database changes. Routes are read from ``app.routes``, so a new one fails here until the table
says who may use it."""

from __future__ import annotations

import re
import uuid

import pytest

from web.app import create_app
from web.settings import Settings

from .audit_fixtures import audit_body
from .conftest import csrf, login
from .test_audit_form import _fields
from .write_world import build_world, snapshot

pytestmark = pytest.mark.db

SHOPPER, MANAGER, OFFICE, ADMIN = "shopper", "manager", "office", "admin"
USERS = {SHOPPER: "sam", MANAGER: "max", OFFICE: "ada", ADMIN: "root"}
EVERYONE = frozenset(USERS)
HEAD_OFFICE = frozenset({OFFICE, ADMIN})
FILERS = frozenset({SHOPPER, ADMIN})  # see audits.fieldwork.filing.FILING_ROLES for why admins file
PUBLIC = None  # anyone, logged in or not (and it writes nothing but the caller's own session)

MAY_WRITE: dict[str, frozenset[str] | None] = {
    "POST /login": PUBLIC,
    "POST /logout": PUBLIC,
    "POST /language": PUBLIC,  # the session; a logged-in user's own profile language
    # each user's own account
    "POST /account/password": EVERYONE,
    "POST /account/tokens": EVERYONE,
    "POST /account/tokens/{token_id:int}/revoke": EVERYONE,
    # filing
    "POST /api/audits": FILERS,
    "PUT /api/drafts/{draft_id:uuid}": FILERS,
    "POST /audits": FILERS,
    "POST /api/evidence": EVERYONE,  # audit photos (filers), action photos (managers, office)
    # review
    "POST /api/audits/{audit_id:uuid}/approve": HEAD_OFFICE,
    "POST /api/audits/{audit_id:uuid}/return": HEAD_OFFICE,
    "POST /review/{audit_id:uuid}/approve": HEAD_OFFICE,
    "POST /review/{audit_id:uuid}/return": HEAD_OFFICE,
    "POST /review/{audit_id:uuid}/flags/dismiss": HEAD_OFFICE,
    # corrective actions
    "POST /api/actions/{action_id:int}/notes": frozenset({MANAGER, OFFICE, ADMIN}),
    "POST /api/actions/{action_id:int}/done": frozenset({MANAGER, ADMIN}),
    "POST /api/actions/{action_id:int}/verify": HEAD_OFFICE,
    "POST /api/actions/{action_id:int}/reopen": HEAD_OFFICE,
    "POST /actions/{action_id:int}/step": frozenset({MANAGER, OFFICE, ADMIN}),
    "POST /api/actions/{action_id:int}/owners": frozenset({MANAGER, OFFICE, ADMIN}),
    "POST /actions/{action_id:int}/owners": frozenset({MANAGER, OFFICE, ADMIN}),
    "POST /api/actions/{action_id:int}/due": HEAD_OFFICE,
    "POST /actions/{action_id:int}/due": HEAD_OFFICE,
    "POST /api/actions/bulk/verify": HEAD_OFFICE,
    "POST /actions/bulk/verify": HEAD_OFFICE,
    # visits and plans
    "POST /api/visits": HEAD_OFFICE,
    "POST /api/visits/{visit_id:int}/claim": FILERS,
    "POST /api/visits/{visit_id:int}/cancel": HEAD_OFFICE,
    "POST /visits/new": HEAD_OFFICE,
    "POST /visits/{visit_id:int}/claim": FILERS,
    "POST /visits/{visit_id:int}/cancel": HEAD_OFFICE,
    "POST /visits/plan/preview": HEAD_OFFICE,
    "POST /visits/plan/save": HEAD_OFFICE,
    # checklists
    "POST /api/checklists": HEAD_OFFICE,
    "POST /api/checklists/{slug:str}/drafts": HEAD_OFFICE,
    "PUT /api/checklists/{slug:str}/versions/{number:str}": HEAD_OFFICE,
    "POST /api/checklists/{slug:str}/versions/{number:str}/publish": HEAD_OFFICE,
    "POST /api/checklists/{slug:str}/retire": HEAD_OFFICE,
    "POST /api/checklists/{slug:str}/versions/{number:str}/score": EVERYONE,  # writes nothing
    "POST /checklists/import": HEAD_OFFICE,
    "POST /checklists/{slug:str}/drafts": HEAD_OFFICE,
    "POST /checklists/{slug:str}/versions/{number:int}/edit": HEAD_OFFICE,
    "POST /checklists/{slug:str}/versions/{number:int}/publish": HEAD_OFFICE,
    "POST /checklists/{slug:str}/versions/{number:int}/discard": HEAD_OFFICE,
    "POST /checklists/{slug:str}/retire": HEAD_OFFICE,
    "POST /checklists/{slug:str}/restore": HEAD_OFFICE,
    # audit history imports
    "POST /imports": HEAD_OFFICE,
    "POST /imports/jobs/{job_id:int}/retry": HEAD_OFFICE,
    # long work as jobs (head office's PDF; the job's rows are a cache, see write_world)
    "POST /reports/headoffice/pdf/job": HEAD_OFFICE,
    "POST /reports/branches/{code:str}/pdf/job": frozenset({MANAGER, OFFICE, ADMIN}),
    # scheduled reports
    "POST /api/report-subscriptions": HEAD_OFFICE,
    "POST /api/report-subscriptions/{subscription_id:int}/stop": HEAD_OFFICE,
    "POST /admin/subscriptions": HEAD_OFFICE,
    "POST /admin/subscriptions/{subscription_id:int}/stop": HEAD_OFFICE,
    # administration
    "POST /admin/users/new": frozenset({ADMIN}),
    "POST /admin/users/{user_id:int}": frozenset({ADMIN}),
    "POST /admin/users/{user_id:int}/active": frozenset({ADMIN}),
    "POST /admin/users/{user_id:int}/password": frozenset({ADMIN}),
    "POST /admin/org/settings": frozenset({ADMIN}),
    "POST /admin/org/regions": frozenset({ADMIN}),
    "POST /admin/org/branches": frozenset({ADMIN}),
    "POST /admin/org/branches/{code:str}": frozenset({ADMIN}),
    "POST /admin/org/shifts": frozenset({ADMIN}),
    "POST /admin/org/shifts/{shift_id:int}/delete": frozenset({ADMIN}),
    "POST /admin/org/shifts/{shift_id:int}/names": frozenset({ADMIN}),
    "POST /admin/org/branches/{code:str}/staff": frozenset({ADMIN}),
    "POST /admin/org/import/{kind:str}": frozenset({ADMIN}),
    # webhooks
    "POST /api/webhooks": frozenset({ADMIN}),
    "PATCH /api/webhooks/{endpoint_id:int}": frozenset({ADMIN}),
    "DELETE /api/webhooks/{endpoint_id:int}": frozenset({ADMIN}),
    "POST /api/webhooks/{endpoint_id:int}/secret": frozenset({ADMIN}),
    "POST /api/webhooks/{endpoint_id:int}/test": frozenset({ADMIN}),
    "POST /api/webhooks/{endpoint_id:int}/retry": frozenset({ADMIN}),
    "POST /admin/webhooks": frozenset({ADMIN}),
    "POST /admin/webhooks/{endpoint_id:int}": frozenset({ADMIN}),
    "POST /admin/webhooks/{endpoint_id:int}/secret": frozenset({ADMIN}),
    "POST /admin/webhooks/{endpoint_id:int}/test": frozenset({ADMIN}),
    "POST /admin/webhooks/{endpoint_id:int}/retry": frozenset({ADMIN}),
    "POST /admin/webhooks/{endpoint_id:int}/delete": frozenset({ADMIN}),
    "POST /admin/personal-data/users/{user_id:int}/erase": frozenset({ADMIN}),
    "POST /admin/personal-data/staff/{branch:str}/{staff:str}/erase": frozenset({ADMIN}),
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CSV = b"code,name\nB9,Branch nine\n"
VISIT = {"branch": "B2", "window_start": "2030-01-07"}
NEW_PASSWORD = "a-new-passphrase"
PASSWORD_CHANGE = {
    "current_password": "correct-horse",
    "new_password": NEW_PASSWORD,
    "confirm_password": NEW_PASSWORD,
}
NEW_USER = {"username": "eve", "password": NEW_PASSWORD}
HOOK = {"url": "http://127.0.0.1:9/other", "events": ["audit.submitted"]}


def _write_routes(app) -> list[tuple[str, str, object]]:
    """(method, path, handler) of every write route the app serves."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in sorted(set(handler.http_methods) & WRITE_METHODS):
                found.append((method, route.path, handler))
    return found


APP = create_app(Settings(database_url="sqlite:///:memory:", secret_key="x", db_pool=False))
ROUTES = sorted(f"{method} {path}" for method, path, _ in _write_routes(APP))


def test_every_write_route_is_in_the_table():
    assert sorted(set(ROUTES) - set(MAY_WRITE)) == [], "say in MAY_WRITE who may use it"
    assert sorted(set(MAY_WRITE) - set(ROUTES)) == [], "a route in MAY_WRITE no longer exists"


def test_every_write_route_has_a_role_guard_matching_the_table():
    """A Litestar guard (``web.auth.requires_role``), so the role is checked before the
    handler runs and before any write; the roles it lets in are the table's."""
    for method, path, handler in _write_routes(APP):
        expected = MAY_WRITE[f"{method} {path}"]
        role_sets = [g.roles for g in handler.resolve_guards() if hasattr(g, "roles")]
        if expected is PUBLIC:
            assert role_sets == [], f"{method} {path} is public in the table"
            continue
        assert role_sets, f"{method} {path} has no role guard"
        allowed = {role.value for role in frozenset.intersection(*role_sets)}
        assert allowed == expected, f"{method} {path}: guards let in {sorted(allowed)}"


def _path(template: str, world: dict) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name == "draft_id":
            return str(uuid.uuid4())
        assert name in world, f"write_world has no value for {{{name}}}: add one"
        return str(world[name])

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, template)


def _request(route: str, doc, world: dict) -> dict:
    """A request the allowed roles would act on: refused, it must store nothing."""
    method, template = route.split(" ", 1)
    path = _path(template, world)
    bodies = {
        "POST /api/audits": {"json": audit_body(doc)},
        "PUT /api/drafts/{draft_id:uuid}": {"json": {"answers.queue_wait_minutes": "3"}},
        "POST /api/evidence": {"files": {"file": ("p.png", PNG, "image/png")}},
        "POST /audits": {"data": _fields(doc, id=str(uuid.uuid4()))},
        "POST /api/audits/{audit_id:uuid}/return": {"json": {"comment": "Fix it."}},
        "POST /review/{audit_id:uuid}/return": {"data": {"comment": "Fix it."}},
        "POST /review/{audit_id:uuid}/flags/dismiss": {"data": {"flag": "x", "reason": "Seen."}},
        "POST /api/actions/{action_id:int}/notes": {"json": {"comment": "Noted."}},
        "POST /api/actions/{action_id:int}/done": {"json": {"comment": "Done."}},
        "POST /api/actions/{action_id:int}/verify": {"json": {"comment": "Seen."}},
        "POST /api/actions/{action_id:int}/reopen": {"json": {"comment": "Again."}},
        "POST /actions/{action_id:int}/step": {"data": {"step": "note", "comment": "Noted."}},
        "POST /api/visits": {"json": {**VISIT, "checklist": doc.slug}},
        "POST /visits/new": {"data": {**VISIT, "checklist": doc.slug}},
        "POST /api/checklists/{slug:str}/versions/{number:str}/score": {"json": {"answers": {}}},
        "POST /api/report-subscriptions": {"json": {"username": "max", "kind": "branch"}},
        "POST /admin/subscriptions": {"data": {"username": "max", "kind": "branch"}},
        "POST /account/password": {"data": PASSWORD_CHANGE},
        "POST /account/tokens": {"data": {"name": "script"}},
        "POST /admin/users/new": {"data": {**NEW_USER, "role": "manager", "branches": "B1"}},
        "POST /admin/users/{user_id:int}": {"data": {"role": "office", "language": "el"}},
        "POST /admin/users/{user_id:int}/active": {"data": {"active": ""}},
        "POST /admin/users/{user_id:int}/password": {"data": {"new_password": "a-new-passphrase"}},
        "POST /admin/org/settings": {"data": {"name": "Renamed", "default_language": "pl"}},
        "POST /admin/org/regions": {"data": {"code": "R9", "name": "North"}},
        "POST /admin/org/branches": {"data": {"code": "B9", "name": "Nine", "timezone": "UTC"}},
        "POST /admin/org/branches/{code:str}": {"data": {"name": "Renamed", "timezone": "UTC"}},
        "POST /admin/org/shifts": {"data": {"name": "night", "start": "22:00", "end": "23:00"}},
        "POST /admin/org/shifts/{shift_id:int}/names": {"data": {"name_el": "νύχτα"}},
        "POST /admin/org/branches/{code:str}/staff": {"data": {"code": "B1-S9", "name": "Ben"}},
        "POST /admin/org/import/{kind:str}": {"files": {"file": ("b.csv", CSV, "text/csv")}},
        "POST /api/webhooks": {"json": HOOK},
        "PATCH /api/webhooks/{endpoint_id:int}": {"json": {"active": False}},
        "POST /admin/webhooks": {"data": HOOK},
        "POST /admin/webhooks/{endpoint_id:int}": {"data": {**HOOK, "active": "1"}},
    }  # fmt: skip
    request = bodies.get(route, {})
    if "data" not in request and "json" not in request and not template.startswith("/api/"):
        request = {**request, "data": {}}
    return {"method": method, "url": path, **request}


def _send(client, request: dict):
    request = dict(request)
    if "data" in request:
        request["data"] = {**request["data"], "_csrf_token": csrf(client)}
    return client.request(**request, follow_redirects=False)


def _as(client, role: str | None) -> None:
    client.cookies.clear()
    client.headers.pop("x-csrftoken", None)
    if role:
        assert login(client, USERS[role]).status_code == 302
    else:
        csrf(client)  # anonymous, with a CSRF token: refused for who they are, not for that


def _refused(response, role: str | None, route: str) -> bool:
    if role is not None:
        return response.status_code == 403
    if route.split(" ", 1)[1].startswith("/api/"):
        return response.status_code == 401
    return response.status_code in (302, 303) and response.headers["location"].startswith("/login")


@pytest.mark.parametrize("route", [r for r in ROUTES if MAY_WRITE.get(r) is not PUBLIC])
def test_write_route_refuses_other_roles_and_writes_nothing(client, org, route):
    world = build_world(org)
    allowed = MAY_WRITE[route]
    refused = [r for r in (None, *USERS) if r not in allowed]
    for role in refused:
        _as(client, role)
        before = snapshot()
        response = _send(client, _request(route, org, world))
        assert _refused(response, role, route), (route, role, response.status_code)
        assert snapshot() == before, f"{route} as {role or 'anonymous'} wrote to the database"
    for role in sorted(allowed):
        _as(client, role)
        response = _send(client, _request(route, org, world))
        assert response.status_code < 500, (route, role, response.text[-500:])
        assert not _refused(response, role, route), (route, role, response.status_code)


def _read_routes(app) -> list[str]:
    return sorted(
        route.path
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if "GET" in handler.http_methods
    )


READ_VALUES = {"evidence_id": uuid.uuid4(), "draft_id": uuid.uuid4(), "key": "scores", "job_id": 1}
READ_VALUES |= {"file_path": "evenly.css", "path": "openapi.json"}


@pytest.mark.parametrize("role", [None, *USERS])
def test_no_get_changes_anything_stored_even_with_lang(client, org, role):
    """State changes only on POST: every page and API read, ``?lang=fa`` included, leaves
    every table as it was (PDFs, slow to draw, are read by admins only)."""
    world = {**build_world(org), **READ_VALUES}
    _as(client, role)
    before = snapshot()
    for template in _read_routes(APP):
        if template.endswith("/pdf") and role != ADMIN:
            continue
        path = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(world[m.group(1)]), template)
        response = client.get(path, params={"lang": "fa"}, follow_redirects=False)
        assert response.status_code < 500, (path, role, response.text[-500:])
    assert snapshot() == before
