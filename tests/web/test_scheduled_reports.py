"""Scheduled reports through a real SMTP server: each subscriber their report once per period
however often or concurrently the run happens, in the reader's language and calendar, the PDF
attached (or linked when too large), and approved visits announced to their branch's managers
without the shopper."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time

from click.testing import CliRunner
from litestar.testing import TestClient

from audits.jobs.queue import count_jobs
from audits.tables import Profile, ReportDelivery
from web.app import create_app
from web.cli import main
from web.scheduled_reports import SCHEDULED_REPORT, run_scheduled

from ..conftest import run
from . import smtp_fixtures
from .action_fixtures import as_user, file_and_publish
from .job_fixtures import _worker
from .report_helpers import pdf_text

smtp = smtp_fixtures.smtp  # the fixture, for these tests
APRIL = dt.date(2026, 4, 1)  # a run on this day sends March's reports (the visits are in March)
MARCH = "from=2026-03-01&to=2026-03-31"


def _subscribe(client, user: str, kind: str, branch: str | None = None, cadence="monthly"):
    as_user(client, "ada")
    body = {"username": user, "kind": kind, "cadence": cadence}
    if branch:
        body["branch"] = branch
    response = client.post("/api/report-subscriptions", json=body)
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return response.json()


def _speaks(user: str, language: str) -> None:
    run(Profile.update({Profile.language: language}).where(Profile.user.username == user).run())


def _pdf(message) -> bytes:
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    return attachment.get_content()


def _settings(app_settings, url: str, **changes):
    return dataclasses.replace(
        app_settings, smtp_url=url, public_url="https://evenly.test", **changes
    )


def test_monthly_branch_report_goes_once_in_greek_when_run_twice(client, org, app_settings, smtp):
    url, inbox = smtp
    file_and_publish(client, org)
    _subscribe(client, "max", "branch")  # each of max's branches: B1
    _speaks("max", "el")
    settings = _settings(app_settings, url)
    first = run(run_scheduled(settings, APRIL))
    second = run(run_scheduled(settings, APRIL))
    assert (first.sent, first.skipped, second.sent, second.skipped) == (1, 0, 0, 1)
    (message,) = inbox.wait_for(1)
    time.sleep(0.3)  # nothing more arrives
    assert len(inbox.messages) == 1
    assert message["To"] == "max@users.invalid" and message["Content-Language"] == "el"
    assert message["Subject"] == "Αναφορά καταστήματος B1: Μάρτιος 2026"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Γεια σας max,")
    assert f"https://evenly.test/reports/branches/B1?{MARCH}" in body
    text = pdf_text(_pdf(message))
    assert "Branch B1" in text and "Επισκέψεις" in text  # the report, in Greek
    rows = run(ReportDelivery.select().run())
    assert [(r["period"], r["branch"], r["status"], r["attached"]) for r in rows] == [
        ("2026-03", "B1", "sent", True)
    ]


def test_concurrent_runs_send_each_period_once(client, org, app_settings, smtp):
    url, inbox = smtp
    file_and_publish(client, org)
    _subscribe(client, "max", "branch", "B1", cadence="weekly")
    _subscribe(client, "ada", "headoffice", cadence="monthly")
    settings = _settings(app_settings, url)

    async def three_at_once():
        return await asyncio.gather(*(run_scheduled(settings, APRIL) for _ in range(3)))

    runs = run(three_at_once())
    assert sum(r.sent for r in runs) == 2 and sum(r.skipped for r in runs) == 4
    inbox.wait_for(2)
    time.sleep(0.3)
    assert sorted(m["To"] for m in inbox.messages) == ["ada@users.invalid", "max@users.invalid"]
    assert run(ReportDelivery.count().run()) == 2


def test_persian_reader_gets_the_week_in_the_solar_hijri_calendar(client, org, app_settings, smtp):
    url, inbox = smtp
    file_and_publish(client, org)  # Tuesday 10 March 2026
    _subscribe(client, "ada", "headoffice", cadence="weekly")
    _speaks("ada", "fa")
    run(run_scheduled(_settings(app_settings, url), dt.date(2026, 3, 18)))
    (message,) = inbox.wait_for(1)
    # 9–15 March 2026 is 18–24 Esfand 1404
    assert "۱۸ اسفند ۱۴۰۴" in message["Subject"] and "۲۴ اسفند ۱۴۰۴" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "https://evenly.test/reports/headoffice?from=2026-03-09&to=2026-03-15" in body
    assert pdf_text(_pdf(message)).strip()


def test_report_larger_than_the_setting_is_linked_not_attached(client, org, app_settings, smtp):
    url, inbox = smtp
    file_and_publish(client, org)
    _subscribe(client, "max", "branch", "B1")
    run(run_scheduled(_settings(app_settings, url, report_attach_max_kb=1), APRIL))
    (message,) = inbox.wait_for(1)
    assert list(message.iter_attachments()) == []
    body = message.get_content()
    link = f"https://evenly.test/reports/branches/B1/pdf?{MARCH}"
    assert link in body and "too large to attach" in body
    as_user(client, "max")  # the link opens the same report for its reader, logged in
    pdf = client.get(link.removeprefix("https://evenly.test"))
    assert pdf.status_code == 200 and "Branch B1" in pdf_text(pdf.content)
    (row,) = run(ReportDelivery.select().run())
    assert row["status"] == "sent" and not row["attached"] and row["size"] > 1024


def test_failed_delivery_is_logged_and_sent_by_the_next_run(client, org, app_settings, smtp):
    url, inbox = smtp
    file_and_publish(client, org)
    _subscribe(client, "max", "branch", "B1")
    failed = run(run_scheduled(_settings(app_settings, "smtp://127.0.0.1:9"), APRIL))
    assert failed.failed == 1 and inbox.messages == []
    (row,) = run(ReportDelivery.select().run())
    assert row["status"] == "failed" and row["error"]
    retried = run(run_scheduled(_settings(app_settings, url), APRIL))
    assert retried.sent == 1 and len(inbox.wait_for(1)) == 1
    as_user(client, "ada")
    (logged,) = client.get("/api/report-subscriptions/deliveries").json()
    assert logged["status"] == "sent" and logged["period"] == "2026-03"


def test_command_twice_sends_once(client, org, smtp):
    url, inbox = smtp
    file_and_publish(client, org)
    _subscribe(client, "max", "branch", "B1")
    env = {"EVENLY_SMTP_URL": url}
    runner = CliRunner()
    first = runner.invoke(main, ["report", "send-scheduled", "--now", "2026-04-01"], env=env)
    assert first.exit_code == 0, first.output
    assert "1 sent" in first.output
    again = runner.invoke(main, ["report", "send-scheduled", "--now", "2026-04-02"], env=env)
    assert again.exit_code == 0 and "0 sent, 1 already sent" in again.output
    assert len(inbox.wait_for(1)) == 1


def _is_maxs_notice_without_the_shopper(messages, audit) -> None:
    """One e-mail to max: the visit's link and its PDF, and not a word of who visited."""
    (message,) = messages
    assert message["To"] == "max@users.invalid"
    body = message.get_body(("plain",)).get_content()
    assert f"https://evenly.test/reports/visits/{audit}" in body
    pdf = pdf_text(_pdf(message))
    assert "Branch B1" in pdf
    for text in (message["Subject"], body, pdf):
        assert "sam" not in text.lower()


def test_approved_visit_reaches_the_subscribed_manager_without_the_shopper(org, app_settings, smtp):
    url, inbox = smtp
    settings = _settings(app_settings, url, remind_at="23:59")
    with TestClient(create_app(settings)) as client:
        _subscribe(client, "max", "visits")
        audit = file_and_publish(client, org)  # sam files, ada approves
        _is_maxs_notice_without_the_shopper(inbox.wait_for(1), audit)
        file_and_publish(client, org, branch="B2")  # mia's branch: max hears nothing of it
    again = run(run_scheduled(settings, APRIL))  # the daily run finds it sent
    assert (again.sent, again.skipped) == (0, 1)
    time.sleep(0.3)
    assert len(inbox.messages) == 1


def test_daily_task_in_two_app_processes_queues_once_and_a_worker_process_sends_once(
    org, queued_settings, smtp, db
):
    url, inbox = smtp
    with TestClient(create_app(queued_settings)) as client:  # no worker in any app
        _subscribe(client, "ada", "headoffice", cadence="weekly")
    settings = _settings(queued_settings, url, remind_at="00:00")
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            one.app.state.scheduled_runs and two.app.state.scheduled_runs
        ):
            time.sleep(0.1)
        runs = one.app.state.scheduled_runs + two.app.state.scheduled_runs
    assert [(r.queued, r.sent) for r in runs] == [(1, 0), (1, 0)]  # the apps only queue
    assert run(count_jobs(SCHEDULED_REPORT)) == 1  # the second joined the first's job
    assert inbox.messages == []
    worker_env = {"EVENLY_SMTP_URL": url, "EVENLY_PUBLIC_URL": "https://evenly.test"}
    _worker(db, **worker_env)
    assert len(inbox.wait_for(1)) == 1
    assert pdf_text(_pdf(inbox.messages[0])).strip()
    _worker(db, **worker_env)  # nothing left to run: nothing sent twice
    time.sleep(0.3)
    assert len(inbox.messages) == 1


def test_an_approval_queues_its_visit_notice_for_a_worker_process_that_names_no_shopper(
    org, queued_settings, smtp, db
):
    url, inbox = smtp
    settings = _settings(queued_settings, url, remind_at="23:59")  # no worker in the app
    with TestClient(create_app(settings)) as client:
        _subscribe(client, "max", "visits")
        audit = file_and_publish(client, org)  # answered before any mail is sent
        file_and_publish(client, org, branch="B2")  # mia's branch: max hears nothing of it
    assert inbox.messages == []  # the app sent nothing itself
    assert run(count_jobs(SCHEDULED_REPORT)) == 1
    worker_env = {"EVENLY_SMTP_URL": url, "EVENLY_PUBLIC_URL": "https://evenly.test"}
    _worker(db, **worker_env)
    _is_maxs_notice_without_the_shopper(inbox.wait_for(1), audit)
    again = run(run_scheduled(settings, APRIL))  # the daily run finds it sent
    assert (again.sent, again.skipped) == (0, 1)
    _worker(db, **worker_env)  # nothing left to run: nothing sent twice
    time.sleep(0.3)
    assert len(inbox.messages) == 1
