"""JSON API for webhooks, admins only: the events and their bodies, endpoints registered,
changed, rotated and deleted, a test sent, the delivery log. The logic is in
``audits.webhooks``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import JSONBody

from audits.webhooks import delivery
from audits.webhooks import rules as webhooks_rules
from audits.webhooks import selectors as webhooks_selectors
from audits.webhooks import services as webhooks_services
from audits.webhooks.examples import example_bodies
from audits.webhooks.schemas import (
    DeliveryOut,
    EndpointCreate,
    EndpointNotFound,
    EndpointOut,
    EndpointRejected,
    EndpointSecret,
    EndpointUpdate,
    EventBody,
    EventType,
    WebhookError,
)
from web.auth import requires_admin
from web.params import PathId


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _webhook_error(_: Request[Any, Any, Any], error: WebhookError) -> Response:
    if isinstance(error, EndpointNotFound):
        return Response({"status_code": 404, "detail": str(error)}, status_code=404)
    errors = error.errors if isinstance(error, EndpointRejected) else {}
    body = {
        "status_code": 422,
        "detail": str(error),
        "errors": [{"key": k, "message": v} for k, v in errors.items()],
    }
    return Response(body, status_code=422)


class WebhookApiController(Controller):
    path = "/api/webhooks"
    tags = ["webhooks"]
    guards = [requires_admin]
    exception_handlers = {WebhookError: _webhook_error}

    @get("/events", sync_to_thread=False)
    def events(self) -> list[EventType]:
        """The events an endpoint may subscribe to."""
        return [EventType(type=k, description=v) for k, v in webhooks_rules.EVENTS.items()]

    @get("/events/examples", sync_to_thread=False)
    def event_examples(self) -> list[EventBody]:
        """One example of every body Evenly POSTs, told apart by ``type`` (the schema of each
        is in this document's components). No event names a person."""
        return example_bodies()

    @get("/")
    async def list_endpoints(self) -> list[EndpointOut]:
        return await webhooks_selectors.list_endpoints()

    @post("/")
    async def create_endpoint(self, data: JSONBody[EndpointCreate]) -> EndpointSecret:
        """Register an endpoint; the answer carries its signing secret, shown only this once."""
        return await webhooks_services.create_endpoint(data, now=_now())

    @get("/{endpoint_id:int}")
    async def get_endpoint(self, endpoint_id: PathId) -> EndpointOut:
        return await webhooks_selectors.get_endpoint(endpoint_id)

    @patch("/{endpoint_id:int}")
    async def update_endpoint(
        self, endpoint_id: PathId, data: JSONBody[EndpointUpdate]
    ) -> EndpointOut:
        """Change the fields given (``active: false`` pauses deliveries; they wait)."""
        return await webhooks_services.update_endpoint(endpoint_id, data, now=_now())

    @delete("/{endpoint_id:int}")
    async def delete_endpoint(self, endpoint_id: PathId) -> None:
        await webhooks_services.delete_endpoint(endpoint_id)

    @post("/{endpoint_id:int}/secret")
    async def rotate_secret(self, endpoint_id: PathId) -> EndpointSecret:
        """A new secret in force at once, shown only this once."""
        return await webhooks_services.rotate_secret(endpoint_id, now=_now())

    @post("/{endpoint_id:int}/test")
    async def send_test(self, endpoint_id: PathId) -> DeliveryOut:
        """Send a ``webhook.test`` event now; answers with its delivery as it stands."""
        delivery_id = await webhooks_services.queue_test(endpoint_id, now=_now())
        await delivery.deliver_due(now=_now(), only=delivery_id)
        log = await webhooks_selectors.list_deliveries(endpoint_id, limit=50)
        return next(d for d in log if d.id == delivery_id)

    @post("/{endpoint_id:int}/retry")
    async def retry_failed(self, endpoint_id: PathId) -> dict[str, int]:
        """Send the deliveries that were given up on again."""
        return {"queued": await webhooks_services.retry_failed(endpoint_id, now=_now())}

    @get("/{endpoint_id:int}/deliveries")
    async def deliveries(self, endpoint_id: PathId) -> list[DeliveryOut]:
        """The endpoint's last 50 deliveries, newest first."""
        return await webhooks_selectors.list_deliveries(endpoint_id)
