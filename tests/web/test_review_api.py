"""The review API: approve, return with a comment, the queue and the trail, head office only."""

import pytest

from audits.tables import Audit

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login

ROLES = {"anonymous": None, "shopper": "sam", "manager": "max", "office": "ada", "admin": "root"}
HEAD_OFFICE_ONLY = {"anonymous": 401, "shopper": 403, "manager": 403, "office": 200, "admin": 200}
ENDPOINTS = [
    ("POST", "/api/audits/{id}/approve", None),
    ("POST", "/api/audits/{id}/return", {"comment": "Add the wait time."}),
    ("GET", "/api/audits/{id}/trail", None),
    ("GET", "/api/review/queue", None),
]


def _file(client, doc, user="sam", **overrides) -> str:
    client.cookies.clear()
    login(client, user)
    response = client.post("/api/audits", json=audit_body(doc, **overrides))
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return response.json()["id"]


def _as(client, user: str | None) -> None:
    client.cookies.clear()
    if user:
        login(client, user)


def _status(audit_id: str) -> str:
    return run(Audit.select(Audit.status).where(Audit.id == audit_id).first().run())["status"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, body", ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_review_api_access_is_head_office_only(client, org, role, method, url, body):
    audit_id = _file(client, org)
    _as(client, ROLES[role])
    response = client.request(method, url.format(id=audit_id), json=body)
    assert response.status_code == HEAD_OFFICE_ONLY[role], response.text
    if response.status_code != 200 and method == "POST":
        assert _status(audit_id) == "submitted"


def test_approve_publishes_and_answers_the_audit(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    response = client.post(f"/api/audits/{audit_id}/approve", json={"comment": "Good."})
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["review_comment"] == "Good."
    assert client.post(f"/api/audits/{audit_id}/approve").status_code == 409


def test_approve_without_a_body_works(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    assert client.post(f"/api/audits/{audit_id}/approve").json()["status"] == "published"


def test_return_needs_a_comment(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    response = client.post(f"/api/audits/{audit_id}/return", json={"comment": " "})
    assert response.status_code == 422 and response.json()["errors"][0]["key"] == "comment"
    assert client.post(f"/api/audits/{audit_id}/return", json={}).status_code == 422
    assert _status(audit_id) == "submitted"


@pytest.mark.parametrize("first", ["approve", "return"])
@pytest.mark.parametrize("then", ["approve", "return"])
def test_transition_from_wrong_status_is_409(client, org, first, then):
    audit_id = _file(client, org)
    _as(client, "ada")
    comment = {"comment": "Fix it."}
    assert client.post(f"/api/audits/{audit_id}/{first}", json=comment).status_code == 200
    again = client.post(f"/api/audits/{audit_id}/{then}", json=comment)
    assert again.status_code == 409 and "submitted" in again.json()["detail"]


def test_unknown_audit_is_404(client, org):
    _as(client, "ada")
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.post(f"/api/audits/{missing}/approve").status_code == 404
    assert client.get(f"/api/audits/{missing}/trail").status_code == 404


def test_resubmission_after_return_shows_old_and_new_in_the_trail(client, org):
    body = audit_body(org)
    _as(client, "sam")
    assert client.post("/api/audits", json=body).status_code == 201
    _as(client, "ada")
    comment = {"comment": "The wait looks wrong."}
    assert client.post(f"/api/audits/{body['id']}/return", json=comment).status_code == 200
    _as(client, "sam")
    mine = client.get(f"/api/audits/{body['id']}").json()
    assert mine["status"] == "returned" and mine["review_comment"] == "The wait looks wrong."
    old_wait = body["answers"]["queue_wait_minutes"]
    body["answers"]["queue_wait_minutes"] = 9
    assert client.post("/api/audits", json=body).json()["status"] == "submitted"
    _as(client, "ada")
    trail = client.get(f"/api/audits/{body['id']}/trail").json()
    assert [t["action"] for t in trail][:2] == ["submitted", "returned"]
    changed = {t["field"]: t for t in trail if t["action"] == "resubmitted"}
    wait = changed["answers.queue_wait_minutes"]
    assert (wait["user"], wait["old"], wait["new"]) == ("sam", old_wait, 9)
    assert changed["score"]["old"] > changed["score"]["new"]
    assert trail[1]["comment"] == "The wait looks wrong." and trail[1]["user"] == "ada"


def test_queue_is_riskiest_or_oldest_first_and_filters_by_flag_and_branch(client, org):
    first = _file(client, org)
    short = _file(client, org, user="sue", visit_minutes=1)
    b2 = _file(client, org, branch="B2", staff=None, visited_at="2026-03-10T18:30:00+01:00")
    _as(client, "ada")
    by_risk = client.get("/api/review/queue").json()
    assert [e["id"] for e in by_risk] == [short, first, b2]
    assert by_risk[0]["risk_reasons"][0] == {"code": "short_visit", "points": 2.5}
    assert by_risk[0]["risk"] > by_risk[1]["risk"] == by_risk[2]["risk"]
    queue = client.get("/api/review/queue?order=oldest").json()
    assert [e["id"] for e in queue] == [first, short, b2]
    assert queue[1]["flags"] == ["short_visit"] and queue[1]["auditor"] == "sue"
    assert [e["id"] for e in client.get("/api/review/queue?flag=short_visit").json()] == [short]
    assert [e["id"] for e in client.get("/api/review/queue?branch=B2").json()] == [b2]


def test_queue_order_not_offered_is_a_422_naming_it(client, org):
    _as(client, "ada")
    response = client.get("/api/review/queue?order=newest")
    assert response.status_code == 422 and "order" in response.text


def test_flags_reach_head_office_only(client, org):
    audit_id = _file(client, org, visit_minutes=1)
    _as(client, "ada")
    assert client.get(f"/api/audits/{audit_id}").json()["flags"] == ["short_visit"]
    assert client.post(f"/api/audits/{audit_id}/approve").status_code == 200
    for user in ("sam", "max"):
        _as(client, user)
        assert client.get(f"/api/audits/{audit_id}").json()["flags"] == []


def test_review_comment_never_reaches_the_branch_manager(client, org):
    audit_id = _file(client, org)
    _as(client, "ada")
    client.post(f"/api/audits/{audit_id}/approve", json={"comment": "Well done, sam."})
    _as(client, "max")
    seen = client.get(f"/api/audits/{audit_id}").json()
    assert seen["auditor"] is None and seen["review_comment"] == ""


def test_review_endpoints_are_documented_under_the_review_tag(client, org):
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path, method in (
        ("/api/audits/{audit_id}/approve", "post"),
        ("/api/audits/{audit_id}/return", "post"),
        ("/api/audits/{audit_id}/trail", "get"),
        ("/api/review/queue", "get"),
    ):
        assert paths[path][method]["tags"] == ["review"]
