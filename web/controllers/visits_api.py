"""JSON API for planned visits. Shoppers read their own visits and the open ones, and claim
open ones; head office reads all and plans. Branch managers get 403 everywhere: a planned visit
would tell them when a mystery shopper is coming."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter

from audits.org.users import CurrentUser
from audits.tables import Role
from audits.visits import selectors as visits_selectors
from audits.visits import services as visits_services
from audits.visits.schemas import (
    VisitCreate,
    VisitError,
    VisitFilters,
    VisitNotAllowed,
    VisitNotFound,
    VisitOut,
    VisitTaken,
)
from web.auth import requires_office, requires_role
from web.params import PathId

requires_visits = requires_role(Role.shopper, Role.office)
"""Shoppers, head office and admins; never branch managers."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def visit_error_status(error: VisitError) -> int:
    if isinstance(error, VisitNotFound):
        return 404
    return 409 if isinstance(error, VisitTaken | VisitNotAllowed) else 422


def _visit_error(_: Request[Any, Any, Any], error: VisitError) -> Response:
    status = visit_error_status(error)
    return Response({"status_code": status, "detail": str(error)}, status_code=status)


async def readable_visit(visit_id: int, user: CurrentUser) -> VisitOut:
    """The visit if the user may see it: head office any, a shopper their own or an open one;
    otherwise it does not exist for them."""
    visit = await visits_selectors.get_visit(visit_id, now())
    if user.is_office or visit.shopper in (None, user.username):
        return visit
    raise VisitNotFound(f"No visit {visit_id}.")


class VisitApiController(Controller):
    path = "/api/visits"
    tags = ["visits"]
    guards = [requires_visits]
    exception_handlers = {VisitError: _visit_error}

    @get("/")
    async def list_visits(
        self,
        user: NamedDependency[CurrentUser],
        open: FromQuery[bool] = False,
        branch: FromQuery[str | None] = None,
        shopper: FromQuery[str | None] = None,
        visit_state: Annotated[str | None, QueryParameter(name="state")] = None,
        start: FromQuery[dt.date | None] = None,
        end: FromQuery[dt.date | None] = None,
        plan: FromQuery[str | None] = None,
    ) -> list[VisitOut]:
        """The caller's visits (``open=true``: the open ones they may claim). Head office sees
        every visit and may filter by branch, shopper, state (``upcoming``, ``due``,
        ``overdue``, ``done``, ``cancelled``), window dates and plan."""
        if not user.is_office:
            if open:
                return await visits_selectors.list_open_visits(now())
            mine = VisitFilters(shopper_id=user.id, state=visit_state, start=start, end=end)
            return await visits_selectors.list_visits(mine, now())
        filters = VisitFilters(None, open, branch, shopper, visit_state, start, end, plan)
        return await visits_selectors.list_visits(filters, now())

    @get("/{visit_id:int}")
    async def get_visit(self, visit_id: PathId, user: NamedDependency[CurrentUser]) -> VisitOut:
        """One visit: a shopper's own or an open one; any for head office."""
        return await readable_visit(visit_id, user)

    @post("/", guards=[requires_office])
    async def create_visit(
        self, data: JSONBody[VisitCreate], user: NamedDependency[CurrentUser]
    ) -> VisitOut:
        """Plan one visit (head office). Without ``shopper`` it is open for shoppers to claim."""
        return await visits_services.create_visit(data, by=user.username, now=now())

    @post("/{visit_id:int}/claim", guards=[requires_role(Role.shopper)], status_code=200)
    async def claim(self, visit_id: PathId, user: NamedDependency[CurrentUser]) -> VisitOut:
        """Take an open visit. Of shoppers claiming at once, one wins; the others get 409."""
        return await visits_services.claim_visit(visit_id, user.id, now())

    @post("/{visit_id:int}/cancel", guards=[requires_office], status_code=200)
    async def cancel(self, visit_id: PathId) -> VisitOut:
        """Cancel a planned visit (head office); a done one answers 422."""
        return await visits_services.cancel_visit(visit_id, now())
