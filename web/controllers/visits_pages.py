"""Visit pages: a shopper's "my visits" (their start page: overdue, due, upcoming, done, and
open visits to claim); head office's list, a form for one visit, and cancelling. Branch
managers get 403 (see ``visits_api``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, QueryParameter, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.boundary.bounds import date_problem
from audits.tables import Channel, Role
from audits.visits import selectors as visits_selectors
from audits.visits import services as visits_services
from audits.visits.schemas import VisitCreate, VisitError, VisitFilters, VisitNotFound
from checklists import queries
from web.auth import requires_office, requires_role
from web.controllers.visits_api import now, requires_visits, visit_error_status
from web.deps import Page
from web.i18n import N_, translatable

GROUPS = ("overdue", "due", "upcoming", "done")


class VisitForm(msgspec.Struct):
    branch: str = ""
    checklist: str = ""
    channel: str = Channel.in_person.value
    window_start: str = ""
    window_end: str = ""
    shift: str = ""
    shopper: str = ""


def _date(value: str, field: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise VisitError(f"{field}: give a date (YYYY-MM-DD).") from None
    if problem := date_problem(day):
        raise VisitError(f"{field}: {problem}")
    return day


async def form_choices() -> dict[str, Any]:
    """What the planning forms offer: branches, shifts, shoppers, checklists, channels."""
    branches, shifts, shoppers = await visits_selectors.planning_inputs()
    checklists = [c for c in await queries.list_checklists(include_retired=False)]
    return {
        "branches": [b.code for b in branches],
        "shifts": sorted({s.name for s in shifts}),
        "shoppers": [s.name for s in shoppers],
        "checklists": [c.slug for c in checklists if c.published],
        "channels": [c.value for c in Channel],
    }


def _page_error(error: VisitError) -> HTTPException:
    return HTTPException(status_code=visit_error_status(error), detail=str(error))


class VisitPagesController(Controller):
    path = "/visits"
    include_in_schema = False
    guards = [requires_visits]

    @get("/mine")
    async def mine(self, page: NamedDependency[Page]) -> Template:
        """The shopper's visits by state, and the open visits they may claim."""
        assert page.user is not None
        own = await visits_selectors.list_visits(VisitFilters(shopper_id=page.user.id), now())
        groups = {name: [v for v in own if v.state == name] for name in GROUPS}
        groups["done"].reverse()  # the latest first
        context = {
            "page": page,
            "groups": groups,
            "open": await visits_selectors.list_open_visits(now()),
            "checklist_titles": await queries.checklist_titles(),
        }
        return Template("visits/mine.html", context=context)

    @post("/{visit_id:int}/claim", guards=[requires_role(Role.shopper)])
    async def claim(
        self, request: Request[Any, Any, Any], page: NamedDependency[Page], visit_id: FromPath[int]
    ) -> Redirect:
        assert page.user is not None
        try:
            visit = await visits_services.claim_visit(visit_id, page.user.id, now())
            flash(
                request,
                translatable(
                    N_("The visit to %(branch_name)s on %(window_start)s is yours."),
                    branch_name=visit.branch_name,
                    window_start=visit.window_start,
                ),
                "ok",
            )
        except VisitNotFound as error:
            raise _page_error(error) from None
        except VisitError as error:
            flash(request, str(error), "error")
        return Redirect("/visits/mine")

    @get("/", guards=[requires_office])
    async def list_page(
        self,
        page: NamedDependency[Page],
        branch: FromQuery[str | None] = None,
        visit_state: Annotated[str | None, QueryParameter(name="state")] = None,
        plan: FromQuery[str | None] = None,
    ) -> Template:
        filters = VisitFilters(branch=branch or None, state=visit_state or None, plan=plan or None)
        context = {
            "page": page,
            "visits": await visits_selectors.list_visits(filters, now()),
            "filters": filters,
            "states": ("upcoming", "due", "overdue", "done", "cancelled"),
            **await form_choices(),
        }
        return Template("visits/list.html", context=context)

    @get("/new", guards=[requires_office])
    async def new_page(self, page: NamedDependency[Page]) -> Template:
        context = {"page": page, "form": VisitForm(), "error": None, **await form_choices()}
        return Template("visits/new.html", context=context)

    @post("/new", guards=[requires_office])
    async def create(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[VisitForm],
    ) -> Template | Redirect:
        assert page.user is not None
        try:
            start = _date(data.window_start, "Window start")
            end = _date(data.window_end, "Window end") if data.window_end else None
            create = VisitCreate(
                data.branch,
                data.checklist,
                start,
                end,
                data.shift or None,
                data.shopper or None,
                data.channel,
            )
            visit = await visits_services.create_visit(create, by=page.user.username, now=now())
        except VisitError as error:
            context = {"page": page, "form": data, "error": str(error), **await form_choices()}
            return Template("visits/new.html", context=context, status_code=422)
        who = visit.shopper or "open to claim"
        flash(
            request,
            translatable(
                N_("Planned a visit to %(branch)s on %(window_start)s (%(who)s)."),
                branch=visit.branch,
                window_start=visit.window_start,
                who=who,
            ),
            "ok",
        )
        return Redirect(f"/visits?branch={visit.branch}")

    @post("/{visit_id:int}/cancel", guards=[requires_office])
    async def cancel(self, request: Request[Any, Any, Any], visit_id: FromPath[int]) -> Redirect:
        try:
            visit = await visits_services.cancel_visit(visit_id, now())
            flash(
                request,
                translatable(
                    N_("Cancelled the visit to %(branch)s on %(window_start)s."),
                    branch=visit.branch,
                    window_start=visit.window_start,
                ),
                "ok",
            )
        except VisitNotFound as error:
            raise _page_error(error) from None
        except VisitError as error:
            flash(request, str(error), "error")
        return Redirect("/visits")
