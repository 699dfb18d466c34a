"""Filing on the app's pooled SQLite connections (the one-trip write path the API tests,
which run without a pool, do not reach)."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest
from piccolo.apps.user.tables import BaseUser

from audits.db.sqlite_pool import PooledSQLiteEngine
from audits.fieldwork.filing import submit_audit
from audits.fieldwork.schemas import AuditCreate
from audits.org.users import get_current_user
from audits.tables import Audit, AuditChange

from ..conftest import IS_POSTGRES, run
from .audit_fixtures import audit_body

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="the pool under test is SQLite's")


async def _file_twice(body: dict) -> tuple[bool, bool, str, list[dict]]:
    engine = Audit._meta.db
    assert isinstance(engine, PooledSQLiteEngine)
    await engine.start_connection_pool()
    try:
        row = await BaseUser.select(BaseUser.id).where(BaseUser.username == "sam").first()
        user = await get_current_user(row["id"])
        data = msgspec.convert(body, AuditCreate)
        now = dt.datetime.now(dt.UTC)
        first, created = await submit_audit(data, user, now=now)
        _, again = await submit_audit(data, user, now=now)
        mode = await engine._run_in_new_connection("PRAGMA journal_mode")
        stored = await Audit.select(Audit.score).where(Audit.id == first.id)
    finally:
        await engine.close_connection_pool()
    return created, again, mode[0]["journal_mode"], stored


def test_pooled_filing_same_id_twice_stores_one_audit_in_wal_mode(org):
    created, again, mode, stored = run(_file_twice(audit_body(org)))
    assert (created, again, mode) == (True, False, "wal")
    assert [row["score"] for row in stored] == [100.0]
    assert run(AuditChange.count().run()) == 1


async def _file_approve_and_step(body: dict) -> tuple[list[str], str]:
    from audits.actions.rules import Step
    from audits.actions.services import approve_audit, take_step
    from audits.tables import CorrectiveAction

    engine = Audit._meta.db
    await engine.start_connection_pool()
    try:
        users = {}
        for name in ("sam", "ada", "max"):
            row = await BaseUser.select(BaseUser.id).where(BaseUser.username == name).first()
            users[name] = await get_current_user(row["id"])
        now = dt.datetime.now(dt.UTC)
        filed, _ = await submit_audit(msgspec.convert(body, AuditCreate), users["sam"], now=now)
        await approve_audit(filed.id, users["ada"])
        opened = await CorrectiveAction.select().where(CorrectiveAction.audit == filed.id)
        await take_step(opened[0]["id"], users["max"], Step.done, "Fixed.")
        state = await CorrectiveAction.select(CorrectiveAction.state).first()
    finally:
        await engine.close_connection_pool()
    return [row["item_key"] for row in opened], state["state"]


def test_pooled_publish_opens_actions_and_a_step_is_stored(org):
    body = audit_body(org)
    body["answers"]["acknowledged_promptly"] = False
    items, state = run(_file_approve_and_step(body))
    assert (items, state) == (["acknowledged_promptly"], "done")


def test_pooled_filing_writes_its_webhook_event_in_the_same_trip(org):
    from audits.tables import WebhookDelivery, WebhookEvent
    from audits.webhooks import services as webhooks_services
    from audits.webhooks.schemas import EndpointCreate

    hook = EndpointCreate(url="http://127.0.0.1:9/hook", events=["audit.submitted"])
    run(webhooks_services.create_endpoint(hook, now=dt.datetime.now(dt.UTC)))
    body = audit_body(org)
    created, again, _, _ = run(_file_twice(body))
    assert (created, again) == (True, False)
    events = run(WebhookEvent.select(WebhookEvent.kind, WebhookEvent.body).run())
    assert [e["kind"] for e in events] == ["audit.submitted"]  # once, though filed twice
    assert body["id"] in events[0]["body"]
    assert run(WebhookDelivery.count().run()) == 1
