"""Webhook endpoints written by admins: register, change, rotate the secret, delete, send a
test, send failed deliveries again. Every field is checked before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns import Column

from audits.db.write_lock import write_transaction
from audits.tables import WebhookDelivery, WebhookEndpoint
from audits.webhooks import outbox, rules
from audits.webhooks import selectors as webhooks_selectors
from audits.webhooks.schemas import (
    EndpointCreate,
    EndpointNotFound,
    EndpointOut,
    EndpointRejected,
    EndpointSecret,
    EndpointUpdate,
    TestData,
)


def _checked(url: str, events: list[str], description: str) -> tuple[str, list[str], str]:
    url, description = url.strip(), description.strip()
    events = sorted(set(events))
    errors = {}
    if problem := rules.url_problem(url):
        errors["url"] = problem
    if problem := rules.events_problem(events):
        errors["events"] = problem
    if len(description) > rules.MAX_DESCRIPTION:
        errors["description"] = f"At most {rules.MAX_DESCRIPTION} characters."
    if errors:
        raise EndpointRejected(errors)
    return url, events, description


async def create_endpoint(data: EndpointCreate, *, now: dt.datetime) -> EndpointSecret:
    """Register an endpoint; the answer carries its secret, which nothing shows again."""
    url, events, description = _checked(data.url, data.events, data.description)
    secret = rules.new_secret()
    row = WebhookEndpoint(
        url=url,
        events=events,
        description=description,
        active=data.active,
        secret=secret,
        created_at=now,
        updated_at=now,
    )
    async with write_transaction():
        inserted = await WebhookEndpoint.insert(row).returning(WebhookEndpoint.id)
    endpoint = await webhooks_selectors.get_endpoint(inserted[0]["id"])
    return EndpointSecret(endpoint=endpoint, secret=secret)


async def update_endpoint(
    endpoint_id: int, data: EndpointUpdate, *, now: dt.datetime
) -> EndpointOut:
    """Change what is given; a reactivated endpoint's waiting deliveries go out again."""
    current = await webhooks_selectors.get_endpoint(endpoint_id)
    url, events, description = _checked(
        current.url if data.url is msgspec.UNSET else data.url,
        current.events if data.events is msgspec.UNSET else data.events,
        current.description if data.description is msgspec.UNSET else data.description,
    )
    active = current.active if data.active is msgspec.UNSET else data.active
    values: dict[Column | str, Any] = {
        WebhookEndpoint.url: url,
        WebhookEndpoint.events: events,
        WebhookEndpoint.description: description,
        WebhookEndpoint.active: active,
        WebhookEndpoint.updated_at: now,
    }
    async with write_transaction():
        await WebhookEndpoint.update(values).where(WebhookEndpoint.id == endpoint_id)
    return await webhooks_selectors.get_endpoint(endpoint_id)


async def rotate_secret(endpoint_id: int, *, now: dt.datetime) -> EndpointSecret:
    """A new secret, in force at once (deliveries still waiting are signed with it)."""
    secret = rules.new_secret()
    async with write_transaction():
        changed = await (
            WebhookEndpoint.update(
                {WebhookEndpoint.secret: secret, WebhookEndpoint.updated_at: now}
            )
            .where(WebhookEndpoint.id == endpoint_id)
            .returning(WebhookEndpoint.id)
        )
    if not changed:
        raise EndpointNotFound(f"No webhook endpoint {endpoint_id}.")
    return EndpointSecret(
        endpoint=await webhooks_selectors.get_endpoint(endpoint_id), secret=secret
    )


async def delete_endpoint(endpoint_id: int) -> None:
    """Delete an endpoint and its delivery log (events other endpoints wait for stay)."""
    async with write_transaction():
        deleted = await (
            WebhookEndpoint.delete()
            .where(WebhookEndpoint.id == endpoint_id)
            .returning(WebhookEndpoint.id)
        )
    if not deleted:
        raise EndpointNotFound(f"No webhook endpoint {endpoint_id}.")


async def queue_test(endpoint_id: int, *, now: dt.datetime) -> int:
    """A ``webhook.test`` event for this endpoint alone, active or not; returns its delivery's
    id for the caller to send at once."""
    await webhooks_selectors.get_endpoint(endpoint_id)
    data = TestData(message="A test from Evenly's admin page.", endpoint_id=endpoint_id)
    async with write_transaction():
        event_id = await outbox.emit(rules.TEST_EVENT, data, now=now, endpoints=[endpoint_id])
    row = (
        await WebhookDelivery.select(WebhookDelivery.id)
        .where(WebhookDelivery.event == event_id)
        .first()
    )
    assert row is not None
    return row["id"]


async def retry_failed(endpoint_id: int, *, now: dt.datetime) -> int:
    """Send the endpoint's given-up deliveries again, from a fresh count; returns how many."""
    await webhooks_selectors.get_endpoint(endpoint_id)
    async with write_transaction():
        rows = await (
            WebhookDelivery.update(
                {
                    WebhookDelivery.status: "pending",
                    WebhookDelivery.attempts: 0,
                    WebhookDelivery.next_attempt_at: now,
                }
            )
            .where(WebhookDelivery.endpoint == endpoint_id, WebhookDelivery.status == "failed")
            .returning(WebhookDelivery.id)
        )
    return len(rows)
