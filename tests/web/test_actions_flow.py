"""Corrective actions end to end, through the real app: a failing audit filed and published,
the branch's manager recording what was done, head office verifying and closing; and an item
that recurs on the next visit."""

from audits.tables import ActionEvent, CorrectiveAction

from ..conftest import run
from .action_fixtures import JPEG, NEXT_VISIT, actions_of, as_user, file_and_publish
from .photo_files import decoded


def test_failing_audit_to_verified_closed_action(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False, queue_wait_minutes=12)
    opened = actions_of(audit_id)
    assert set(opened) == {"acknowledged_promptly", "queue_wait_minutes"}

    as_user(client, "max")  # manager of B1
    mine = client.get("/api/actions").json()
    assert {a["item"] for a in mine} == set(opened)
    action = next(a for a in mine if a["item"] == "acknowledged_promptly")
    assert action["state"] == "open" and action["owners"] == ["max"] and not action["overdue"]
    assert action["item_text"]["en"].startswith("Did a staff member acknowledge you")
    photo = client.post("/api/evidence", files={"file": ("fix.jpg", JPEG, "image/jpeg")})
    done = client.post(
        f"/api/actions/{action['id']}/done",
        json={"comment": "Briefed the team on greeting within 30 s.", "photo": photo.json()["id"]},
    )
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "done"

    as_user(client, "ada")
    verified = client.post(f"/api/actions/{action['id']}/verify", json={"comment": "Seen."})
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    detail = client.get(f"/api/actions/{action['id']}").json()
    steps = [(e["kind"], e["user"], e["state_to"]) for e in detail["events"]]
    assert steps == [
        ("opened", None, "open"),
        ("done", "max", "done"),
        ("verified", "ada", "verified"),
    ]
    assert detail["closed_at"] is not None and detail["audit"] == audit_id
    shown = client.get(f"/api/actions/{action['id']}/photos/{photo.json()['id']}")
    assert shown.status_code == 200 and decoded(shown.content).size == decoded(JPEG).size
    office_done = client.post(f"/api/actions/{action['id']}/done", json={"comment": "x"})
    assert office_done.status_code == 403


def test_retried_publish_opens_no_second_action(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    as_user(client, "ada")
    assert client.post(f"/api/audits/{audit_id}/approve").status_code == 409
    assert run(CorrectiveAction.count().where(CorrectiveAction.audit == audit_id).run()) == 1


def test_item_rules_open_only_what_they_say(client, org):
    # goodwill_gesture is `never`; treated_with_respect is critical (`critical` rule)
    passing = file_and_publish(client, org, goodwill_gesture=False)
    assert actions_of(passing) == {}
    critical = file_and_publish(client, org, treated_with_respect=False, courtesy=1)
    opened = actions_of(critical)
    assert set(opened) == {"treated_with_respect", "courtesy"}
    assert opened["treated_with_respect"]["severity"] == "critical"
    assert opened["treated_with_respect"]["critical"] is True


def test_item_failing_again_on_next_visit_recurs_and_links(client, org):
    first = file_and_publish(client, org, acknowledged_promptly=False, queue_wait_minutes=12)
    earlier = actions_of(first)
    second = file_and_publish(
        client, org, visited_at=NEXT_VISIT, acknowledged_promptly=False, queue_wait_minutes=2
    )
    later = actions_of(second)
    assert set(later) == {"acknowledged_promptly"}  # the wait passed this time
    recurred = actions_of(first)["acknowledged_promptly"]
    assert recurred["state"] == "recurred" and str(recurred["rechecked_by"]) == second
    assert recurred["recurred_as"] == later["acknowledged_promptly"]["id"]
    fixed = actions_of(first)["queue_wait_minutes"]
    assert fixed["state"] == "verified_by_visit" and str(fixed["rechecked_by"]) == second

    as_user(client, "max")
    new = client.get(f"/api/actions/{later['acknowledged_promptly']['id']}").json()
    assert new["recurrence_of"] == earlier["acknowledged_promptly"]["id"]
    old = client.get(f"/api/actions/{earlier['acknowledged_promptly']['id']}").json()
    assert [e["kind"] for e in old["events"]] == ["opened", "recurred"]
    assert old["events"][-1]["audit"] == second
    page = client.get(f"/actions/{earlier['acknowledged_promptly']['id']}")
    assert "failed again on the next visit" in page.text and f"/branch-audits/{second}" in page.text


def test_earlier_visit_published_late_rechecks_nothing(client, org):
    later = file_and_publish(client, org, visited_at=NEXT_VISIT, acknowledged_promptly=False)
    file_and_publish(client, org, acknowledged_promptly=True)  # visited before it
    assert actions_of(later)["acknowledged_promptly"]["state"] == "open"


def test_other_branch_visit_rechecks_nothing(client, org):
    first = file_and_publish(client, org, acknowledged_promptly=False)
    file_and_publish(client, org, visited_at=NEXT_VISIT, branch="B2", acknowledged_promptly=True)
    assert actions_of(first)["acknowledged_promptly"]["state"] == "open"


def test_reopen_needs_a_comment_and_gives_it_back_to_the_branch(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action_id = actions_of(audit_id)["acknowledged_promptly"]["id"]
    as_user(client, "max")
    client.post(f"/api/actions/{action_id}/done", json={"comment": "Done."})
    as_user(client, "ada")
    refused = client.post(f"/api/actions/{action_id}/reopen", json={"comment": "  "})
    assert refused.status_code == 422 and refused.json()["errors"][0]["key"] == "comment"
    reopened = client.post(f"/api/actions/{action_id}/reopen", json={"comment": "Not yet."})
    assert reopened.json()["state"] == "open" and reopened.json()["done_at"] is None
    events = run(ActionEvent.count().where(ActionEvent.action == action_id).run())
    assert events == 3  # opened, done, reopened: the refused one left nothing


def test_marking_done_twice_is_a_conflict(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action_id = actions_of(audit_id)["acknowledged_promptly"]["id"]
    as_user(client, "max")
    assert client.post(f"/api/actions/{action_id}/done", json={"comment": "a"}).status_code == 200
    again = client.post(f"/api/actions/{action_id}/done", json={"comment": "b"})
    assert again.status_code == 409
    assert client.post(f"/api/actions/{action_id}/done", json={}).status_code in (409, 422)
