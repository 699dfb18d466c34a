"""Admins export everything stored about a person and erase a person's personal data (their
audits keep their scores). The logic is in ``audits.privacy``."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.privacy import selectors as privacy_selectors
from audits.privacy import services as privacy_services
from web.auth import requires_admin
from web.deps import Page
from web.i18n import N_, translatable

HOME = "/admin/personal-data"


class EraseForm(msgspec.Struct):
    reason: str = ""
    confirm: str = ""  # the username or staff code, typed again


def _download(document: dict[str, Any], name: str) -> Response[bytes]:
    body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
    )


async def _staff_id(branch: str, code: str) -> int:
    try:
        return await privacy_selectors.staff_id_for(branch, code)
    except privacy_selectors.PersonNotFound as error:
        raise NotFoundException(str(error)) from None


class AdminPrivacyController(Controller):
    path = HOME
    include_in_schema = False
    guards = [requires_admin]

    @get("/")
    async def trail_page(self, page: NamedDependency[Page]) -> Template:
        context = {"page": page, "erasures": await privacy_selectors.erasures()}
        return Template("admin/personal_data.html", context=context)

    @get("/users/{user_id:int}")
    async def user_export(self, user_id: FromPath[int]) -> Response[bytes]:
        try:
            document = await privacy_selectors.user_data(user_id)
        except privacy_selectors.PersonNotFound as error:
            raise NotFoundException(str(error)) from None
        return _download(document, f"personal-data-{document['account']['username']}")

    @get("/staff/{branch:str}/{staff:str}")
    async def staff_export(self, branch: FromPath[str], staff: FromPath[str]) -> Response[bytes]:
        document = await privacy_selectors.staff_data(await _staff_id(branch, staff))
        return _download(document, f"personal-data-{branch}-{staff}")

    @post("/users/{user_id:int}/erase")
    async def erase_user(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        user_id: FromPath[int],
        data: URLEncodedBody[EraseForm],
    ) -> Redirect:
        try:
            document = await privacy_selectors.user_data(user_id)
        except privacy_selectors.PersonNotFound as error:
            raise NotFoundException(str(error)) from None
        username = document["account"]["username"]
        back = f"/admin/users/{user_id}"
        if data.confirm.strip() != username:
            flash(request, N_("Type the username again to confirm the erasure."), "error")
            return Redirect(back)
        try:
            pseudonym = await privacy_services.erase_user(user_id, by=page.user, reason=data.reason)
        except privacy_services.ErasureRefused as error:
            flash(request, str(error), "error")  # a msgid: translated where it is shown
            return Redirect(back)
        done = N_("%(who)s's personal data is erased; the account is now %(pseudonym)s.")
        flash(request, translatable(done, who=username, pseudonym=pseudonym), "ok")
        return Redirect(HOME)

    @post("/staff/{branch:str}/{staff:str}/erase")
    async def erase_staff(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        branch: FromPath[str],
        staff: FromPath[str],
        data: URLEncodedBody[EraseForm],
    ) -> Redirect:
        staff_id = await _staff_id(branch, staff)
        back = f"/admin/org/branches/{branch}"
        if data.confirm.strip() != staff:
            flash(request, N_("Type the staff code again to confirm the erasure."), "error")
            return Redirect(back)
        try:
            pseudonym = await privacy_services.erase_staff(
                staff_id, by=page.user, reason=data.reason
            )
        except privacy_services.ErasureRefused as error:
            flash(request, str(error), "error")  # a msgid: translated where it is shown
            return Redirect(back)
        done = N_("%(who)s's personal data is erased; the staff member is now %(pseudonym)s.")
        flash(request, translatable(done, who=f"{branch}/{staff}", pseudonym=pseudonym), "ok")
        return Redirect(HOME)
