"""Admins manage webhook endpoints: register, change, pause, rotate the secret (shown once),
send a test, send failed deliveries again, delete; each endpoint's delivery log. The logic is
in ``audits.webhooks``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.webhooks import delivery
from audits.webhooks import rules as webhooks_rules
from audits.webhooks import selectors as webhooks_selectors
from audits.webhooks import services as webhooks_services
from audits.webhooks.schemas import (
    EndpointCreate,
    EndpointNotFound,
    EndpointOut,
    EndpointRejected,
    EndpointUpdate,
)
from web.auth import requires_admin
from web.deps import Page
from web.i18n import N_, translatable
from web.params import PathId


class EndpointForm(msgspec.Struct):
    url: str = ""
    description: str = ""
    events: list[str] | str = []
    active: str = ""

    @property
    def event_list(self) -> list[str]:
        return [self.events] if isinstance(self.events, str) else list(self.events)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _endpoint(endpoint_id: int) -> EndpointOut:
    try:
        return await webhooks_selectors.get_endpoint(endpoint_id)
    except EndpointNotFound as error:
        raise NotFoundException(str(error)) from None


def _context(page: Page, **extra: Any) -> dict[str, Any]:
    return {
        "page": page,
        "events": list(webhooks_rules.EVENTS),
        "EVENT_TEXT": webhooks_rules.EVENTS,
        "errors": {},
        "secret": None,
        **extra,
    }


async def _list_page(page: Page, status: int = 200, **extra: Any) -> Template:
    context = _context(page, endpoints=await webhooks_selectors.list_endpoints(), **extra)
    return Template("admin/webhooks.html", context=context, status_code=status)


async def _endpoint_page(page: Page, endpoint: EndpointOut, status: int = 200, **extra: Any):
    log = await webhooks_selectors.list_deliveries(endpoint.id)
    context = _context(page, endpoint=endpoint, deliveries=log, **extra)
    return Template("admin/webhook.html", context=context, status_code=status)


class AdminWebhooksController(Controller):
    path = "/admin/webhooks"
    include_in_schema = False
    guards = [requires_admin]

    @get("/")
    async def list_page(self, page: NamedDependency[Page]) -> Template:
        return await _list_page(page, form=EndpointForm(active="1"))

    @post("/")
    async def create(
        self, page: NamedDependency[Page], data: URLEncodedBody[EndpointForm]
    ) -> Template:
        """Shows the new endpoint's secret once, on this response only."""
        create = EndpointCreate(
            url=data.url,
            events=data.event_list,
            description=data.description,
            active=bool(data.active),
        )
        try:
            made = await webhooks_services.create_endpoint(create, now=_now())
        except EndpointRejected as error:
            return await _list_page(page, 422, form=data, errors=error.errors)
        return await _endpoint_page(page, made.endpoint, 201, secret=made.secret)

    @get("/{endpoint_id:int}")
    async def endpoint_page(self, page: NamedDependency[Page], endpoint_id: PathId) -> Template:
        endpoint = await _endpoint(endpoint_id)
        return await _endpoint_page(page, endpoint, form=None)

    @post("/{endpoint_id:int}")
    async def update(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        endpoint_id: PathId,
        data: URLEncodedBody[EndpointForm],
    ) -> Template | Redirect:
        endpoint = await _endpoint(endpoint_id)
        change = EndpointUpdate(
            url=data.url,
            events=data.event_list,
            description=data.description,
            active=bool(data.active),
        )
        try:
            await webhooks_services.update_endpoint(endpoint_id, change, now=_now())
        except EndpointRejected as error:
            return await _endpoint_page(page, endpoint, 422, form=data, errors=error.errors)
        flash(request, N_("The endpoint is saved."), "ok")
        return Redirect(f"/admin/webhooks/{endpoint_id}")

    @post("/{endpoint_id:int}/secret")
    async def rotate_secret(self, page: NamedDependency[Page], endpoint_id: PathId) -> Template:
        """Shows the new secret once, on this response only."""
        await _endpoint(endpoint_id)
        made = await webhooks_services.rotate_secret(endpoint_id, now=_now())
        return await _endpoint_page(page, made.endpoint, form=None, secret=made.secret)

    @post("/{endpoint_id:int}/test")
    async def send_test(self, request: Request[Any, Any, Any], endpoint_id: PathId) -> Redirect:
        await _endpoint(endpoint_id)
        delivery_id = await webhooks_services.queue_test(endpoint_id, now=_now())
        run = await delivery.deliver_due(now=_now(), only=delivery_id)
        if run.delivered:
            flash(request, N_("The test event was delivered."), "ok")
        else:
            flash(request, N_("The test event was not delivered: see the log below."), "error")
        return Redirect(f"/admin/webhooks/{endpoint_id}")

    @post("/{endpoint_id:int}/retry")
    async def retry_failed(self, request: Request[Any, Any, Any], endpoint_id: PathId) -> Redirect:
        await _endpoint(endpoint_id)
        queued = await webhooks_services.retry_failed(endpoint_id, now=_now())
        flash(
            request,
            translatable(N_("Deliveries to send again: %(count)s."), count=queued),
            "ok",
        )
        return Redirect(f"/admin/webhooks/{endpoint_id}")

    @post("/{endpoint_id:int}/delete")
    async def delete(self, request: Request[Any, Any, Any], endpoint_id: PathId) -> Redirect:
        endpoint = await _endpoint(endpoint_id)
        await webhooks_services.delete_endpoint(endpoint_id)
        flash(request, translatable(N_("Deleted the endpoint %(url)s."), url=endpoint.url), "ok")
        return Redirect("/admin/webhooks")
