"""Admins manage webhook endpoints on /admin/webhooks and through /api/webhooks: field-level
422s for bad input, the secret shown once, the delivery log, and nobody else in."""

from __future__ import annotations

import pytest

from .action_fixtures import as_user
from .conftest import csrf, form, login

HOOK = {"url": "https://example.org/evenly", "events": ["audit.published"]}


def _admin(client) -> None:
    as_user(client, "root")
    csrf(client)


@pytest.mark.parametrize(
    "body, field",
    [
        ({**HOOK, "url": "ftp://example.org/x"}, "url"),
        ({**HOOK, "url": ""}, "url"),
        ({**HOOK, "url": "https://u:p@example.org/"}, "url"),
        ({**HOOK, "url": "https://example.org/" + "a" * 2001}, "url"),
        ({**HOOK, "events": []}, "events"),
        ({**HOOK, "events": ["audit.deleted"]}, "events"),
        ({**HOOK, "description": "d" * 201}, "description"),
    ],
)
def test_webhook_api_bad_endpoint_is_422_naming_the_field(client, org, body, field):
    _admin(client)
    response = client.post("/api/webhooks", json=body)
    assert response.status_code == 422, response.text
    assert [e["key"] for e in response.json()["errors"]] == [field]
    assert client.get("/api/webhooks").json() == []


@pytest.mark.parametrize(
    "body",
    [{"url": "https://example.org"}, {**HOOK, "events": "audit.published"}, {**HOOK, "active": 3}],
)
def test_webhook_api_malformed_body_is_422(client, org, body):
    _admin(client)
    assert client.post("/api/webhooks", json=body).status_code == 422


def test_webhook_api_secret_is_shown_once(client, org):
    _admin(client)
    made = client.post("/api/webhooks", json=HOOK).json()
    secret, endpoint = made["secret"], made["endpoint"]["id"]
    assert secret.startswith("whsec_") and len(secret) > 30
    assert secret not in client.get("/api/webhooks").text
    assert secret not in client.get(f"/api/webhooks/{endpoint}").text
    assert secret not in client.get(f"/admin/webhooks/{endpoint}").text
    rotated = client.post(f"/api/webhooks/{endpoint}/secret").json()["secret"]
    assert rotated != secret and rotated.startswith("whsec_")


def test_webhook_api_unknown_endpoint_is_404(client, org):
    _admin(client)
    assert client.get("/api/webhooks/999").status_code == 404
    assert client.patch("/api/webhooks/999", json={"active": False}).status_code == 404
    assert client.delete("/api/webhooks/999").status_code == 404
    assert client.get("/api/webhooks/0").status_code in (400, 404, 422)


def test_webhook_api_update_checks_fields_and_keeps_the_rest(client, org):
    _admin(client)
    endpoint = client.post("/api/webhooks", json=HOOK).json()["endpoint"]["id"]
    bad = client.patch(f"/api/webhooks/{endpoint}", json={"events": ["nope"]})
    assert bad.status_code == 422
    changed = client.patch(f"/api/webhooks/{endpoint}", json={"description": "Warehouse"})
    assert changed.json()["events"] == ["audit.published"]
    assert changed.json()["description"] == "Warehouse"
    assert client.delete(f"/api/webhooks/{endpoint}").status_code == 204
    assert client.get("/api/webhooks").json() == []


def test_webhook_api_lists_the_events_and_their_bodies(client, org):
    _admin(client)
    events = [e["type"] for e in client.get("/api/webhooks/events").json()]
    assert events[:3] == ["audit.submitted", "audit.published", "audit.returned"]
    examples = client.get("/api/webhooks/events/examples").json()
    assert {e["type"] for e in examples} == {*events, "webhook.test"}
    schema = client.get("/schema/openapi.json").json()["components"]["schemas"]
    assert {"AuditPublished", "ActionOverdue", "ImportFinished", "AuditData"} <= set(schema)


@pytest.mark.parametrize("role", ["sam", "max", "ada"])
def test_webhook_pages_and_api_refuse_every_other_role(client, org, role):
    _admin(client)
    endpoint = client.post("/api/webhooks", json=HOOK).json()["endpoint"]["id"]
    as_user(client, role)
    for path in (
        "/api/webhooks",
        "/api/webhooks/events",
        f"/api/webhooks/{endpoint}",
        f"/api/webhooks/{endpoint}/deliveries",
        "/admin/webhooks",
        f"/admin/webhooks/{endpoint}",
    ):
        assert client.get(path, follow_redirects=False).status_code == 403, (role, path)


def test_webhook_api_anonymous_is_401(client, org):
    client.cookies.clear()
    assert client.get("/api/webhooks").status_code == 401


def test_webhook_page_registers_shows_the_secret_once_and_refuses_bad_input(client, org):
    login(client, "root")
    page = client.get("/admin/webhooks")
    assert page.status_code == 200 and "No endpoints yet." in page.text
    bad = form(client, "/admin/webhooks", {"url": "not a url", "events": "audit.published"})
    assert bad.status_code == 422
    assert 'id="error-url"' in bad.text and "not a url" in bad.text  # kept for correcting
    none = form(client, "/admin/webhooks", {"url": HOOK["url"]})
    assert none.status_code == 422 and 'id="error-events"' in none.text
    made = form(
        client,
        "/admin/webhooks",
        {"url": HOOK["url"], "events": ["audit.published", "action.opened"], "active": "1"},
    )
    assert made.status_code == 201
    assert "shown only this once" in made.text and "whsec_" in made.text
    listing = client.get("/admin/webhooks")
    assert HOOK["url"] in listing.text and "whsec_" not in listing.text


def test_webhook_page_edit_pause_and_delete(client, org):
    _admin(client)
    endpoint = client.post("/api/webhooks", json=HOOK).json()["endpoint"]["id"]
    login(client, "root")
    saved = form(client, f"/admin/webhooks/{endpoint}", {**HOOK, "description": "Warehouse"})
    assert saved.status_code == 302
    page = client.get(f"/admin/webhooks/{endpoint}")
    assert "Warehouse" in page.text and "Nothing sent yet." in page.text
    assert client.get("/api/webhooks").json()[0]["active"] is False  # box left unticked
    bad = form(client, f"/admin/webhooks/{endpoint}", {**HOOK, "events": "nope"})
    assert bad.status_code == 422 and 'id="error-events"' in bad.text
    gone = form(client, f"/admin/webhooks/{endpoint}/delete")
    assert gone.status_code == 302 and gone.headers["location"] == "/admin/webhooks"
    assert client.get(f"/admin/webhooks/{endpoint}").status_code == 404


@pytest.mark.parametrize(
    "lang, words",
    [("el", "Νέος αποδέκτης"), ("pl", "Nowy odbiorca"), ("fa", "گیرندهٔ جدید")],
)
def test_webhook_page_speaks_each_language(client, org, lang, words):
    login(client, "root")
    page = client.get("/admin/webhooks", params={"lang": lang})
    assert page.status_code == 200 and words in page.text
    assert "New endpoint" not in page.text
