"""The start page: where each role begins."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from web.auth import requires_login
from web.deps import Page


class HomeController(Controller):
    include_in_schema = False
    guards = [requires_login]

    @get("/")
    async def home(self, page: NamedDependency[Page]) -> Template | Redirect:
        if page.user and page.user.is_office:
            return Redirect("/checklists")
        if page.user and page.user.role.value == "shopper":
            return Redirect("/visits/mine")
        return Template("home.html", context={"page": page})
