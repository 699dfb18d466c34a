"""Actions at par with the field's tools (issue 17): owners reassigned, a due date moved with a
reason that stays in the history, many actions verified at once from the table, and the
approval saying how many actions it opened."""

import datetime as dt

from audits.tables import ActionEvent, CorrectiveAction

from ..conftest import run
from .action_fixtures import actions_of, as_user, file_and_publish
from .conftest import form


def _action(client, audit_id: str, item: str) -> int:
    return actions_of(audit_id)[item]["id"]


def test_head_office_reassigns_and_a_manager_of_another_branch_cannot(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action = _action(client, audit_id, "acknowledged_promptly")
    as_user(client, "ada")
    moved = client.post(f"/api/actions/{action}/owners", json={"owners": ["ada", "max"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["owners"] == ["ada", "max"]
    event = moved.json()["events"][-1]
    assert (event["kind"], event["user"], event["old"], event["new"]) == (
        "owners", "ada", "max", "ada, max"
    )  # fmt: skip
    wrong = client.post(f"/api/actions/{action}/owners", json={"owners": ["sam"]})
    assert wrong.status_code == 422 and "owners" in wrong.text  # a shopper owns no action
    assert client.post(f"/api/actions/{action}/owners", json={"owners": []}).status_code == 422
    as_user(client, "mia")  # manager of B2, not B1
    assert client.post(f"/api/actions/{action}/owners", json={"owners": ["mia"]}).status_code == 404
    as_user(client, "max")  # B1's manager may hand it among B1's managers only
    mine = client.post(f"/api/actions/{action}/owners", json={"owners": ["max"]})
    assert mine.status_code == 200 and mine.json()["owners"] == ["max"]
    assert client.post(f"/api/actions/{action}/owners", json={"owners": ["ada"]}).status_code == 422


def test_moving_a_due_date_needs_a_reason_and_head_office(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action = _action(client, audit_id, "acknowledged_promptly")
    as_user(client, "max")
    body = {"due_date": "2030-01-10", "reason": "Supplier late"}
    assert client.post(f"/api/actions/{action}/due", json=body).status_code == 403
    as_user(client, "ada")
    before = client.get(f"/api/actions/{action}").json()["due_date"]
    no_reason = client.post(f"/api/actions/{action}/due", json={"due_date": before, "reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    far = client.post(f"/api/actions/{action}/due", json={"due_date": "2099-01-01", "reason": "x"})
    assert far.status_code == 422 and "due_date" in far.text
    new = (dt.date.fromisoformat(before) + dt.timedelta(days=10)).isoformat()
    moved = client.post(
        f"/api/actions/{action}/due", json={"due_date": new, "reason": "The new counter arrives"}
    )
    assert moved.status_code == 200 and moved.json()["due_date"] == new
    event = moved.json()["events"][-1]
    assert (event["kind"], event["old"], event["new"], event["comment"]) == (
        "due_moved", before, new, "The new counter arrives"
    )  # fmt: skip
    page = client.get(f"/actions/{action}")
    assert "due date moved" in page.text and "The new counter arrives" in page.text


def test_office_verifies_many_from_the_table_and_closed_ones_are_skipped(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False, queue_wait_minutes=12)
    ids = sorted(a["id"] for a in actions_of(audit_id).values())
    as_user(client, "ada")
    client.post(f"/api/actions/{ids[0]}/verify", json={"comment": "Seen."})
    table = client.get("/actions/?view=table&state=all")
    assert table.status_code == 200 and 'name="ids"' in table.text
    response = form(
        client,
        "/actions/bulk/verify",
        {"ids": [str(i) for i in ids], "comment": "Seen on the visit."},
    )
    assert response.status_code == 302
    states = {r["id"]: r["state"] for r in run(CorrectiveAction.select().run())}
    assert all(states[i] == "verified" for i in ids)
    verified_events = run(ActionEvent.count().where(ActionEvent.kind == "verified").run())
    assert verified_events == len(ids)  # the one closed already was skipped, not verified twice
    api = client.post("/api/actions/bulk/verify", json={"ids": ids})
    assert api.status_code == 200 and api.json()["done"] == []
    assert set(api.json()["skipped"]) == {str(i) for i in ids}
    as_user(client, "max")
    assert client.post("/api/actions/bulk/verify", json={"ids": ids}).status_code == 403


def test_approval_says_how_many_actions_it_opened(client, org):
    from .audit_fixtures import audit_body

    as_user(client, "sam")
    body = audit_body(org)
    body["answers"]["acknowledged_promptly"] = False
    assert client.post("/api/audits", json=body).status_code == 201
    as_user(client, "ada")
    response = form(client, f"/review/{body['id']}/approve", {"comment": ""})
    assert response.status_code == 302
    queue = client.get("/review")
    assert "Corrective actions opened: 1." in queue.text
