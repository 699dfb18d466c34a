"""JSON API of scheduled reports (head office): subscribe people to reports, stop a
subscription, read the delivery log. The rules are ``audits.subscriptions``."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from audits.boundary.bounds import Id
from audits.org.users import CurrentUser
from audits.subscriptions import selectors as subscriptions_selectors
from audits.subscriptions import services as subscriptions_services
from audits.subscriptions.schemas import DeliveryOut, SubscriptionCreate, SubscriptionOut
from web.auth import requires_office


class SubscriptionApiController(Controller):
    path = "/api/report-subscriptions"
    tags = ["scheduled reports"]
    guards = [requires_office]

    @get("/")
    async def list_subscriptions(self) -> list[SubscriptionOut]:
        """Every subscription, active first; each reader's language is their profile's."""
        return await subscriptions_selectors.list_subscriptions()

    @post("/", status_code=201)
    async def subscribe(
        self, user: NamedDependency[CurrentUser], data: JSONBody[SubscriptionCreate]
    ) -> SubscriptionOut:
        """Subscribe a user to a report: ``branch`` (one branch, or without ``branch`` each
        branch the manager manages) or ``headoffice`` (head office only), weekly or monthly;
        ``visits``: each approved visit of the manager's branch(es), without the shopper.
        422 names the fields that are wrong."""
        return await subscriptions_services.subscribe(data, user, dt.datetime.now(dt.UTC))

    @post("/{subscription_id:int}/stop", status_code=200)
    async def stop(self, subscription_id: FromPath[Id]) -> SubscriptionOut:
        """Stop sending; the subscription and its log stay. 404 for no such subscription."""
        return await subscriptions_services.stop(subscription_id)

    @get("/deliveries")
    async def deliveries(self) -> list[DeliveryOut]:
        """What was sent, to whom and for which period, newest first (200 at most)."""
        return await subscriptions_selectors.list_deliveries()
