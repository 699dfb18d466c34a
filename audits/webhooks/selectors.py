"""Webhook endpoints and their delivery log as admins read them (never a secret)."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from audits.tables import WebhookDelivery, WebhookEndpoint
from audits.webhooks.schemas import DeliveryOut, EndpointNotFound, EndpointOut

_COLUMNS = (
    WebhookEndpoint.id,
    WebhookEndpoint.url,
    WebhookEndpoint.description,
    WebhookEndpoint.events,
    WebhookEndpoint.active,
    WebhookEndpoint.created_at,
)


def _events(value: Any) -> list[str]:
    return msgspec.json.decode(value) if isinstance(value, str) else list(value or [])


async def _counts(endpoint_ids: list[int]) -> dict[tuple[int, str], int]:
    if not endpoint_ids:
        return {}
    rows = await (
        WebhookDelivery.select(WebhookDelivery.endpoint, WebhookDelivery.status, Count())
        .where(
            WebhookDelivery.endpoint.is_in(endpoint_ids),
            WebhookDelivery.status.is_in(["pending", "failed"]),
        )
        .group_by(WebhookDelivery.endpoint, WebhookDelivery.status)
    )
    return {(r["endpoint"], r["status"]): r["count"] for r in rows}


def _out(row: dict, counts: dict[tuple[int, str], int]) -> EndpointOut:
    return EndpointOut(
        id=row["id"],
        url=row["url"],
        description=row["description"],
        events=_events(row["events"]),
        active=row["active"],
        created_at=row["created_at"],
        pending=counts.get((row["id"], "pending"), 0),
        failed=counts.get((row["id"], "failed"), 0),
    )


async def list_endpoints() -> list[EndpointOut]:
    rows = await WebhookEndpoint.select(*_COLUMNS).order_by(WebhookEndpoint.id)
    counts = await _counts([r["id"] for r in rows])
    return [_out(row, counts) for row in rows]


async def get_endpoint(endpoint_id: int) -> EndpointOut:
    row = await WebhookEndpoint.select(*_COLUMNS).where(WebhookEndpoint.id == endpoint_id).first()
    if row is None:
        raise EndpointNotFound(f"No webhook endpoint {endpoint_id}.")
    return _out(row, await _counts([endpoint_id]))


async def list_deliveries(endpoint_id: int, *, limit: int = 50) -> list[DeliveryOut]:
    """The endpoint's delivery log, newest first."""
    await get_endpoint(endpoint_id)
    rows = await (
        WebhookDelivery.select(
            *WebhookDelivery.all_columns(exclude=[WebhookDelivery.claimed_until]),
            WebhookDelivery.event.kind.as_alias("kind"),
        )
        .where(WebhookDelivery.endpoint == endpoint_id)
        .order_by(WebhookDelivery.id, ascending=False)
        .limit(limit)
    )
    return [
        DeliveryOut(
            id=r["id"],
            key=r["key"],
            event_id=r["event"],
            event=r["kind"],
            status=r["status"],
            attempts=r["attempts"],
            next_attempt_at=r["next_attempt_at"],
            last_status=r["last_status"],
            last_error=r["last_error"],
            created_at=r["created_at"],
            delivered_at=r["delivered_at"],
        )
        for r in rows
    ]
