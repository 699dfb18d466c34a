"""Inputs that used to answer 500 (issue 14): ids past 2^31 and 2^63, dates at the ends of the
calendar, deep JSON, a draft that grows when stored, NUL characters. Each now gets a 4xx that
names the field, on SQLite and PostgreSQL, and nothing is written."""

from __future__ import annotations

import uuid

import pytest

from audits.tables import Audit, AuditDraft

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login

BIG = [2**31, 2**63]


def _as(client, user: str):
    client.cookies.clear()
    login(client, user)
    return client


def _audits() -> int:
    return run(Audit.count().run())


@pytest.mark.parametrize("number", BIG)
@pytest.mark.parametrize(
    ("user", "method", "path"),
    [
        ("ada", "GET", "/api/visits/{n}"),
        ("ada", "POST", "/api/visits/{n}/cancel"),
        ("sam", "POST", "/api/visits/{n}/claim"),
        ("ada", "GET", "/api/actions/{n}"),
        ("ada", "POST", "/api/actions/{n}/verify"),
        ("ada", "GET", "/api/checklists/service-fundamentals/versions/{n}"),
        ("ada", "GET", "/checklists/service-fundamentals/versions/{n}"),
        ("ada", "POST", "/visits/{n}/cancel"),
        ("root", "GET", "/admin/users/{n}"),
        ("root", "POST", "/admin/org/shifts/{n}/delete"),
        ("ada", "GET", "/actions/{n}"),
    ],
)
def test_path_id_out_of_range_answers_404(client, org, user, method, path, number):
    response = _as(client, user).request(method, path.format(n=number), follow_redirects=False)
    assert response.status_code == 404, response.text


@pytest.mark.parametrize("number", BIG)
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/audits?offset={n}", "offset"),
        ("/api/audits?limit={n}", "limit"),
        ("/api/actions/emails?limit={n}", "limit"),
    ],
)
def test_query_number_out_of_range_answers_422_naming_it(client, org, path, field, number):
    response = _as(client, "ada").get(path.format(n=number))
    assert response.status_code == 422, response.text
    assert [e["key"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("number", BIG)
@pytest.mark.parametrize("field", ["visit", "visit_minutes", "version"])
def test_audit_number_out_of_range_answers_422_and_files_nothing(client, org, field, number):
    response = _as(client, "sam").post("/api/audits", json=audit_body(org, **{field: number}))
    assert response.status_code == 422, response.text
    assert field in [e["key"] for e in response.json()["errors"]]
    assert _audits() == 0


@pytest.mark.parametrize(
    "visited_at",
    [
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59",
        "9999-12-31T23:59-05:00",
    ],
)
def test_audit_visit_at_calendar_end_answers_422_naming_visited_at(client, org, visited_at):
    response = _as(client, "sam").post("/api/audits", json=audit_body(org, visited_at=visited_at))
    assert response.status_code == 422, response.text
    assert "visited_at" in response.text
    assert _audits() == 0


@pytest.mark.parametrize("field", ["window_start", "window_end"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_visit_window_at_calendar_end_answers_422_naming_it(client, org, field, day):
    body = {"branch": "B1", "checklist": "service-fundamentals", "window_start": "2030-01-07"}
    response = _as(client, "ada").post("/api/visits/", json={**body, field: day})
    assert response.status_code == 422, response.text
    assert field in response.text


@pytest.mark.parametrize("depth", [1_000, 50_000])
@pytest.mark.parametrize("path", ["/api/audits", "/api/drafts/{id}", "/api/checklists/"])
def test_deep_json_answers_422_fast(client, org, path, depth):
    body = b"[" * depth + b"]" * depth
    response = _as(client, "ada" if "checklists" in path else "sam").request(
        "PUT" if "drafts" in path else "POST",
        path.format(id=uuid.uuid4()),
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert "Nested too deeply" in response.text


def test_draft_larger_once_stored_answers_413_and_keeps_nothing(client, org):
    # "1E2" is 3 bytes sent and "100.0" 5 stored: under the body limit, over the draft's.
    body = b'{"a": [' + b",".join([b"1E2"] * 45_000) + b"]}"
    response = _as(client, "sam").put(
        f"/api/drafts/{uuid.uuid4()}", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert "draft" in response.json()["detail"]
    assert run(AuditDraft.count().run()) == 0


def _with_nul(doc, where: str) -> dict:
    body = audit_body(doc)
    if where == "answer":
        text_item = next(i for i in doc.items() if i.type.value == "text")
        body["answers"][text_item.key] = "Anna\x00"
        return body, f"answers.{text_item.key}"
    if where == "comment":
        body["comments"] = {"entrance_clean_tidy": "dusty\x00"}
        return body, "comments.entrance_clean_tidy"
    body[where] = "nobody\x00"
    return body, where


@pytest.mark.parametrize("where", ["answer", "comment", "staff_description", "branch"])
def test_nul_in_audit_text_answers_422_naming_the_field(client, org, where):
    body, key = _with_nul(org, where)
    response = _as(client, "sam").post("/api/audits", json=body)
    assert response.status_code == 422, response.text
    assert key in [e["key"] for e in response.json()["errors"]]
    assert _audits() == 0


@pytest.mark.parametrize(
    "path", ["/api/audits", "/api/review/queue", "/api/visits/", "/api/actions/", "/review/"]
)
def test_nul_in_query_answers_422_naming_the_parameter(client, org, path):
    response = _as(client, "ada").get(path, params={"branch": "B\x001"})
    assert response.status_code == 422, response.text
    assert "branch" in response.text


def test_nul_in_review_comment_answers_422(client, org):
    filed = _as(client, "sam").post("/api/audits", json=audit_body(org))
    audit_id = filed.json()["id"]
    response = _as(client, "ada").post(f"/api/audits/{audit_id}/return", json={"comment": "\x00"})
    assert response.status_code == 422, response.text
    assert "comment" in [e["key"] for e in response.json()["errors"]]
    assert run(Audit.select(Audit.status).first().run())["status"] == "submitted"
