"""Webhooks end to end: an admin registers a real HTTP receiver (the receiver example of
docs/webhooks.md, run by the test on 127.0.0.1), audits and actions change, and the receiver
gets each event signed, exactly once by its idempotency key, even when it failed first, was
down, or Evenly restarted in between."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import socket
import time
import uuid

import pytest
from litestar.testing import TestClient

from audits.jobs.postgres import deferring
from audits.jobs.queue import count_jobs
from audits.tables import CorrectiveAction, Job, WebhookDelivery, WebhookEndpoint, WebhookEvent
from audits.webhooks import delivery
from audits.webhooks import services as webhooks_services
from audits.webhooks.schemas import EndpointCreate
from web.app import create_app
from web.settings import Settings
from web.webhooks import WEBHOOK_PASS, queue_pass, run_pass

from ..conftest import IS_POSTGRES, run
from .action_fixtures import as_user, file_and_publish
from .audit_fixtures import audit_body
from .conftest import csrf, login
from .job_fixtures import _worker
from .webhook_receiver import HookReceiver
from .write_world import CLOSED_RECEIVER

ALL_EVENTS = [
    "audit.submitted",
    "audit.published",
    "audit.returned",
    "action.opened",
    "action.overdue",
    "action.verified",
    "import.finished",
]


@pytest.fixture
def receiver():
    server = HookReceiver().start()
    yield server
    server.stop()


def register(client, url: str, events: list[str] | None = None) -> dict:
    as_user(client, "root")
    csrf(client)
    made = client.post("/api/webhooks", json={"url": url, "events": events or ALL_EVENTS})
    assert made.status_code == 201, made.text
    return made.json()


def deliveries() -> list[dict]:
    return run(
        WebhookDelivery.select(
            *WebhookDelivery.all_columns(), WebhookDelivery.event.kind.as_alias("kind")
        )
        .order_by(WebhookDelivery.id)
        .run()
    )


def later(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


def test_webhook_submitted_audit_arrives_signed_without_the_shopper(client, org, receiver):
    made = register(client, receiver.url, ["audit.submitted"])
    receiver.use_secret(made["secret"])
    body = audit_body(org)
    as_user(client, "sam")
    assert client.post("/api/audits", json=body).status_code == 201

    assert run(run_pass()).delivered == 1

    [request] = receiver.requests
    assert request["headers"]["Evenly-Event"] == "audit.submitted"
    assert request["key"] == str(deliveries()[0]["key"])
    assert [e["type"] for e in receiver.processed] == ["audit.submitted"]  # signature checked
    data = receiver.processed[0]["data"]
    assert (data["audit_id"], data["branch"], data["checklist"]) == (
        body["id"],
        "B1",
        "service-fundamentals",
    )
    assert data["score"] == 100.0
    text = request["body"].decode()
    assert "sam" not in text and "Anna" not in text and "B1-S1" not in text
    assert deliveries()[0]["status"] == "delivered"


def test_webhook_forged_or_old_signature_is_refused_by_the_docs_receiver(receiver):
    check = receiver.code["check_signature"]
    body = b'{"type":"webhook.test"}'
    now = int(time.time())
    good = delivery.request_headers(
        {"kind": "webhook.test", "key": uuid.uuid4(), "secret": "s3cret"}, body, now
    )["Evenly-Signature"]
    assert check("s3cret", good, body, now)
    assert not check("other", good, body, now)
    assert not check("s3cret", good, body + b" ", now)
    assert not check("s3cret", good, body, now + 301)  # replayed six minutes later


def test_webhook_500_then_200_processed_once_by_key_and_marked_delivered(client, org):
    server = HookReceiver(answers=[500]).start()  # processes the first, then answers 500
    try:
        made = register(client, server.url, ["audit.submitted"])
        server.use_secret(made["secret"])
        as_user(client, "sam")
        assert client.post("/api/audits", json=audit_body(org)).status_code == 201

        first = run(run_pass())
        assert (first.delivered, first.failed) == (0, 1)
        [row] = deliveries()
        assert (row["status"], row["attempts"], row["last_status"]) == ("pending", 1, 500)
        assert row["next_attempt_at"] > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
        assert run(run_pass()).delivered == 0  # not due yet

        assert run(run_pass(later(31))).delivered == 1
        keys = [r["key"] for r in server.requests]
        assert len(keys) == 2 and keys[0] == keys[1]  # the same idempotency key, twice
        assert [r["new"] for r in server.requests] == [True, False]
        assert len(server.processed) == 1  # the receiver acted on it once
        [row] = deliveries()
        assert (row["status"], row["attempts"], row["last_status"]) == ("delivered", 2, 204)
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_receiver_down_then_app_restarted_loses_nothing(org, app_settings):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    with TestClient(create_app(app_settings)) as first_app:  # no runner of its own
        made = register(first_app, url, ["audit.submitted", "audit.published"])
        ids = [file_and_publish(first_app, org) for _ in range(2)]
        assert run(run_pass()).failed == 4  # nobody listening: they wait
    assert {r["status"] for r in deliveries()} == {"pending"}
    run(
        WebhookDelivery.update({WebhookDelivery.next_attempt_at: later(-1)})
        .where(WebhookDelivery.status == "pending")
        .run()
    )  # the back-off has passed

    server = HookReceiver(secret=made["secret"], port=port).start()
    try:
        settings = Settings(
            database_url=app_settings.database_url,
            secret_key="restarted",
            db_pool=False,
            webhook_interval=0.2,
        )
        with TestClient(create_app(settings)):  # a new process: its runner delivers
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if {r["status"] for r in deliveries()} == {"delivered"}:
                    break
                time.sleep(0.2)
        got = sorted((e["type"], e["data"]["audit_id"]) for e in server.processed)
        want = sorted((t, i) for t in ("audit.submitted", "audit.published") for i in ids)
        assert got == want
        assert {r["status"] for r in deliveries()} == {"delivered"}
    finally:
        server.stop()


def test_webhook_review_and_actions_each_send_their_event(client, org, receiver):
    made = register(client, receiver.url)
    receiver.use_secret(made["secret"])
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    returned = audit_body(org, visited_at="2026-03-11T18:30:00+02:00")
    as_user(client, "sam")
    client.post("/api/audits", json=returned)
    as_user(client, "ada")
    csrf(client)
    back = client.post(f"/api/audits/{returned['id']}/return", json={"comment": "Fix it."})
    assert back.status_code == 200, back.text
    run(run_pass())
    kinds = [e["type"] for e in receiver.processed]
    assert kinds == [
        "audit.submitted",
        "audit.published",
        "action.opened",
        "audit.submitted",
        "audit.returned",
    ]
    opened = receiver.processed[2]["data"]
    assert (opened["audit_id"], opened["item_key"], opened["state"]) == (
        audit_id,
        "acknowledged_promptly",
        "open",
    )
    verified = client.post(f"/api/actions/{opened['action_id']}/verify", json={"comment": "Seen"})
    assert verified.status_code == 200, verified.text
    run(run_pass())
    assert receiver.processed[-1]["type"] == "action.verified"
    assert receiver.processed[-1]["data"]["state"] == "verified"
    assert len(receiver.processed) == len(receiver.requests) == 6  # each signed, each once
    for request in receiver.requests:  # shopper, staff member, reviewer, comment: none
        text = request["body"].decode()
        for person in ("sam", "ada", "Anna", "B1-S1", "Fix it", "Seen"):
            assert not _names(text, person), (request["headers"]["Evenly-Event"], person)


def _names(text: str, word: str) -> bool:
    """``word`` in ``text`` as a word: "ada" is in a random id now and then ("-ada1-")."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(word)}(?![0-9A-Za-z])", text) is not None


def test_webhook_overdue_action_is_sent_once(client, org, receiver):
    made = register(client, receiver.url, ["action.overdue"])
    receiver.use_secret(made["secret"])
    file_and_publish(client, org, acknowledged_promptly=False)
    assert run(run_pass()).delivered == 0  # not due yet
    in_a_year = later(365 * 86400)
    run(run_pass(in_a_year))
    run(run_pass(in_a_year))  # a second runner's look finds it written
    assert [e["type"] for e in receiver.processed] == ["action.overdue"]
    assert run(WebhookEvent.count().run()) == 1


def test_webhook_pruning_drops_old_events_but_the_overdue_keys_still_needed(client, org, receiver):
    """The events table is pruned with the deliveries: an event no delivery refers to goes once
    older than the kept days, but an overdue one stays while its action still has that due
    date (it may be reopened: the event must not be sent twice), and goes with its action."""
    made = register(client, receiver.url, ["action.opened", "action.overdue"])
    receiver.use_secret(made["secret"])
    file_and_publish(client, org, acknowledged_promptly=False)
    in_a_year = later(365 * 86400)
    run(run_pass(in_a_year))
    assert sorted(e["type"] for e in receiver.processed) == ["action.opened", "action.overdue"]
    assert run(WebhookEvent.count().run()) == 2

    a_month_on = in_a_year + dt.timedelta(days=31)
    run(run_pass(a_month_on, keep_days=30))
    run(run_pass(a_month_on, keep_days=30))  # the action is still overdue: no second event
    assert run(WebhookDelivery.count().run()) == 0
    kept = run(WebhookEvent.select(WebhookEvent.kind).run())
    assert kept == [{"kind": "action.overdue"}]
    assert len(receiver.processed) == 2

    [action] = run(CorrectiveAction.select(CorrectiveAction.id, CorrectiveAction.due_date).run())
    moved = action["due_date"] + dt.timedelta(days=1)
    run(CorrectiveAction.update({CorrectiveAction.due_date: moved}, force=True).run())
    run(run_pass(a_month_on, keep_days=30))
    assert run(WebhookEvent.count().run()) == 1  # its due date may be moved back within a year

    years_on = in_a_year + dt.timedelta(days=400)  # the old due date is past moving back to
    run(run_pass(years_on, keep_days=30))
    dedups = run(WebhookEvent.select(WebhookEvent.dedup).run())
    assert dedups == [{"dedup": f"action.overdue:{action['id']}:{moved.isoformat()}"}]

    run(CorrectiveAction.delete(force=True).run())  # its audit deleted, say
    run(run_pass(years_on + dt.timedelta(days=31), keep_days=30))
    assert run(WebhookEvent.count().run()) == 0


def test_webhook_import_finished(client, org, receiver):
    from audits.fieldwork.imports import import_audits

    made = register(client, receiver.url, ["import.finished"])
    receiver.use_secret(made["secret"])
    text = (
        "audit_ref,branch,visited_at,score,auditor\n"
        "R1,B1,2026-01-05T10:00:00+02:00,80,ext-1\n"
        "R2,B1,2026-01-06T10:00:00+02:00,90,ext-1\n"
    )
    result = run(import_audits(text, create_missing=True))
    assert result.new == 2
    run(import_audits(text, create_missing=True))  # nothing new: no event
    run(run_pass())
    [event] = receiver.processed
    assert event["type"] == "import.finished"
    assert (event["data"]["imported"], event["data"]["auditors_created"]) == (2, 1)


def test_webhook_paused_endpoint_keeps_its_deliveries_waiting(client, org, receiver):
    made = register(client, receiver.url, ["audit.submitted"])
    receiver.use_secret(made["secret"])
    as_user(client, "root")
    csrf(client)
    endpoint = made["endpoint"]["id"]
    paused = client.patch(f"/api/webhooks/{endpoint}", json={"active": False})
    assert paused.status_code == 200 and paused.json()["active"] is False
    assert run(run_pass()).delivered == 0
    client.patch(f"/api/webhooks/{endpoint}", json={"events": ["audit.submitted"]})
    # paused: a new audit writes nothing for it; reactivated, it gets the next one
    as_user(client, "sam")
    client.post("/api/audits", json=audit_body(org))
    assert deliveries() == []
    as_user(client, "root")
    csrf(client)
    client.patch(f"/api/webhooks/{endpoint}", json={"active": True})
    as_user(client, "sam")
    client.post("/api/audits", json=audit_body(org))
    assert run(run_pass()).delivered == 1


def test_webhook_runners_at_once_claim_each_delivery_once(client, org, receiver):
    register(client, receiver.url, ["audit.submitted"])
    as_user(client, "sam")
    for _ in range(6):
        client.post("/api/audits", json=audit_body(org))

    async def both() -> list[list[int]]:
        import asyncio

        now = dt.datetime.now(dt.UTC)
        return list(await asyncio.gather(*(delivery.claim_due(now, batch=4) for _ in range(3))))

    claims = run(both())
    claimed = [i for c in claims for i in c]
    assert len(claimed) == len(set(claimed)) == 6


def test_webhook_send_test_button_delivers_and_logs(client, org, receiver):
    made = register(client, receiver.url, ["audit.published"])
    receiver.use_secret(made["secret"])
    endpoint = made["endpoint"]["id"]
    login(client, "root")
    page = client.post(
        f"/admin/webhooks/{endpoint}/test",
        data={"_csrf_token": csrf(client)},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert "The test event was delivered." in page.text
    assert "webhook.test" in page.text and "HTTP 204" in page.text
    assert [e["type"] for e in receiver.processed] == ["webhook.test"]
    api = client.post(f"/api/webhooks/{endpoint}/test")
    assert api.status_code == 201 and api.json()["status"] == "delivered"


def test_webhook_deliver_command_sends_what_is_due_and_says_so(client, org, receiver):
    from click.testing import CliRunner

    from audits.webhooks import services as webhooks_services
    from web.cli import main

    made = register(client, receiver.url, ["audit.submitted"])
    receiver.use_secret(made["secret"])
    as_user(client, "sam")
    client.post("/api/audits", json=audit_body(org))
    result = CliRunner().invoke(main, ["webhooks", "deliver"])
    assert result.exit_code == 0, result.output
    assert "1 delivered" in result.output
    assert [e["type"] for e in receiver.processed] == ["audit.submitted"]

    down = run(
        webhooks_services.create_endpoint(
            webhooks_services.EndpointCreate(
                url="http://127.0.0.1:9/x", events=["audit.published"]
            ),
            now=dt.datetime.now(dt.UTC),
        )
    )
    run(webhooks_services.queue_test(down.endpoint.id, now=dt.datetime.now(dt.UTC)))
    failed = CliRunner().invoke(main, ["webhooks", "deliver"])
    assert failed.exit_code == 1 and "1 to retry later" in failed.output


def test_webhook_passes_the_app_queues_are_delivered_by_a_worker_process(
    org, queued_settings, receiver, db
):
    settings = dataclasses.replace(queued_settings, webhook_interval=0.2)
    with TestClient(create_app(settings)) as app:  # queues a pass every 0.2 s, runs none
        made = register(app, receiver.url, ["audit.submitted"])
        receiver.use_secret(made["secret"])
        as_user(app, "sam")
        assert app.post("/api/audits", json=audit_body(org)).status_code == 201
        queued = run(count_jobs(WEBHOOK_PASS))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and run(count_jobs(WEBHOOK_PASS)) <= queued:
            time.sleep(0.1)
    assert run(count_jobs(WEBHOOK_PASS)) > queued  # a pass queued after the audit
    assert receiver.requests == []  # the app sent nothing itself
    _worker(db)
    assert [e["type"] for e in receiver.processed] == ["audit.submitted"]
    assert {r["status"] for r in deliveries()} == {"delivered"}
    assert run(count_jobs(WEBHOOK_PASS)) == 1  # the passes before the last are forgotten


def test_a_pass_whose_hand_over_was_lost_is_run_by_the_next_worker(
    org, queued_settings, receiver, db
):
    """An app stopped between writing a job and handing it to the queue's workers (a deploy's
    restart): the job stays queued, and the next worker to start runs it all the same."""
    with TestClient(create_app(queued_settings)) as app:  # queues no pass itself
        made = register(app, receiver.url, ["audit.submitted"])
        receiver.use_secret(made["secret"])
        as_user(app, "sam")
        assert app.post("/api/audits", json=audit_body(org)).status_code == 201
    run(queue_pass(0.2))  # written with no app open: nothing hands it over
    assert run(count_jobs(WEBHOOK_PASS)) == 1 and receiver.requests == []
    _worker(db)
    assert [e["type"] for e in receiver.processed] == ["audit.submitted"]
    assert {r["status"] for r in deliveries()} == {"delivered"}


@pytest.mark.skipif(not IS_POSTGRES, reason="SQLite's workers read the job table itself")
def test_asking_again_for_a_job_queued_long_ago_hands_over_a_lost_one(org, queued_settings, db):
    """Workers that run for days start rarely: a job lost between an app and procrastinate is
    also handed over when someone asks for it again and it has waited over a minute."""
    with TestClient(create_app(queued_settings)) as app:
        register(app, CLOSED_RECEIVER, ["audit.submitted"])
    now = dt.datetime.now(dt.UTC)
    run(queue_pass(10, now))  # lost: no app open to hand it over
    waiting = "SELECT count(*) AS n FROM procrastinate_jobs WHERE status = 'todo'"
    assert run(Job.raw(waiting).run())[0]["n"] == 0
    _queue_pass(db, now, keep_days=30)  # asked again at once: joined, nothing handed over
    assert run(Job.raw(waiting).run())[0]["n"] == 0
    run(Job.update({Job.created_at: now - dt.timedelta(minutes=2)}, force=True).run())
    _queue_pass(db, now, keep_days=30)  # asked again two minutes on
    assert run(Job.raw(waiting).run())[0]["n"] == 1
    assert run(count_jobs(WEBHOOK_PASS)) == 1  # the same job, not a second one


def _aged_deliveries(now: dt.datetime) -> dict[str, int]:
    """Test deliveries to a closed port: finished or pending, of events 31 or 29 days old;
    their ids by what they are."""
    endpoint = run(
        webhooks_services.create_endpoint(
            EndpointCreate(url=CLOSED_RECEIVER, events=["audit.published"]), now=now
        )
    ).endpoint.id
    ages = {
        "old delivered": ("delivered", 31),
        "old failed": ("failed", 31),
        "old pending": ("pending", 31),
        "recent delivered": ("delivered", 29),
        "recent failed": ("failed", 29),
    }
    ids = {}
    for name, (status, days) in ages.items():
        delivery_id = run(webhooks_services.queue_test(endpoint, now=now))
        at = now - dt.timedelta(days=days)
        run(
            WebhookDelivery.update(
                {
                    WebhookDelivery.status: status,
                    WebhookDelivery.created_at: at,
                    WebhookDelivery.next_attempt_at: now + dt.timedelta(hours=1),  # not due
                }
            )
            .where(WebhookDelivery.id == delivery_id)
            .run()
        )
        ids[name] = delivery_id
    return ids


def _kept(ids: dict[str, int]) -> list[str]:
    left = {row["id"] for row in deliveries()}
    return sorted(name for name, delivery_id in ids.items() if delivery_id in left)


def _queue_pass(db: str, now: dt.datetime, keep_days: int) -> None:
    """The pass an app process queues at ``now`` (every 10 s), handed to the workers."""

    async def queued() -> object:
        if not IS_POSTGRES:
            return await queue_pass(10, now, keep_days=keep_days)
        async with deferring(db):  # as in an app process: procrastinate's workers see it
            return await queue_pass(10, now, keep_days=keep_days)

    assert run(queued()) is not None


def test_webhook_pass_prunes_finished_deliveries_past_the_kept_days_once_an_hour(
    org, queued_settings, db
):
    hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    ids = _aged_deliveries(hour)
    _queue_pass(db, hour + dt.timedelta(minutes=20), keep_days=30)
    _worker(db)  # a pass that does not prune
    assert len(_kept(ids)) == 5

    _queue_pass(db, hour + dt.timedelta(seconds=3), keep_days=30)
    _worker(db)  # the hour's first pass
    assert _kept(ids) == ["old pending", "recent delivered", "recent failed"]
    assert run(count_jobs(WEBHOOK_PASS)) == 1  # and the passes before it forgotten

    _queue_pass(db, hour + dt.timedelta(hours=1, seconds=3), keep_days=7)
    _worker(db)  # a shorter log: the recent ones go too
    assert _kept(ids) == ["old pending"]


def test_webhook_log_is_pruned_while_every_endpoint_is_paused(org, queued_settings, db):
    hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    ids = _aged_deliveries(hour)
    run(WebhookEndpoint.update({WebhookEndpoint.active: False}, force=True).run())
    assert run(queue_pass(10, hour + dt.timedelta(minutes=20), keep_days=30)) is None
    _queue_pass(db, hour + dt.timedelta(seconds=3), keep_days=30)  # the hour's first: prunes
    _worker(db)
    assert _kept(ids) == ["old pending", "recent delivered", "recent failed"]


def test_webhook_kept_days_setting_defaults_to_30_and_refuses_nonsense():
    assert Settings.from_env({}).webhook_keep_days == 30
    assert Settings.from_env({"EVENLY_WEBHOOK_KEEP_DAYS": "90"}).webhook_keep_days == 90
    for bad in ("0", "-3", "thirty", "4000"):
        with pytest.raises(ValueError, match="EVENLY_WEBHOOK_KEEP_DAYS"):
            Settings.from_env({"EVENLY_WEBHOOK_KEEP_DAYS": bad})
