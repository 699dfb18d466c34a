"""Head office's page of scheduled reports: who gets which report how often, a form to
subscribe someone, a button to stop, and what was sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.boundary.bounds import Id
from audits.org import organisation, people
from audits.subscriptions import selectors as subscriptions_selectors
from audits.subscriptions import services as subscriptions_services
from audits.subscriptions.schemas import (
    FieldProblem,
    SubscriptionCreate,
    SubscriptionNotFound,
    SubscriptionRejected,
)
from web.auth import requires_office
from web.deps import Page
from web.i18n import N_


class SubscriptionForm(msgspec.Struct):
    username: str = ""
    kind: str = "branch"
    branch: str = ""
    cadence: str = "monthly"


async def _context(page: Page, form: SubscriptionForm, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "page": page,
        "form": form,
        "errors": errors,
        "subscriptions": await subscriptions_selectors.list_subscriptions(),
        "deliveries": await subscriptions_selectors.list_deliveries(limit=50),
        "users": [u for u in await people.list_users() if u.active and u.role.value != "shopper"],
        "branches": await organisation.list_branches(),
    }


def _create(form: SubscriptionForm) -> SubscriptionCreate:
    try:
        return msgspec.convert(
            {
                "username": form.username,
                "kind": form.kind,
                "branch": form.branch or None,
                "cadence": "approval" if form.kind == "visits" else form.cadence,
            },
            SubscriptionCreate,
        )
    except msgspec.ValidationError as error:
        named = re.search(r"\$\.(\w+)", str(error))
        field = named[1] if named else ""
        raise SubscriptionRejected([FieldProblem(field, str(error))]) from None


class SubscriptionPagesController(Controller):
    path = "/admin/subscriptions"
    include_in_schema = False
    guards = [requires_office]

    @get("/")
    async def subscriptions_page(self, page: NamedDependency[Page]) -> Template:
        context = await _context(page, SubscriptionForm(), {})
        return Template("admin/subscriptions.html", context=context)

    @post("/")
    async def subscribe(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[SubscriptionForm],
    ) -> Template | Redirect:
        assert page.user is not None  # the guard let in head office only
        try:
            await subscriptions_services.subscribe(
                _create(data), page.user, dt.datetime.now(dt.UTC)
            )
        except SubscriptionRejected as error:
            errors = {e.key: e.message for e in error.errors}
            context = await _context(page, data, errors)
            return Template("admin/subscriptions.html", context=context, status_code=422)
        flash(request, N_("Subscribed: the report will arrive by e-mail."), "ok")
        return Redirect("/admin/subscriptions")

    @post("/{subscription_id:int}/stop")
    async def stop(
        self, request: Request[Any, Any, Any], subscription_id: FromPath[Id]
    ) -> Redirect:
        try:
            await subscriptions_services.stop(subscription_id)
        except SubscriptionNotFound as error:
            raise NotFoundException(str(error)) from None
        flash(request, N_("Stopped: no more e-mails of this report."), "ok")
        return Redirect("/admin/subscriptions")
