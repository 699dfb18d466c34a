"""Events written in the transaction of their fact: the outbox.

A service that commits a fact other systems may follow calls ``emit`` inside its own
transaction (or, when it writes in one trip, adds ``outbox_queries`` to it), so the event is
stored if and only if the fact is. One row per event holds the body as it will be sent; one
delivery row per endpoint subscribed at that moment waits for the runner (``delivery``).
With no endpoint subscribed, nothing is written.

An event is kept while a delivery refers to it (pending, or in an endpoint's log until
``EVENLY_WEBHOOK_KEEP_DAYS``), and one with a ``dedup`` key also while the same fact could be
noticed again: ``prune`` asks the writer of such events which keys are still needed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable

import msgspec
from piccolo.query.base import Query

from audits.db.write_lock import write_transaction
from audits.tables import WebhookDelivery, WebhookEndpoint, WebhookEvent
from audits.webhooks.schemas import BODY_OF


async def subscribers(kind: str) -> list[int]:
    """The active endpoints that follow ``kind``."""
    rows = await WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.active.eq(True)
    )
    return [row["id"] for row in rows if kind in _events(row["events"])]


def _events(value: object) -> list[str]:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else list(value or [])  # type: ignore[call-overload]


def body(kind: str, event_id: uuid.UUID, data: msgspec.Struct, now: dt.datetime) -> str:
    """The JSON body of the event ``kind`` (its Struct checks that ``data`` fits)."""
    event = BODY_OF[kind](id=event_id, created_at=now, data=data)  # type: ignore[call-arg]
    return msgspec.json.encode(event).decode()


def outbox_queries(
    kind: str,
    data: msgspec.Struct,
    endpoints: list[int],
    *,
    now: dt.datetime,
    event_id: uuid.UUID | None = None,
) -> list[Query]:
    """The inserts of one event and its deliveries to ``endpoints``, for a caller's transaction;
    none when no endpoint follows it."""
    if not endpoints:
        return []
    event_id = event_id or uuid.uuid4()
    event = WebhookEvent(
        id=event_id, kind=kind, body=body(kind, event_id, data, now), created_at=now
    )
    return [WebhookEvent.insert(event), _deliveries(event_id, endpoints, now)]


def _deliveries(event_id: uuid.UUID, endpoints: list[int], now: dt.datetime) -> Query:
    return WebhookDelivery.insert(
        *(
            WebhookDelivery(
                key=uuid.uuid4(), endpoint=e, event=event_id, next_attempt_at=now, created_at=now
            )
            for e in endpoints
        )
    )


async def emit(
    kind: str,
    data: msgspec.Struct,
    *,
    now: dt.datetime,
    dedup: str | None = None,
    endpoints: list[int] | None = None,
) -> uuid.UUID | None:
    """Write the event ``kind`` and its deliveries; call inside the fact's transaction. With
    ``dedup`` an event already written under that key is not written again. Returns the event's
    id, or None when nothing was written."""
    endpoints = await subscribers(kind) if endpoints is None else endpoints
    if not endpoints:
        return None
    event_id = uuid.uuid4()
    event = WebhookEvent(
        id=event_id, kind=kind, dedup=dedup, body=body(kind, event_id, data, now), created_at=now
    )
    inserted = await (
        WebhookEvent.insert(event).on_conflict(action="DO NOTHING").returning(WebhookEvent.id)
    )
    if not inserted:
        return None
    await _deliveries(event_id, endpoints, now)
    return event_id


async def already_written(dedup_keys: list[str]) -> set[str]:
    """Which of these dedup keys have their event written already."""
    found: set[str] = set()
    for start in range(0, len(dedup_keys), 500):
        chunk = dedup_keys[start : start + 500]
        rows = await WebhookEvent.select(WebhookEvent.dedup).where(WebhookEvent.dedup.is_in(chunk))
        found |= {row["dedup"] for row in rows}
    return found


async def any_event() -> bool:
    """Whether any event is stored (a delivery always has one): something to prune."""
    return await WebhookEvent.exists()


DedupNeeded = Callable[[list[str]], Awaitable[set[str]]]
"""Given dedup keys, the ones whose fact could still be noticed again (their event must stay,
or it would be written twice)."""


PRUNE_BATCH = 500
"""Events looked at, and deleted, at a time: the first prune of a years-old table holds no more
than this in memory, nor the write lock longer than one batch's delete."""


async def prune(*, before: dt.datetime, needed: DedupNeeded) -> int:
    """Delete the events written before ``before`` that no delivery refers to any more, but
    those whose dedup key is still ``needed``, oldest first; how many."""
    pruned, after = 0, None
    while True:
        where = (WebhookEvent.created_at < before) & WebhookEvent.id.not_in(
            WebhookDelivery.select(WebhookDelivery.event)
        )
        if after is not None:
            where &= WebhookEvent.created_at > after
        orphans = await (
            WebhookEvent.select(WebhookEvent.id, WebhookEvent.dedup, WebhookEvent.created_at)
            .where(where)
            .order_by(WebhookEvent.created_at)
            .limit(PRUNE_BATCH)
        )
        keys = [row["dedup"] for row in orphans if row["dedup"] is not None]
        kept = await needed(keys) if keys else set()
        gone = [row["id"] for row in orphans if row["dedup"] is None or row["dedup"] not in kept]
        if gone:
            async with write_transaction():  # a delivery written since keeps its event
                await WebhookEvent.delete().where(
                    WebhookEvent.id.is_in(gone)
                    & WebhookEvent.id.not_in(WebhookDelivery.select(WebhookDelivery.event))
                )
        pruned += len(gone)
        if len(orphans) < PRUNE_BATCH:
            return pruned
        after = orphans[-1]["created_at"]  # (its equals left for the next hour's pass)
