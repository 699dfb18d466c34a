"""Reminders through a real SMTP server: each owner their due and overdue actions, head office
a digest, exactly once per recipient per day, however often or wherever the run happens."""

import dataclasses
import datetime as dt
import time
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from litestar.testing import TestClient

from audits.tables import CorrectiveAction, Profile, SentEmail
from web.app import create_app
from web.cli import main
from web.reminders import run_reminders

from ..conftest import run
from . import smtp_fixtures
from .action_fixtures import actions_of, as_user, file_and_publish

smtp = smtp_fixtures.smtp  # the fixture, for these tests


ZONES = {"B1": "Europe/Athens", "B2": "Europe/Warsaw"}  # as in audit_fixtures


def _due(audit_id: str, item: str, days_from_today: int, branch: str = "B1") -> int:
    """Set the due date relative to today on the branch's calendar (which near midnight UTC
    is not the UTC date)."""
    action = actions_of(audit_id)[item]
    local_today = dt.datetime.now(ZoneInfo(ZONES[branch])).date()
    due = local_today + dt.timedelta(days=days_from_today)
    run(
        CorrectiveAction.update({CorrectiveAction.due_date: due})
        .where(CorrectiveAction.id == action["id"])
        .run()
    )
    return action["id"]


def _two_branches_waiting(client, doc) -> tuple[int, int]:
    """B1 (max) has an overdue action and one not due yet; B2 (mia) one due today."""
    b1 = file_and_publish(client, doc, acknowledged_promptly=False, queue_wait_minutes=12)
    b2 = file_and_publish(client, doc, branch="B2", acknowledged_promptly=False)
    overdue = _due(b1, "acknowledged_promptly", -3)
    _due(b1, "queue_wait_minutes", 20)
    due_today = _due(b2, "acknowledged_promptly", 0, "B2")
    return overdue, due_today


def test_reminders_reach_each_owner_and_head_office_once_when_run_twice(
    client, org, app_settings, smtp
):
    url, inbox = smtp
    overdue, due_today = _two_branches_waiting(client, org)
    settings = dataclasses.replace(app_settings, smtp_url=url, public_url="https://evenly.test")
    first = run(run_reminders(settings))
    second = run(run_reminders(settings))
    assert (first.sent, first.skipped, second.sent, second.skipped) == (3, 0, 0, 3)
    messages = inbox.wait_for(3)
    time.sleep(0.3)  # nothing more arrives
    assert sorted(m["To"] for m in inbox.messages) == [
        "ada@users.invalid",
        "max@users.invalid",
        "mia@users.invalid",
    ]
    to_max = inbox.to("max@users.invalid")[0]
    body = to_max.get_content()
    assert "1 overdue" in to_max["Subject"]
    assert f"https://evenly.test/actions/{overdue}" in body
    assert f"/actions/{due_today}" not in body  # mia's branch, not his
    assert "Did a staff member acknowledge you" in body
    assert f"/actions/{due_today}" in inbox.to("mia@users.invalid")[0].get_content()
    digest = inbox.to("ada@users.invalid")[0]
    assert "3 waiting, 1 overdue" in digest["Subject"]
    assert "B1: 2 waiting, 1 overdue" in digest.get_content()
    assert len(messages) == 3


def test_reminders_command_twice_sends_once_and_the_log_lists_them(client, org, smtp):
    url, inbox = smtp
    _two_branches_waiting(client, org)
    runner = CliRunner()
    env = {"EVENLY_SMTP_URL": url}
    ran_on = dt.datetime.now(dt.UTC).date()
    first = runner.invoke(main, ["actions", "remind"], env=env)
    assert first.exit_code == 0, first.output
    assert "3 sent" in first.output
    again = runner.invoke(main, ["actions", "remind"], env=env)
    assert again.exit_code == 0 and "0 sent, 3 already sent today" in again.output
    assert len(inbox.wait_for(3)) == 3
    as_user(client, "ada")
    listed = client.get("/api/actions/emails").json()
    assert sorted(e["recipient"] for e in listed) == ["ada", "max", "mia"]
    # the day the command ran, read when it ran: a suite that crosses midnight failed here
    days = {ran_on.isoformat(), dt.datetime.now(dt.UTC).date().isoformat()}
    assert all(e["status"] == "sent" and e["day"] in days for e in listed)
    assert len({e["day"] for e in listed}) == 1
    page = client.get("/actions/emails")
    assert page.status_code == 200 and "max@users.invalid" in page.text


def test_reminders_command_without_smtp_url_exits_with_a_message(db):
    result = CliRunner().invoke(main, ["actions", "remind"], env={"EVENLY_SMTP_URL": ""})
    assert result.exit_code == 1 and "EVENLY_SMTP_URL" in result.output


def test_daily_task_in_two_app_processes_sends_once(client, org, app_settings, smtp):
    url, inbox = smtp
    _two_branches_waiting(client, org)
    settings = dataclasses.replace(app_settings, smtp_url=url, remind_at="00:00")
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
            one.app.state.reminder_runs and two.app.state.reminder_runs
        ):
            time.sleep(0.05)
        runs = one.app.state.reminder_runs + two.app.state.reminder_runs
    assert len(runs) == 2 and None not in runs
    assert sum(r.sent for r in runs) == 3 and sum(r.skipped for r in runs) == 3
    assert len(inbox.wait_for(3)) == 3
    assert run(SentEmail.count().run()) == 3


def test_failed_send_is_logged_and_sent_by_the_next_run(client, org, app_settings, smtp):
    url, inbox = smtp
    _two_branches_waiting(client, org)
    closed = dataclasses.replace(app_settings, smtp_url="smtp://127.0.0.1:9")  # nobody listens
    failed = run(run_reminders(closed))
    assert failed.failed == 3 and inbox.messages == []
    rows = run(SentEmail.select(SentEmail.status, SentEmail.error).run())
    assert {r["status"] for r in rows} == {"failed"} and all(r["error"] for r in rows)
    retried = run(run_reminders(dataclasses.replace(app_settings, smtp_url=url)))
    assert retried.sent == 3 and len(inbox.wait_for(3)) == 3


def test_reminder_is_in_the_recipients_language(client, org, app_settings, smtp):
    url, inbox = smtp
    _two_branches_waiting(client, org)
    run(Profile.update({Profile.language: "pl"}).where(Profile.user.username == "mia").run())
    run(run_reminders(dataclasses.replace(app_settings, smtp_url=url)))
    inbox.wait_for(3)
    polish = inbox.to("mia@users.invalid")[0]
    assert polish["Content-Language"] == "pl"
    assert polish.get_content().startswith("Dzień dobry, mia,")
    assert inbox.to("max@users.invalid")[0].get_content().startswith("Hello max,")
