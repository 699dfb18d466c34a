"""An audit is scored once, when it is written; every read takes what was stored then."""

from __future__ import annotations

import sys

import pytest

import checklists.scoring as scoring
from audits.tables import Audit, CorrectiveAction
from checklists.model import ActionRule, ItemType
from checklists.scoring import results_from, score_audit, stored_results

from ..conftest import run
from .audit_fixtures import audit_body
from .conftest import login


class Calls:
    def __init__(self) -> None:
        self.n = 0


@pytest.fixture
def scorings(monkeypatch) -> Calls:
    """Counts calls of ``score_audit`` wherever it was imported by name (the real function
    still runs)."""
    calls = Calls()
    original = scoring.score_audit

    def counted(*args, **kwargs):
        calls.n += 1
        return original(*args, **kwargs)

    for module in list(sys.modules.values()):
        if getattr(module, "score_audit", None) is original:
            monkeypatch.setattr(module, "score_audit", counted)
    return calls


def _as(client, username: str) -> None:
    client.cookies.clear()
    login(client, username)


def test_an_audit_is_scored_once_from_filing_to_its_branch_report(client, org, scorings):
    _as(client, "sam")
    body = audit_body(org)
    assert client.post("/api/audits", json=body).status_code == 201
    assert scorings.n == 1
    assert [a["id"] for a in client.get("/api/audits").json()] == [body["id"]]
    assert client.get(f"/api/audits/{body['id']}").status_code == 200
    assert client.get(f"/audits/{body['id']}").status_code == 200
    assert client.get("/audits").status_code == 200
    _as(client, "ada")
    assert client.get("/review").status_code == 200
    assert client.get(f"/review/{body['id']}").status_code == 200
    assert client.post(f"/api/audits/{body['id']}/approve").status_code == 200
    assert client.get("/reports/branches/B1").status_code == 200
    assert client.get(f"/reports/visits/{body['id']}").status_code == 200
    assert scorings.n == 1


def test_reads_and_publication_use_the_stored_results_not_the_answers(client, org):
    """The stored results say an item failed that the answers (all best) would pass: every
    read shows that failure, and publishing opens its action. Scoring on read would not."""
    item = next(
        i for i in org.items() if i.type is ItemType.yes_no and i.action is ActionRule.always
    )
    _as(client, "sam")
    body = audit_body(org)
    client.post("/api/audits", json=body)
    assert client.get(f"/api/audits/{body['id']}").json()["failed"] == []
    other = score_audit(org, {**body["answers"], item.key: False})
    update = Audit.update({Audit.results: stored_results(other)}).where(Audit.id == body["id"])
    run(update.run())

    failed = client.get(f"/api/audits/{body['id']}").json()["failed"]
    assert [f["key"] for f in failed] == [item.key] and failed[0]["reason"] == "answered no"
    listed = client.get("/api/audits").json()[0]["failed"]
    assert [f["key"] for f in listed] == [item.key]
    _as(client, "ada")
    assert client.post(f"/api/audits/{body['id']}/approve").status_code == 200
    opened = run(CorrectiveAction.select(CorrectiveAction.item_key).run())
    assert [row["item_key"] for row in opened] == [item.key]


def test_a_resubmitted_audit_is_scored_again_once_and_its_results_replaced(client, org, scorings):
    item = next(i for i in org.items() if i.type is ItemType.yes_no)
    _as(client, "sam")
    body = audit_body(org)
    client.post("/api/audits", json=body)
    run(Audit.update({Audit.status: "returned"}).where(Audit.id == body["id"]).run())
    body["answers"][item.key] = False
    response = client.post("/api/audits", json=body)
    assert response.status_code == 200
    assert [f["key"] for f in response.json()["failed"]] == [item.key]
    assert scorings.n == 2  # once per write
    stored = run(Audit.select(Audit.results).where(Audit.id == body["id"]).first().run())
    assert [f.key for f in results_from(stored["results"]).failed] == [item.key]
    assert client.get(f"/api/audits/{body['id']}").json() == response.json()
