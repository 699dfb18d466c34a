"""The logged-in user's own account: password change and API tokens."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.org import people, tokens
from web.auth import log_in, requires_any_role
from web.deps import Page
from web.i18n import N_


class PasswordForm(msgspec.Struct):
    current_password: str = ""
    new_password: str = ""
    confirm_password: str = ""


class TokenForm(msgspec.Struct):
    name: str = ""


class RevokeForm(msgspec.Struct):
    next: str = "/account/tokens"


def safe_next(target: str, default: str) -> str:
    """Only redirect within this site (no ``//host`` or absolute URLs)."""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if local else default


class AccountController(Controller):
    path = "/account"
    include_in_schema = False
    guards = [requires_any_role]  # each user's own account

    @get("/password")
    async def password_page(self, page: NamedDependency[Page]) -> Template:
        return Template("account/password.html", context={"page": page, "errors": {}})

    @post("/password")
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[PasswordForm],
    ) -> Template | Redirect:
        assert page.user is not None
        try:
            if data.new_password != data.confirm_password:
                raise people.PeopleError("The two new passwords differ.", "confirm_password")
            await people.change_password(page.user.id, data.current_password, data.new_password)
        except people.PeopleError as error:
            context = {"page": page, "errors": {error.field: str(error)}}
            return Template("account/password.html", context=context, status_code=422)
        await log_in(request, page.user.id)  # every session ended; this browser gets a new one
        flash(request, N_("Your password is changed."), "ok")
        return Redirect("/account/password")

    @get("/tokens")
    async def tokens_page(self, page: NamedDependency[Page]) -> Template:
        assert page.user is not None
        context = {"page": page, "tokens": await tokens.list_tokens(page.user.id), "new": None}
        return Template("account/tokens.html", context=context)

    @post("/tokens")
    async def create_token(
        self, page: NamedDependency[Page], data: URLEncodedBody[TokenForm]
    ) -> Template:
        """Shows the new token once, on this response only."""
        assert page.user is not None
        new = await tokens.create_token(page.user.username, data.name)
        context = {"page": page, "tokens": await tokens.list_tokens(page.user.id), "new": new}
        return Template("account/tokens.html", context=context, status_code=201)

    @post("/tokens/{token_id:int}/revoke")
    async def revoke_token(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        token_id: FromPath[int],
        data: URLEncodedBody[RevokeForm],
    ) -> Redirect:
        """Owners revoke their own tokens, admins anyone's (from the user's admin page)."""
        assert page.user is not None
        try:
            await tokens.revoke_token(token_id, page.user)
        except people.PeopleError as error:
            raise NotFoundException(str(error)) from None
        flash(request, N_("The token is revoked."), "ok")
        return Redirect(safe_next(data.next, "/account/tokens"))
