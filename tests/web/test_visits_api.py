"""The visits API: access for every endpoint and role, what a shopper sees, claiming."""

import datetime as dt

import pytest

from .conftest import login
from .visit_fixtures import planned_fixture  # noqa: F401 - the `planned` fixture

ROLES = ("anonymous", "shopper", "manager", "office", "admin")
SOON = (dt.date.today() + dt.timedelta(days=3)).isoformat()
NEW_VISIT = {"branch": "V02", "checklist": "service-fundamentals", "window_start": SOON}

# (method, url, body, expected status for each role in ROLES order)
ENDPOINTS = [
    ("get", "/api/visits", None, (401, 200, 403, 200, 200)),
    ("get", "/api/visits?open=true", None, (401, 200, 403, 200, 200)),
    ("get", "/api/visits/{open}", None, (401, 200, 403, 200, 200)),
    ("get", "/api/visits/{kim}", None, (401, 404, 403, 200, 200)),
    ("post", "/api/visits", NEW_VISIT, (401, 403, 403, 201, 201)),
    ("post", "/api/visits/{open}/claim", None, (401, 200, 403, 403, 200)),
    ("post", "/api/visits/{kim}/claim", None, (401, 409, 403, 403, 409)),
    ("post", "/api/visits/{open}/cancel", None, (401, 403, 403, 200, 200)),
]


def _as(client, people, role):
    if role != "anonymous":
        assert login(client, people[role]).status_code == 302


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), ENDPOINTS)
def test_visits_api_every_endpoint_and_role_gets_its_status(
    client, people, planned, role, method, url, body, expected
):
    _as(client, people, role)
    kwargs = {"json": body} if body is not None else {}
    response = getattr(client, method)(url.format(**planned), **kwargs)
    assert response.status_code == expected[ROLES.index(role)], response.text


def test_visits_api_shopper_lists_own_visits_and_open_ones_only(client, people, planned):
    _as(client, people, "shopper")
    mine = client.get("/api/visits").json()
    assert [(v["id"], v["shopper"], v["state"]) for v in mine] == [
        (planned["sam"], "sam", "upcoming")
    ]
    assert [v["id"] for v in client.get("/api/visits?open=true").json()] == [planned["open"]]
    # Filters that would reach other shoppers' visits do not widen what a shopper sees.
    assert [v["id"] for v in client.get("/api/visits?shopper=kim").json()] == [planned["sam"]]


def test_visits_api_office_filters_by_branch_and_shopper(client, people, planned):
    _as(client, people, "office")
    assert len(client.get("/api/visits").json()) == 3
    assert [v["id"] for v in client.get("/api/visits?branch=V02").json()] == [planned["kim"]]
    assert [v["id"] for v in client.get("/api/visits?shopper=sam").json()] == [planned["sam"]]
    open_ones = client.get("/api/visits?open=true").json()
    assert [v["id"] for v in open_ones] == [planned["open"]]


def test_visits_api_claim_then_second_claim_conflicts(client, people, planned):
    _as(client, people, "shopper")
    url = f"/api/visits/{planned['open']}/claim"
    assert client.post(url).json()["shopper"] == "sam"
    assert client.post(url).status_code == 200  # claiming one's own again changes nothing
    client.post("/logout", data={})  # the next shopper
    client.cookies.clear()
    login(client, "kim")
    response = client.post(url)
    assert response.status_code == 409 and "taken" in response.json()["detail"]


def test_visits_api_create_bad_branch_is_422_naming_it(client, people, planned):
    _as(client, people, "office")
    response = client.post("/api/visits", json={**NEW_VISIT, "branch": "NOPE"})
    assert response.status_code == 422 and "NOPE" in response.json()["detail"]
    response = client.post("/api/visits", json={**NEW_VISIT, "window_start": "soon"})
    assert response.status_code in (400, 422)


def test_visits_api_create_without_shopper_is_open(client, people, planned):
    _as(client, people, "office")
    created = client.post("/api/visits", json={**NEW_VISIT, "shift": "evening"}).json()
    assert created["shopper"] is None and created["shift"] == "evening"
    assert created["state"] == "upcoming"


def test_visits_api_is_documented_in_openapi(client):
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert {"/api/visits", "/api/visits/{visit_id}/claim"} <= set(paths)
    assert "post" in paths["/api/visits"] and "get" in paths["/api/visits"]
