"""One of everything a write route can act on, and the whole database as a value to compare:
for the route × role matrix of ``test_write_roles``."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from piccolo.apps.user.tables import BaseUser
from piccolo.conf.apps import Finder

from audits.actions.rules import State
from audits.actions.services import approve_audit
from audits.fieldwork.filing import submit_audit
from audits.fieldwork.import_runs import store_upload
from audits.fieldwork.schemas import AuditCreate
from audits.org.tokens import create_token
from audits.org.users import get_current_user
from audits.subscriptions import services as subscriptions_services
from audits.subscriptions.schemas import SubscriptionCreate
from audits.tables import CorrectiveAction, Job, Shift
from audits.visits import services as visits_services
from audits.visits.schemas import VisitCreate
from audits.webhooks import services as webhooks_services
from audits.webhooks.schemas import EndpointCreate
from web.import_jobs import AUDIT_IMPORT

from ..conftest import run
from .audit_fixtures import audit_body

CLOSED_RECEIVER = "http://127.0.0.1:9/hook"
"""A webhook receiver nobody serves (the discard port): a test sent to it fails at once."""


async def _user(name: str):
    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == name).first()
    return await get_current_user(row["id"])


async def _build(doc) -> dict[str, object]:
    sam, ada = await _user("sam"), await _user("ada")
    now = dt.datetime.now(dt.UTC)
    failing = audit_body(doc)
    failing["answers"]["acknowledged_promptly"] = False
    await submit_audit(msgspec_audit(failing), sam, now=now)
    await approve_audit(uuid.UUID(failing["id"]), ada)
    waiting = audit_body(doc, visited_at="2026-03-11T18:30:00+02:00")
    await submit_audit(msgspec_audit(waiting), sam, now=now)
    action = await CorrectiveAction.select(CorrectiveAction.id).where(
        CorrectiveAction.state == State.open.value
    )
    soon = now.date() + dt.timedelta(days=3)
    visit = await visits_services.create_visit(
        VisitCreate("B1", "service-fundamentals", soon), by="ada", now=now
    )
    await create_token("sam", "script")
    token = await _first_id("api_token")
    shift = await Shift.select(Shift.id).first()
    subscription = await subscriptions_services.subscribe(
        SubscriptionCreate(username="ada", kind="headoffice"), ada, now
    )
    endpoint = await webhooks_services.create_endpoint(
        EndpointCreate(url=CLOSED_RECEIVER, events=["audit.published"]), now=now
    )
    return {
        "job_id": await _failed_import(now),
        "subscription_id": subscription.id,
        "endpoint_id": endpoint.endpoint.id,
        "audit_id": waiting["id"],
        "action_id": action[0]["id"],
        "visit_id": visit.id,
        "token_id": token,
        "user_id": sam.id,
        "shift_id": shift["id"],
        "code": "B1",
        "branch": "B1",
        "staff": "B1-S1",
        "kind": "branches",
        "slug": "service-fundamentals",
        "number": 1,
    }


async def _failed_import(now: dt.datetime) -> int:
    """A large upload's import job that failed (the database's fault): one to try again."""
    await store_upload(
        "world-import", "world-file", b"audit_ref\n", checklist=None, create_missing=False, now=now
    )
    job = Job(kind=AUDIT_IMPORT, key="world-import", args="{}", audience="office", state="failed")
    rows = await Job.insert(job).returning(Job.id)
    return rows[0]["id"]


def msgspec_audit(body: dict) -> AuditCreate:
    """An audit body as the API would decode it."""
    return msgspec.convert(body, AuditCreate, strict=False)


async def _first_id(table: str) -> int:
    rows = await BaseUser.raw(f'SELECT id FROM "{table}" ORDER BY id')
    return rows[0]["id"]


def build_world(doc) -> dict[str, object]:
    """A submitted audit of B1 (``audit_id``) and a published one whose failed item opened an
    action (``action_id``), a failed import job (``job_id``), an open visit, a token of sam's,
    a report subscription, a webhook endpoint (``endpoint_id``), and the ids routes name."""
    return run(_build(doc))


# Bookkeeping a read may touch: when a session or token was last used (at most every few
# minutes), not state a user changed.
LAST_USE_COLUMNS = {"seen_at", "last_used_at"}


# Computed results kept for every process (``reports/kept_analyses.py``) and the jobs making
# them (``audits/jobs``: a PDF link asks a worker for it): a read may fill the cache, which
# changes nothing a person stored.
CACHES = {"kept_result", "job"}


async def _snapshot() -> dict[str, list[str]]:
    tables = [t for t in Finder().get_table_classes() if t._meta.tablename not in CACHES]
    return {
        table._meta.tablename: sorted(
            repr(sorted((k, v) for k, v in row.items() if k not in LAST_USE_COLUMNS))
            for row in await table.select()
        )
        for table in tables
    }


def snapshot() -> dict[str, list[str]]:
    """Every row of every table: equal before and after means nothing was written."""
    return run(_snapshot())
