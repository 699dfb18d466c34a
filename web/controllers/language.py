"""The language switcher: a small POST form in every page's footer (CSRF-protected), so that a
link or a prefetch can never change what is stored."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect

from audits.org.users import CurrentUser
from web.controllers.account import safe_next
from web.deps import choose_language


class LanguageForm(msgspec.Struct):
    lang: str = ""
    next: str = "/"


class LanguageController(Controller):
    include_in_schema = False

    @post("/language")
    async def switch(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser | None],
        data: URLEncodedBody[LanguageForm],
    ) -> Redirect:
        """Anyone, logged in or not: the session takes the choice, a user's profile too; back
        to the page the switch was made on."""
        await choose_language(request, user, data.lang)
        return Redirect(safe_next(data.next, "/"))
