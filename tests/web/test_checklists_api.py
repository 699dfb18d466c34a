"""The checklist JSON API: reading, drafts, publishing, immutability (409) and access."""

import pytest

from .conftest import login

DOC = {
    "slug": "counter",
    "title": {"en": "Counter visit", "el": "Επίσκεψη"},
    "critical_policy": {"cap": 40},
    "sections": [
        {
            "key": "welcome",
            "title": {"en": "Welcome"},
            "items": [
                {
                    "key": "greeted",
                    "type": "yes_no",
                    "text": {"en": "Greeted?"},
                    "dimension": "respect",
                    "critical": True,
                },
                {
                    "key": "wait",
                    "type": "number",
                    "text": {"en": "Wait"},
                    "dimension": "timeliness",
                    "target": {"full_at": 3, "zero_at": 10},
                },
            ],
        }
    ],
}


def _publish_counter(client):
    assert client.post("/api/checklists", json=DOC).status_code == 201
    return client.post("/api/checklists/counter/versions/1/publish")


def test_import_then_publish_office_gets_published_version(client, people):
    login(client, "ada")
    response = _publish_counter(client)
    assert response.status_code == 200 and response.json()["status"] == "published"
    body = client.get("/api/checklists/counter/versions/latest").json()
    assert body["version"]["number"] == 1
    assert body["checklist"]["sections"][0]["items"][0]["key"] == "greeted"


def test_put_published_version_is_409_and_content_unchanged(client, people):
    login(client, "ada")
    _publish_counter(client)
    changed = {**DOC, "title": {"en": "Changed"}}
    response = client.put("/api/checklists/counter/versions/1", json=changed)
    assert response.status_code == 409
    assert "published" in response.json()["detail"]
    assert client.get("/api/checklists/counter/versions/1").json()["checklist"]["title"] == {
        "en": "Counter visit",
        "el": "Επίσκεψη",
    }


def test_draft_after_publish_is_version_two_and_old_stays(client, people):
    login(client, "ada")
    _publish_counter(client)
    assert client.post("/api/checklists/counter/drafts").json()["number"] == 2
    changed = {**DOC, "title": {"en": "Counter visit v2"}}
    assert client.put("/api/checklists/counter/versions/2", json=changed).status_code == 200
    assert client.post("/api/checklists/counter/versions/2/publish").status_code == 200
    old = client.get("/api/checklists/counter/versions/1").json()["checklist"]["title"]["en"]
    new = client.get("/api/checklists/counter/versions/latest").json()["checklist"]["title"]["en"]
    assert (old, new) == ("Counter visit", "Counter visit v2")


def test_import_broken_document_is_422_naming_the_field(client, people):
    login(client, "ada")
    broken = {
        **DOC,
        "sections": [
            {
                **DOC["sections"][0],
                "items": [
                    {"key": "greeted", "type": "yes_no", "text": {"en": "x"}, "weight": "heavy"}
                ],
            }
        ],
    }
    response = client.post("/api/checklists", json=broken)
    assert response.status_code == 422
    assert "weight" in response.text
    assert client.get("/api/checklists").json() == []


def test_import_semantic_problem_is_422_with_the_key(client, people):
    login(client, "ada")
    item = {
        "key": "asked",
        "type": "yes_no",
        "text": {"en": "Asked?"},
        "condition": {"item": "nowhere", "in": [True]},
    }
    broken = {**DOC, "sections": [{**DOC["sections"][0], "items": [item]}]}
    response = client.post("/api/checklists", json=broken)
    assert response.status_code == 422
    assert any("condition" in e["key"] for e in response.json()["extra"])


def test_score_dry_run_caps_a_critical_failure(client, people):
    login(client, "ada")
    _publish_counter(client)
    response = client.post(
        "/api/checklists/counter/versions/latest/score",
        json={"answers": {"greeted": False, "wait": 2}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["critical_fail"] is True and body["score"] == 40.0 and body["raw_score"] == 50.0


def test_score_invalid_answer_is_422_per_item(client, people):
    login(client, "ada")
    _publish_counter(client)
    response = client.post(
        "/api/checklists/counter/versions/1/score", json={"answers": {"greeted": "maybe"}}
    )
    assert response.status_code == 422
    keys = {e["key"] for e in response.json()["extra"]}
    assert "greeted" in keys


def test_unknown_checklist_is_404(client, people):
    login(client, "sam")
    assert client.get("/api/checklists/nope/versions/latest").status_code == 404


@pytest.mark.parametrize("role", ["shopper", "manager"])
def test_draft_is_hidden_from_non_office_roles(client, people, role):
    login(client, "ada")
    client.post("/api/checklists", json=DOC)
    client.post("/login", data={})  # no-op; switch user below
    client.cookies.clear()
    login(client, people[role])
    assert client.get("/api/checklists").json() == []
    assert client.get("/api/checklists/counter/versions/1").status_code == 404


WRITES = [
    ("post", "/api/checklists", DOC),
    ("post", "/api/checklists/counter/drafts", None),
    ("put", "/api/checklists/counter/versions/1", DOC),
    ("post", "/api/checklists/counter/versions/1/publish", None),
    ("post", "/api/checklists/counter/retire", None),
]


@pytest.mark.parametrize("method, url, body", WRITES)
@pytest.mark.parametrize(
    "role, allowed", [("shopper", False), ("manager", False), ("office", True), ("admin", True)]
)
def test_checklist_writes_only_head_office_and_admin(
    client, people, method, url, body, role, allowed
):
    login(client, people[role])
    if not allowed:
        response = getattr(client, method)(url, **({"json": body} if body else {}))
        assert response.status_code == 403
    else:
        client.post("/api/checklists", json=DOC)
        response = getattr(client, method)(url, **({"json": body} if body else {}))
        assert response.status_code in (200, 201)


@pytest.mark.parametrize("role", ["shopper", "manager", "office", "admin"])
def test_published_checklist_readable_by_every_role(client, people, role):
    login(client, "ada")
    _publish_counter(client)
    client.cookies.clear()
    login(client, people[role])
    assert [c["slug"] for c in client.get("/api/checklists").json()] == ["counter"]
    assert client.get("/api/checklists/counter/versions/1").status_code == 200
