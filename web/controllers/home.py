"""The start page: what needs each role now (``web.home_view``)."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from audits.tables import Role
from checklists import queries as checklist_queries
from web import home_view
from web.auth import requires_login
from web.deps import Page


class HomeController(Controller):
    include_in_schema = False
    guards = [requires_login]

    @get("/")
    async def home(self, page: NamedDependency[Page]) -> Template:
        user, now = page.viewer, dt.datetime.now(dt.UTC)
        if user.role is Role.shopper:
            context = await home_view.shopper_home(user, now)
            context["checklist_titles"] = await checklist_queries.checklist_titles()
        elif user.role is Role.manager:
            context = await home_view.manager_home(user, now, page.lang)
        elif user.role is Role.admin:
            context = await home_view.admin_home(user, now)
        else:
            context = await home_view.office_home(user, now)
        return Template(f"home/{user.role.value}.html", context={"page": page, **context})
