"""The runner's work: claim the deliveries that are due, POST each one signed, record what the
receiver said, and try again later with back-off when it failed.

Several runners may work at once (every app process and any ``evenly webhooks deliver``): a
delivery is claimed by a conditional UPDATE that only one of them can win (on PostgreSQL the
candidates are also locked with ``FOR UPDATE SKIP LOCKED``, so runners do not wait for each
other). A claim lasts ``CLAIM_FOR``; a runner that dies mid-send leaves the row to be claimed
again when it expires, so a delivery is made at least once and receivers dedup on its key.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import httpx
from piccolo.engine.postgres import PostgresEngine

from audits.db.write_lock import write_transaction
from audits.tables import WebhookDelivery, WebhookEndpoint
from audits.webhooks import rules
from audits.webhooks.schemas import DeliveryRun

USER_AGENT = "Evenly-Webhooks/1"


def _due(now: dt.datetime, only: int | None) -> Any:
    condition = (
        (WebhookDelivery.status == "pending")
        & (WebhookDelivery.next_attempt_at <= now)
        & (WebhookDelivery.endpoint._.active.eq(True))
        & (WebhookDelivery.claimed_until.is_null() | (WebhookDelivery.claimed_until < now))
    )
    return condition if only is None else condition & (WebhookDelivery.id == only)


async def claim_due(now: dt.datetime, *, batch: int = 20, only: int | None = None) -> list[int]:
    """Claim up to ``batch`` due deliveries for this runner; returns their ids."""
    async with write_transaction():
        query = (
            WebhookDelivery.select(WebhookDelivery.id)
            .where(_due(now, only))
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(batch)
        )
        if isinstance(WebhookDelivery._meta.db, PostgresEngine):
            query = query.lock_rows("UPDATE", skip_locked=True, of=(WebhookDelivery,))
        ids = [row["id"] for row in await query]
        if not ids:
            return []
        claimed = await (
            WebhookDelivery.update(
                {
                    WebhookDelivery.claimed_until: now + rules.CLAIM_FOR,
                    WebhookDelivery.attempts: WebhookDelivery.attempts + 1,
                }
            )
            .where(
                WebhookDelivery.id.is_in(ids),
                WebhookDelivery.status == "pending",
                WebhookDelivery.claimed_until.is_null() | (WebhookDelivery.claimed_until < now),
            )
            .returning(WebhookDelivery.id)
        )
    return [row["id"] for row in claimed]


async def _claimed_rows(ids: list[int]) -> list[dict]:
    return await WebhookDelivery.select(
        WebhookDelivery.id,
        WebhookDelivery.key,
        WebhookDelivery.attempts,
        WebhookDelivery.event.kind.as_alias("kind"),
        WebhookDelivery.event.body.as_alias("body"),
        WebhookDelivery.endpoint.url.as_alias("url"),
        WebhookDelivery.endpoint.secret.as_alias("secret"),
    ).where(WebhookDelivery.id.is_in(ids))


def request_headers(row: dict, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        rules.EVENT_HEADER: row["kind"],
        rules.DELIVERY_HEADER: str(row["key"]),
        rules.SIGNATURE_HEADER: rules.signature_header(row["secret"], timestamp, body),
    }


async def _send(client: httpx.AsyncClient, row: dict) -> tuple[int | None, str]:
    """POST one delivery; the receiver's status (None when none came) and what went wrong."""
    body = row["body"].encode()
    headers = request_headers(row, body, int(time.time()))  # the moment it is sent
    try:
        response = await client.post(row["url"], content=body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:300]}"


async def _record(row: dict, status: int | None, error: str, now: dt.datetime) -> str:
    values: dict[Any, Any] = {
        WebhookDelivery.last_status: status,
        WebhookDelivery.last_error: error,
        WebhookDelivery.claimed_until: None,
    }
    if not error:
        outcome = "delivered"
        values |= {WebhookDelivery.status: outcome, WebhookDelivery.delivered_at: now}
    elif row["attempts"] >= rules.MAX_ATTEMPTS:
        outcome = "failed"
        values[WebhookDelivery.status] = outcome
    else:
        outcome = "pending"
        values[WebhookDelivery.next_attempt_at] = now + rules.retry_delay(row["attempts"])
    async with write_transaction():
        await WebhookDelivery.update(values).where(
            WebhookDelivery.id == row["id"], WebhookDelivery.status == "pending"
        )
    return outcome


def http_client() -> httpx.AsyncClient:
    timeout = httpx.Timeout(rules.TIMEOUT_SECONDS, connect=rules.CONNECT_TIMEOUT_SECONDS)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)


async def deliver_due(
    *, now: dt.datetime | None = None, batch: int = 20, only: int | None = None
) -> DeliveryRun:
    """One pass: every delivery due at ``now``, claimed ``batch`` at a time."""
    run = DeliveryRun()
    async with http_client() as client:
        while True:
            moment = now or dt.datetime.now(dt.UTC)
            ids = await claim_due(moment, batch=batch, only=only)
            if not ids:
                return run
            for row in await _claimed_rows(ids):
                status, error = await _send(client, row)
                outcome = await _record(row, status, error, now or dt.datetime.now(dt.UTC))
                run.delivered += outcome == "delivered"
                run.failed += outcome == "pending"
                run.gave_up += outcome == "failed"


async def any_active_endpoint() -> bool:
    return await WebhookEndpoint.exists().where(WebhookEndpoint.active.eq(True))


FINISHED = ("delivered", "failed")


async def prune_finished(*, before: dt.datetime) -> int:
    """Delete the deliveries delivered or given up whose event was written before ``before``
    (an endpoint's log keeps the rest; a pending delivery always stays); how many."""
    async with write_transaction():
        deleted = await (
            WebhookDelivery.delete()
            .where(
                WebhookDelivery.status.is_in(list(FINISHED)),
                WebhookDelivery.created_at < before,
            )
            .returning(WebhookDelivery.id)
        )
    return len(deleted)
