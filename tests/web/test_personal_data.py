"""Personal data (issue 20): an admin downloads everything stored about a person and erases a
shopper's or a staff member's personal data; their audits keep their scores, the trail says
who did it and why, and no other role can do either."""

import datetime as dt
import json
import uuid

import pytest

from audits.actions.services import approve_audit
from audits.db.kept_results import UPLOAD_KIND, keep
from audits.org.users import get_current_user
from audits.tables import (
    ApiToken,
    Audit,
    BaseUser,
    KeptResult,
    PersonalDataErasure,
    Staff,
    UserSession,
)
from reports.report_data import audits_fingerprint

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import PASSWORD, form, login


def _id(username: str) -> int:
    return run(BaseUser.select(BaseUser.id).where(BaseUser.username == username).run())[0]["id"]


@pytest.fixture
def filed(client, org):
    """sam files an audit naming staff member B1-S1 and describing them."""
    login(client, "sam")
    body = audit_body(org, staff_description="Anna, tall, red scarf")
    body["comments"] = {next(iter(body["answers"])): "Greeted at the door by Anna."}
    response = client.post("/api/audits", json=body)
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return body["id"]


def _score(audit_id: str) -> float:
    rows = run(Audit.select(Audit.score, Audit.auditor).where(Audit.id == audit_id).run())
    return rows[0]


@pytest.mark.parametrize("role", ["shopper", "manager", "office"])
def test_only_an_admin_reaches_personal_data(client, org, role):
    username = {"shopper": "sam", "manager": "max", "office": "ada"}[role]
    login(client, username)
    sam = _id("sam")
    assert client.get(f"/admin/personal-data/users/{sam}").status_code == 403
    assert client.get("/admin/personal-data/staff/B1/B1-S1").status_code == 403
    erase = {"reason": "asked", "confirm": "sam"}
    assert form(client, f"/admin/personal-data/users/{sam}/erase", erase).status_code == 403
    assert run(BaseUser.select().where(BaseUser.username == "sam").run())


def test_admin_downloads_everything_stored_about_a_shopper(client, org, filed):
    login(client, "root")
    response = client.get(f"/admin/personal-data/users/{_id('sam')}")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = json.loads(response.content)
    assert document["account"]["username"] == "sam"
    assert document["account"]["role"] == "shopper"
    [audit] = document["audits_filed"]
    assert audit["id"] == filed and audit["branch"] == "B1"
    assert "Greeted at the door by Anna." in json.dumps(audit["comments"])
    assert "password" not in json.dumps(document["account"])
    assert all("hash" not in key for token in document["api_tokens"] for key in token)


def test_admin_downloads_what_is_stored_about_a_staff_member(client, org, filed):
    login(client, "root")
    document = client.get("/admin/personal-data/staff/B1/B1-S1").json()
    assert document["staff"]["name"] == "Anna"
    [audit] = document["audits_naming_them"]
    assert audit["staff_description"] == "Anna, tall, red scarf"
    assert "sam" not in json.dumps(document)  # the staff member is not told who the shopper was


def test_erasing_a_shopper_keeps_their_audits_scores_and_closes_the_account(client, org, filed):
    before = _score(filed)
    sam = _id("sam")
    login(client, "root")
    wrong = form(client, f"/admin/personal-data/users/{sam}/erase", {"reason": "x", "confirm": "s"})
    assert wrong.status_code == 302 and run(
        BaseUser.exists().where(BaseUser.username == "sam").run()
    )
    done = form(
        client,
        f"/admin/personal-data/users/{sam}/erase",
        {"reason": "Asked for erasure on 2026-12-01", "confirm": "sam"},
    )
    assert done.status_code == 302
    [account] = run(BaseUser.select().where(BaseUser.id == sam).run())
    assert account["username"] == f"erased-{sam}" and not account["active"]
    assert account["first_name"] == account["last_name"] == ""
    assert "sam" not in account["email"]
    assert _score(filed) == before  # the same score, by the same (now pseudonymous) auditor
    assert run(UserSession.count().where(UserSession.user == sam).run()) == 0
    assert run(ApiToken.count().where(ApiToken.user == sam).run()) == 0
    [trail] = run(PersonalDataErasure.select(PersonalDataErasure.all_columns()).run())
    assert (trail["kind"], trail["pseudonym"], trail["audits_kept"]) == ("user", f"erased-{sam}", 1)
    assert trail["by"] == _id("root") and trail["reason"] == "Asked for erasure on 2026-12-01"
    page = client.get("/admin/personal-data")
    assert f"erased-{sam}" in page.text and "Asked for erasure" in page.text
    client.cookies.clear()
    assert login(client, "sam").status_code == 401
    assert login(client, f"erased-{sam}", PASSWORD).status_code == 401


def test_erasing_a_staff_member_keeps_the_score_and_empties_what_described_them(client, org, filed):
    before = _score(filed)
    login(client, "root")
    response = form(
        client,
        "/admin/personal-data/staff/B1/B1-S1/erase",
        {"reason": "Left the company", "confirm": "B1-S1"},
    )
    assert response.status_code == 302
    [staff] = run(Staff.select(Staff.id, Staff.code, Staff.name).where(Staff.name == "").run())
    assert staff["code"] == f"ERASED-{staff['id']}"
    [audit] = run(Audit.select(Audit.staff, Audit.staff_description).where(Audit.id == filed).run())
    assert audit["staff"] == staff["id"] and audit["staff_description"] == ""
    assert _score(filed) == before


def test_an_admin_cannot_erase_themselves_nor_without_a_reason(client, org):
    login(client, "root")
    root = _id("root")
    form(client, f"/admin/personal-data/users/{root}/erase", {"reason": "x", "confirm": "root"})
    sam = _id("sam")
    form(client, f"/admin/personal-data/users/{sam}/erase", {"reason": "  ", "confirm": "sam"})
    assert run(BaseUser.count().where(BaseUser.username.is_in(["root", "sam"])).run()) == 2
    assert run(PersonalDataErasure.count().run()) == 0


@pytest.mark.parametrize(
    ("url", "confirm"),
    [
        ("/admin/personal-data/users/{sam}/erase", "sam"),
        ("/admin/personal-data/staff/B1/B1-S1/erase", "B1-S1"),
    ],
)
def test_erasing_forgets_every_kept_report_and_changes_the_audits_fingerprint(
    client, org, filed, url, confirm
):
    """Analyses, PDFs, chart images and the home's figures are kept for every process by the
    audits' fingerprint: after an erasure none of them may be served again (they may name the
    person), and the next reader gets them made anew."""
    ada = run(get_current_user(_id("ada")))
    run(approve_audit(uuid.UUID(filed), ada))
    login(client, "ada")
    assert client.get("/").status_code == 200  # keeps the home's figures
    assert client.get("/reports/headoffice").status_code == 200
    run(keep("a-pdf-of-before", "pdf", b"%PDF names sam", now=dt.datetime.now(dt.UTC)))
    now = dt.datetime.now(dt.UTC)
    naming = b'{"problems":[{"row":2,"message":"shift of sam, staff member B1-S1 of B1"}]}'
    run(keep("an-outcome-naming-them", UPLOAD_KIND, naming, now=now))
    run(keep("an-outcome", UPLOAD_KIND, b'{"result":{"new":3}}', now=now))
    before = run(audits_fingerprint())
    assert run(KeptResult.count().where(KeptResult.kind != UPLOAD_KIND).run()) >= 2

    client.cookies.clear()
    login(client, "root")
    reason = {"reason": "Asked for erasure", "confirm": confirm}
    assert form(client, url.format(sam=_id("sam")), reason).status_code == 302

    kept = run(KeptResult.select(KeptResult.kind, KeptResult.key).run())
    assert kept == [{"kind": UPLOAD_KIND, "key": "an-outcome"}]  # it names no one: it stays
    assert run(audits_fingerprint()) != before
    client.cookies.clear()
    login(client, "ada")
    assert client.get("/").status_code == 200
