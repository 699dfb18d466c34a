"""Log in and out: a new session per login, ended at logout (login attempts are rate-limited
in ``web.app``)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.org.users import authenticate
from web.auth import log_in, log_out
from web.deps import Page
from web.i18n import N_


class LoginForm(msgspec.Struct):
    username: str = ""
    password: str = ""
    next: FromQuery[str] = "/"


def _safe_next(target: str) -> str:
    """Only redirect within this site (no ``//host`` or absolute URLs)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


class AuthController(Controller):
    include_in_schema = False

    @get("/login")
    async def login_page(self, page: NamedDependency[Page], next: FromQuery[str] = "/") -> Template:
        return Template("login.html", context={"page": page, "next": _safe_next(next)})

    @post("/login")
    async def login(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[LoginForm],
    ) -> Template | Redirect:
        user_id = await authenticate(data.username.strip(), data.password)
        if user_id is None:
            return Template(
                "login.html",
                context={
                    "page": page,
                    "next": _safe_next(data.next),
                    "username": data.username,
                    "error": N_("Wrong username or password."),
                },
                status_code=401,
            )
        await log_in(request, user_id)
        return Redirect(_safe_next(data.next))

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        await log_out(request)
        flash(request, N_("You are logged out."), category="info")
        return Redirect("/login")
