"""Filing audits over the API: scored, exactly once, bad input refused whole, access scoped."""

import uuid

import pytest

from audits.tables import Audit, AuditChange

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login
from .photo_files import decoded, image_bytes

PNG = image_bytes("PNG")


def _count() -> int:
    return run(Audit.count().run())


def test_file_audit_perfect_answers_scores_100_in_the_evening_shift(client, org):
    login(client, "sam")
    response = client.post("/api/audits", json=audit_body(org))
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == 100.0 and body["status"] == "submitted"
    assert body["shift"] == "evening" and body["failed"] == [] and body["auditor"] == "sam"


def test_file_audit_same_id_twice_returns_the_same_audit(client, org):
    login(client, "sam")
    body = audit_body(org)
    first = client.post("/api/audits", json=body)
    again = client.post("/api/audits", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and _count() == 1


def test_what_one_reads_can_be_sent_back(client, org):
    login(client, "sam")
    created = client.post("/api/audits", json=audit_body(org)).json()
    read = client.get(f"/api/audits/{created['id']}").json()
    assert client.post("/api/audits", json=read).status_code == 200 and _count() == 1


def test_failed_items_come_back_with_reasons(client, org):
    login(client, "sam")
    body = audit_body(org)
    body["answers"]["queue_wait_minutes"] = 9
    result = client.post("/api/audits", json=body).json()
    failed = {f["key"]: f for f in result["failed"]}
    assert "queue_wait_minutes" in failed and "9" in failed["queue_wait_minutes"]["reason"]
    assert result["score"] < 100


BAD = [
    ("unknown item", {"answers": {"telepathy": True}}, "answers.telepathy"),
    ("out of range", {"answers": {"queue_wait_minutes": "soon"}}, "answers.queue_wait_minutes"),
    ("future visit", {"visited_at": "2099-01-01T10:00:00+00:00"}, "visited_at"),
    ("unknown branch", {"branch": "Z9"}, "branch"),
    ("unknown staff", {"staff": "B2-S1"}, "staff"),
    ("unknown channel", {"channel": "pigeon"}, "channel"),
    ("not a time", {"visited_at": "last tuesday"}, "visited_at"),
    ("not a uuid", {"id": "42"}, "id"),
]


@pytest.mark.parametrize("case, change, key", BAD, ids=[b[0] for b in BAD])
def test_bad_audit_is_422_naming_the_field_and_writes_nothing(client, org, case, change, key):
    login(client, "sam")
    body = audit_body(org)
    answers = change.pop("answers", None)
    body.update(change)
    if answers:
        body["answers"] = {**body["answers"], **answers}
    response = client.post("/api/audits", json=body)
    assert response.status_code == 422
    assert key in {e["key"] for e in response.json()["errors"]}
    assert _count() == 0 and run(AuditChange.count().run()) == 0


def test_missing_required_item_is_422_for_that_item(client, org):
    login(client, "sam")
    body = audit_body(org)
    del body["answers"]["queue_wait_minutes"]
    response = client.post("/api/audits", json=body)
    assert response.status_code == 422
    assert {"key": "answers.queue_wait_minutes", "message": "An answer is required."} in (
        response.json()["errors"]
    )


def test_wrong_content_type_is_415(client, org):
    login(client, "sam")
    response = client.post(
        "/api/audits",
        content=b"id=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code in (400, 415, 422) and _count() == 0


def test_photo_upload_then_reference_attaches_it(client, org):
    login(client, "sam")
    photo = client.post("/api/evidence", files={"file": ("p.png", PNG, "image/png")})
    assert photo.status_code == 201
    body = audit_body(org)
    body["answers"]["premises_photo"] = photo.json()["id"]
    assert client.post("/api/audits", json=body).status_code == 201
    served = client.get(f"/api/evidence/{photo.json()['id']}").content
    assert decoded(served).tobytes() == decoded(PNG).tobytes()  # re-encoded, same pixels


def test_photo_too_large_is_413_and_wrong_type_415(client, org):
    login(client, "sam")
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (9 * 1024 * 1024)
    assert (
        client.post("/api/evidence", files={"file": ("b.png", big, "image/png")}).status_code == 413
    )
    text = client.post("/api/evidence", files={"file": ("a.txt", b"hello", "text/plain")})
    assert text.status_code == 415 and text.json()["errors"][0]["key"] == "file"


def test_photo_of_someone_else_cannot_be_referenced(client, org):
    login(client, "sue")
    photo = client.post("/api/evidence", files={"file": ("p.png", PNG, "image/png")}).json()["id"]
    client.cookies.clear()
    login(client, "sam")
    body = audit_body(org)
    body["answers"]["premises_photo"] = photo
    response = client.post("/api/audits", json=body)
    assert response.status_code == 422 and _count() == 0
    assert client.get(f"/api/evidence/{photo}").status_code == 404


def _file_as(client, user, doc, **overrides):
    client.cookies.clear()
    login(client, user)
    return client.post("/api/audits", json=audit_body(doc, **overrides)).json()["id"]


def test_shopper_sees_only_own_audits(client, org):
    mine = _file_as(client, "sam", org)
    theirs = _file_as(client, "sue", org)
    client.cookies.clear()
    login(client, "sam")
    assert [a["id"] for a in client.get("/api/audits").json()] == [mine]
    assert client.get(f"/api/audits/{theirs}").status_code == 404
    assert client.post("/api/audits", json=audit_body(org, id=theirs)).status_code == 409


def test_manager_sees_published_audits_of_own_branches_without_the_shopper(client, org):
    b1 = _file_as(client, "sam", org)
    b2 = _file_as(
        client, "sue", org, branch="B2", staff=None, visited_at="2026-03-10T18:30:00+01:00"
    )
    unpublished = _file_as(client, "sam", org)
    run(Audit.update({Audit.status: "published"}).where(Audit.id.is_in([b1, b2])).run())
    client.cookies.clear()
    login(client, "max")
    seen = client.get("/api/audits").json()
    assert [a["id"] for a in seen] == [b1] and seen[0]["auditor"] is None
    assert client.get(f"/api/audits/{b2}").status_code == 404
    assert client.get(f"/api/audits/{unpublished}").status_code == 404


def test_office_sees_all_audits_with_shopper_and_flags(client, org):
    _file_as(client, "sam", org)
    _file_as(client, "sue", org)
    client.cookies.clear()
    login(client, "ada")
    audits = client.get("/api/audits").json()
    assert sorted(a["auditor"] for a in audits) == ["sam", "sue"]


def test_anonymous_gets_nothing_but_401(client, org):
    assert client.get("/api/audits").status_code == 401
    assert client.post("/api/audits", json=audit_body(org)).status_code == 401
    assert client.get(f"/api/audits/{uuid.uuid4()}").status_code == 401
    assert (
        client.post("/api/evidence", files={"file": ("p.png", PNG, "image/png")}).status_code == 401
    )


def test_resubmitting_a_returned_audit_updates_it_and_records_each_change(client, org):
    login(client, "sam")
    body = audit_body(org)
    client.post("/api/audits", json=body)
    run(Audit.update({Audit.status: "returned"}).where(Audit.id == body["id"]).run())
    body["answers"]["queue_wait_minutes"] = 9
    body["visited_at"] = "2026-03-10T19:05:00+02:00"
    response = client.post("/api/audits", json=body)
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert run(Audit.count().run()) == 1
    fields = {r["field"] for r in run(AuditChange.select(AuditChange.field).run())}
    assert {"answers", "visited_at", "score"} <= fields
