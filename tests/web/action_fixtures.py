"""Failing audits filed and published through the API, for the corrective action tests."""

from __future__ import annotations

from audits.tables import CorrectiveAction

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login
from .photo_files import image_bytes

JPEG = image_bytes("JPEG")
FIRST_VISIT = "2026-03-10T18:30:00+02:00"
NEXT_VISIT = "2026-03-24T10:15:00+02:00"


def as_user(client, user: str | None) -> None:
    client.cookies.clear()
    if user:
        login(client, user)


def file_and_publish(
    client, doc, *, visited_at: str = FIRST_VISIT, branch: str = "B1", **answers
) -> str:
    """sam files an audit of ``branch`` with ``answers`` over perfect ones; ada approves it.
    A failed item whose checklist asks for a comment (``on_fail``) gets one."""
    body = audit_body(doc, visited_at=visited_at, branch=branch, staff=f"{branch}-S1")
    body["answers"].update(answers)
    body["comments"] = {
        item.key: "Seen on the visit."
        for item in doc.items()
        if item.on_fail and item.key in answers and answers[item.key] is False
    }
    as_user(client, "sam")
    filed = client.post("/api/audits", json=body)
    assert filed.status_code == 201, filed.text
    as_user(client, "ada")
    approved = client.post(f"/api/audits/{body['id']}/approve")
    assert approved.status_code == 200, approved.text
    client.cookies.clear()
    return body["id"]


def actions_of(audit_id: str) -> dict[str, dict]:
    """The audit's actions by item key, as stored."""
    rows = run(CorrectiveAction.select().where(CorrectiveAction.audit == audit_id).run())
    return {row["item_key"]: row for row in rows}
