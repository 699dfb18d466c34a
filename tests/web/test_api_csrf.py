"""Writes to the JSON API authenticated by the session cookie need the CSRF token (as the
``x-csrftoken`` header); bearer-token clients need none. JSON bodies come as application/json.
And filing is refused by the filing service itself for a role that does not file."""

import datetime as dt
import json

import pytest

from audits.fieldwork.filing import submit_audit
from audits.fieldwork.schemas import AuditForbidden
from audits.org.tokens import create_token
from audits.org.users import get_current_user
from audits.tables import Audit, AuditDraft, BaseUser, Evidence

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login
from .write_world import msgspec_audit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _count(table=Audit) -> int:
    return run(table.count().run())


def _without_token(client) -> None:
    client.headers.pop("x-csrftoken")


def test_cookie_post_without_csrf_token_is_403_and_files_nothing(client, org):
    login(client, "sam")
    _without_token(client)
    response = client.post("/api/audits", json=audit_body(org))
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert _count() == 0


@pytest.mark.parametrize(
    "token", ["x", "0" * 64 + "f" * 64, "forged-token-" * 12], ids=["short", "unsigned", "junk"]
)
def test_cookie_post_with_a_wrong_csrf_token_is_403(client, org, token):
    login(client, "sam")
    response = client.post("/api/audits", json=audit_body(org), headers={"x-csrftoken": token})
    assert response.status_code == 403 and _count() == 0


def test_cross_site_text_plain_post_is_refused_and_files_nothing(client, org):
    """What a form on another site can send: the cookie rides along, no header, text/plain."""
    login(client, "sam")
    _without_token(client)
    response = client.post(
        "/api/audits",
        content=json.dumps(audit_body(org)),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 403 and _count() == 0


def test_json_body_under_another_content_type_is_415_naming_it(client, org):
    login(client, "sam")
    response = client.post(
        "/api/audits",
        content=json.dumps(audit_body(org)),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["key"] == "content-type"
    assert _count() == 0


def test_cookie_draft_and_photo_need_the_token_too(client, org):
    login(client, "sam")
    _without_token(client)
    draft = client.put(f"/api/drafts/{audit_body(org)['id']}", json={"answers.x": "1"})
    photo = client.post("/api/evidence", files={"file": ("p.png", PNG, "image/png")})
    assert (draft.status_code, photo.status_code) == (403, 403)
    assert _count(AuditDraft) == 0 and _count(Evidence) == 0


def test_cookie_post_with_the_token_files_the_audit(client, org):
    login(client, "sam")
    assert client.post("/api/audits", json=audit_body(org)).status_code == 201


def test_bearer_token_needs_no_csrf_token_and_no_cookie(client, org):
    token = run(create_token("sam"))
    response = client.post(
        "/api/audits", json=audit_body(org), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201 and _count() == 1


def test_bearer_token_wins_over_a_cookie_without_csrf_token(client, org):
    """The token is who asks, so the cookie (a manager's session here) is not used."""
    token = run(create_token("sam"))
    login(client, "max")
    _without_token(client)
    response = client.post(
        "/api/audits", json=audit_body(org), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201 and response.json()["auditor"] == "sam"


def test_bearer_token_json_still_needs_application_json(client, org):
    token = run(create_token("sam"))
    response = client.post(
        "/api/audits",
        content=json.dumps(audit_body(org)),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
    )
    assert response.status_code == 415 and _count() == 0


def test_body_less_approve_needs_no_content_type(client, org):
    login(client, "sam")
    body = audit_body(org)
    client.post("/api/audits", json=body)
    client.cookies.clear()
    login(client, "ada")
    assert client.post(f"/api/audits/{body['id']}/approve").status_code == 200


@pytest.mark.parametrize("name", ["max", "ada"])
def test_filing_service_refuses_a_manager_or_office_before_storing(org, name):
    """Behind the guards, the service refuses too: a manager's audit of a rival branch (B2)
    is neither stored nor answered with a 404 after storing."""
    user_id = run(BaseUser.select(BaseUser.id).where(BaseUser.username == name).first().run())
    user = run(get_current_user(user_id["id"]))
    body = audit_body(org, branch="B2", staff=None, visited_at="2026-03-10T18:30:00+01:00")
    with pytest.raises(AuditForbidden):
        run(submit_audit(msgspec_audit(body), user, now=dt.datetime.now(dt.UTC)))
    assert _count() == 0
