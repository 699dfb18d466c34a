"""Head office subscribes people to reports (page and API): who may, and what each reader may
be sent; the field that is wrong is named."""

from __future__ import annotations

import pytest

from .conftest import form
from .report_helpers import ROLES, as_user

API = "/api/report-subscriptions"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("shopper", 403), ("manager", 403), ("office", 200), ("admin", 200)],
)
def test_subscriptions_api_is_head_office_only(client, org, role, status):
    as_user(client, ROLES[role])
    assert client.get(API).status_code == status
    assert client.get(f"{API}/deliveries").status_code == status


def test_office_subscribes_lists_and_stops(client, org):
    as_user(client, "ada")
    made = client.post(API, json={"username": "max", "kind": "branch", "cadence": "weekly"})
    assert made.status_code == 201, made.text
    assert made.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "username": "max",
        "email": "max@users.invalid",
        "language": None,
        "kind": "branch",
        "branch": None,
        "cadence": "weekly",
        "active": True,
        "created_by": "ada",
        "created_at": "",
    }
    visits = client.post(API, json={"username": "mia", "kind": "visits", "branch": "B2"}).json()
    assert visits["cadence"] == "approval"
    stopped = client.post(f"{API}/{made.json()['id']}/stop")
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    listed = client.get(API).json()
    assert [(s["username"], s["kind"], s["active"]) for s in listed] == [
        ("mia", "visits", True),
        ("max", "branch", False),
    ]
    assert client.post(f"{API}/999999/stop").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "max", "kind": "headoffice"}, "username"),  # a manager does not read it
        ({"username": "max", "kind": "branch", "branch": "B2"}, "branch"),  # not his branch
        ({"username": "ada", "kind": "branch"}, "branch"),  # head office: which branch?
        ({"username": "ada", "kind": "visits", "branch": "B1"}, "username"),  # managers' notices
        ({"username": "sam", "kind": "branch", "branch": "B1"}, "username"),  # a shopper
        ({"username": "nobody", "kind": "branch"}, "username"),
        ({"username": "max", "kind": "branch", "branch": "B404"}, "branch"),
        ({"username": "ada", "kind": "headoffice", "cadence": "daily"}, "cadence"),
        ({"username": "ada", "kind": "monthly"}, "kind"),
        ({"username": "x" * 201, "kind": "branch"}, "username"),
    ],
)
def test_subscription_that_cannot_be_is_422_naming_the_field(client, org, body, field):
    as_user(client, "ada")
    response = client.post(API, json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(field in (e.get("key") or "") for e in errors), errors
    assert client.get(API).json() == []


def test_subscriptions_page_subscribes_and_shows_errors_inline(client, org):
    as_user(client, "ada")
    page = client.get("/admin/subscriptions")
    assert page.status_code == 200 and "Subscribe someone" in page.text
    bad = form(client, "/admin/subscriptions", {"username": "max", "kind": "headoffice"})
    assert bad.status_code == 422
    assert "Only head office reads the head-office report." in bad.text
    done = form(
        client, "/admin/subscriptions", {"username": "max", "kind": "branch", "branch": "B1"}
    )
    assert (done.status_code, done.headers["location"]) == (302, "/admin/subscriptions")
    assert "Subscribed" in client.get("/admin/subscriptions").text
    (made,) = client.get(API).json()
    assert (made["username"], made["branch"], made["cadence"]) == ("max", "B1", "monthly")
    stopped = form(client, f"/admin/subscriptions/{made['id']}/stop")
    assert stopped.status_code == 302 and "Stopped" in client.get("/admin/subscriptions").text
    assert client.get(API).json()[0]["active"] is False


def test_subscriptions_page_is_in_the_readers_language(client, org):
    as_user(client, "ada")
    page = client.get("/admin/subscriptions?lang=pl")
    assert "Raporty cykliczne" in page.text


def test_subscriptions_page_refuses_a_manager(client, org):
    as_user(client, "max")
    assert client.get("/admin/subscriptions").status_code == 403
