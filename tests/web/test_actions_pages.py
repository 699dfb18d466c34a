"""The actions pages as people use them: a manager on the phone records what was done with a
photo and marks it done; head office filters, verifies or reopens; bad input keeps the text."""

import datetime as dt

from audits.fieldwork.evidence import MAX_PHOTO_BYTES
from audits.tables import ActionEvent, CorrectiveAction

from ..conftest import run
from .action_fixtures import JPEG, actions_of, as_user, file_and_publish
from .conftest import csrf
from .photo_files import decoded


def _post_step(client, action_id, step, comment="", photo=None):
    files = {"photo": ("fix.jpg", photo, "image/jpeg")} if photo is not None else None
    data = {"step": step, "comment": comment, "_csrf_token": csrf(client)}
    return client.post(f"/actions/{action_id}/step", data=data, files=files, follow_redirects=False)


def _opened(client, org, **answers) -> int:
    audit_id = file_and_publish(client, org, **(answers or {"acknowledged_promptly": False}))
    return actions_of(audit_id)["acknowledged_promptly"]["id"]


def test_manager_marks_done_with_a_photo_and_sees_it_in_the_history(client, org):
    action_id = _opened(client, org)
    as_user(client, "max")
    listed = client.get("/actions/")
    assert listed.status_code == 200 and f'href="/actions/{action_id}"' in listed.text
    response = _post_step(client, action_id, "done", "Greeter at the door from today.", JPEG)
    assert response.status_code == 302
    page = client.get(f"/actions/{action_id}")
    assert "Marked done: head office will verify it." in page.text
    assert "Greeter at the door from today." in page.text and "done, to verify" in page.text
    photo = run(ActionEvent.select(ActionEvent.photo).where(ActionEvent.kind == "done").run())
    src = f"/api/actions/{action_id}/photos/{photo[0]['photo']}"
    assert src in page.text and decoded(client.get(src).content).size == decoded(JPEG).size


def test_done_without_a_comment_is_422_and_keeps_the_page(client, org):
    action_id = _opened(client, org)
    as_user(client, "max")
    response = _post_step(client, action_id, "done", "   ")
    assert response.status_code == 422 and "Say what was done." in response.text
    assert actions_of_state(action_id) == "open"


def test_photo_that_is_not_an_image_is_refused_and_nothing_is_recorded(client, org):
    action_id = _opened(client, org)
    as_user(client, "max")
    response = _post_step(client, action_id, "done", "Cleaned the entrance.", b"not a photo")
    assert response.status_code == 415 and "Cleaned the entrance." in response.text
    assert actions_of_state(action_id) == "open"
    assert run(ActionEvent.count().where(ActionEvent.action == action_id).run()) == 1


def test_photo_above_the_limit_is_413(client, org):
    action_id = _opened(client, org)
    as_user(client, "max")
    big = b"\xff\xd8\xff" + b"\x00" * (MAX_PHOTO_BYTES + 100_000)
    response = _post_step(client, action_id, "note", "Too big", big)
    assert response.status_code == 413
    assert run(ActionEvent.count().where(ActionEvent.action == action_id).run()) == 1


def test_office_verifies_then_reopens_with_a_reason(client, org):
    action_id = _opened(client, org)
    as_user(client, "ada")
    page = client.get(f"/actions/{action_id}")
    assert 'value="verify"' in page.text and 'value="done"' not in page.text
    assert _post_step(client, action_id, "verify", "Checked by phone.").status_code == 302
    assert actions_of_state(action_id) == "verified"
    refused = _post_step(client, action_id, "reopen", "")
    assert refused.status_code == 422 and "Say why the action is reopened." in refused.text
    assert _post_step(client, action_id, "reopen", "Customer complaint again.").status_code == 302
    assert actions_of_state(action_id) == "open"
    assert "Customer complaint again." in client.get(f"/actions/{action_id}").text


def test_office_list_filters_by_branch_state_and_overdue(client, org):
    b1 = _opened(client, org)
    b2 = actions_of(file_and_publish(client, org, branch="B2", acknowledged_promptly=False))
    b2_id = b2["acknowledged_promptly"]["id"]
    past = dt.date.today() - dt.timedelta(days=5)
    run(
        CorrectiveAction.update({CorrectiveAction.due_date: past})
        .where(CorrectiveAction.id == b1)
        .run()
    )
    as_user(client, "ada")

    def listed(query: str) -> set[int]:
        data = client.get(f"/api/actions?{query}").json()
        return {a["id"] for a in data}

    assert listed("") == {b1, b2_id}
    assert listed("branch=B2") == {b2_id}
    assert listed("overdue=true") == {b1} and listed("overdue=false") == {b2_id}
    assert listed("state=done") == set()
    assert client.get("/api/actions?state=lost").status_code == 422
    page = client.get("/actions/?overdue=1")
    assert f'href="/actions/{b1}"' in page.text and f'href="/actions/{b2_id}"' not in page.text
    assert "overdue" in page.text


def test_shopper_has_no_actions_link_and_manager_has(client, org):
    as_user(client, "sam")
    assert 'href="/actions/"' not in client.get("/audits").text
    as_user(client, "max")
    assert 'href="/actions/"' in client.get("/audits").text


def actions_of_state(action_id: int) -> str:
    query = CorrectiveAction.select(CorrectiveAction.state).where(CorrectiveAction.id == action_id)
    return run(query.first().run())["state"]


def test_list_page_shows_waiting_actions_unless_asked_for_all(client, org):
    action_id = _opened(client, org)
    as_user(client, "ada")
    _post_step(client, action_id, "verify", "Closed.")
    assert f'href="/actions/{action_id}"' not in client.get("/actions/").text
    assert f'href="/actions/{action_id}"' in client.get("/actions/?state=all").text
    assert f'href="/actions/{action_id}"' in client.get("/actions/?state=verified").text
    assert [a["id"] for a in client.get("/api/actions?state=waiting").json()] == []


def test_audit_pages_link_to_the_actions_they_opened(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action_id = actions_of(audit_id)["acknowledged_promptly"]["id"]
    as_user(client, "ada")
    assert f'href="/actions/{action_id}"' in client.get(f"/review/{audit_id}").text
    as_user(client, "max")
    assert f'href="/actions/{action_id}"' in client.get(f"/branch-audits/{audit_id}").text
