"""Admins manage users: list, create, change role, language and branches, deactivate,
reset a password, revoke tokens. The logic is in ``audits.org.people``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.org import organisation, people, tokens
from audits.org.fields import LANGUAGES
from audits.tables import Role
from web.auth import log_in, requires_admin
from web.deps import Page
from web.i18n import N_, translatable


class UserForm(msgspec.Struct):
    username: str = ""
    password: str = ""
    role: str = ""
    language: str = ""
    branches: list[str] | str = []

    @property
    def branch_codes(self) -> list[str]:
        return [self.branches] if isinstance(self.branches, str) else list(self.branches)


class ActiveForm(msgspec.Struct):
    active: str = ""


class ResetForm(msgspec.Struct):
    new_password: str = ""


async def _user(user_id: int) -> people.UserRow:
    try:
        return await people.get_user(user_id)
    except people.UserNotFound as error:
        raise NotFoundException(str(error)) from None


async def _form_context(page: Page, **extra: Any) -> dict[str, Any]:
    return {
        "page": page,
        "roles": [r.value for r in Role],
        "languages": LANGUAGES,
        "branches": await organisation.list_branches(),
        "errors": {},
        **extra,
    }


class AdminUsersController(Controller):
    path = "/admin/users"
    include_in_schema = False
    guards = [requires_admin]

    @get("/")
    async def list_page(self, page: NamedDependency[Page]) -> Template:
        context = {"page": page, "users": await people.list_users()}
        return Template("admin/users.html", context=context)

    @get("/new")
    async def new_page(self, page: NamedDependency[Page]) -> Template:
        context = await _form_context(page, form=UserForm(role="shopper"))
        return Template("admin/user_new.html", context=context)

    @post("/new")
    async def create(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[UserForm],
    ) -> Template | Redirect:
        try:
            created = await people.add_user(
                data.username, data.password, data.role, data.language, data.branch_codes
            )
        except people.PeopleError as error:
            context = await _form_context(page, form=data, errors={error.field: str(error)})
            return Template("admin/user_new.html", context=context, status_code=422)
        flash(
            request,
            translatable(
                N_("Created %(username)s (%(role)s)."),
                username=created.username,
                role=created.role.value,
            ),
            "ok",
        )
        return Redirect(f"/admin/users/{created.id}")

    @get("/{user_id:int}")
    async def edit_page(self, page: NamedDependency[Page], user_id: FromPath[int]) -> Template:
        user = await _user(user_id)
        context = await _form_context(
            page, user=user, tokens=await tokens.list_tokens(user_id), form=None
        )
        return Template("admin/user_edit.html", context=context)

    @post("/{user_id:int}")
    async def update(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        user_id: FromPath[int],
        data: URLEncodedBody[UserForm],
    ) -> Template | Redirect:
        user = await _user(user_id)
        assert page.user is not None
        try:
            await people.update_user(
                user_id, data.role, data.language, data.branch_codes, by=page.user
            )
        except people.PeopleError as error:
            context = await _form_context(
                page,
                user=user,
                tokens=await tokens.list_tokens(user_id),
                form=data,
                errors={error.field: str(error)},
            )
            return Template("admin/user_edit.html", context=context, status_code=422)
        flash(request, translatable(N_("Saved %(username)s."), username=user.username), "ok")
        return Redirect(f"/admin/users/{user_id}")

    @post("/{user_id:int}/active")
    async def set_active(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        user_id: FromPath[int],
        data: URLEncodedBody[ActiveForm],
    ) -> Redirect:
        user = await _user(user_id)
        assert page.user is not None
        try:
            await people.set_active(user_id, bool(data.active), by=page.user)
            done = (
                N_("%(username)s is reactivated.")
                if data.active
                else N_("%(username)s is deactivated.")
            )
            flash(request, translatable(done, username=user.username), "ok")
        except people.PeopleError as error:
            flash(request, str(error), "error")
        return Redirect(f"/admin/users/{user_id}")

    @post("/{user_id:int}/password")
    async def reset_password(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        user_id: FromPath[int],
        data: URLEncodedBody[ResetForm],
    ) -> Redirect:
        assert page.user is not None
        user = await _user(user_id)
        try:
            await people.reset_password(user_id, data.new_password)
            if user_id == page.user.id:  # the admin's own sessions ended too; keep this one
                await log_in(request, user_id)
            flash(
                request,
                translatable(N_("%(username)s's password is reset."), username=user.username),
                "ok",
            )
        except people.PeopleError as error:
            flash(request, translatable(N_("Password not reset: %(error)s"), error=error), "error")
        return Redirect(f"/admin/users/{user_id}")
