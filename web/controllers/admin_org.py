"""Admins manage the organisation: settings, regions, branches, shifts, staff, and CSV
imports of branches, staff and shifts. The logic is in ``audits.org.organisation`` and
``audits.org.org_import``."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, MultipartBody, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.org import org_import, organisation
from audits.org.csv_files import KINDS, OrgCsvError
from audits.org.fields import LANGUAGES
from web.auth import requires_admin
from web.controllers.account import safe_next
from web.deps import Page
from web.i18n import N_, translatable

MAX_CSV = 5_000_000
"""Bytes; ten thousand staff rows are about 400 kB."""


class SettingsForm(msgspec.Struct):
    name: str = ""
    default_language: str = "en"
    staff_codes_only: str = ""
    min_visit_minutes: str = "4"


class RegionForm(msgspec.Struct):
    code: str = ""
    name: str = ""


class BranchForm(msgspec.Struct):
    code: str = ""
    name: str = ""
    region: str = ""
    timezone: str = "UTC"
    address: str = ""
    latitude: str = ""
    longitude: str = ""
    active: str = ""  # a checkbox: absent when unticked


class ShiftNamesForm(msgspec.Struct):
    """A shift's name in other languages; an empty one falls back to the default name."""

    name_el: str = ""
    name_pl: str = ""
    name_fa: str = ""
    next: str = ""

    def names(self) -> dict[str, str]:
        return {"el": self.name_el, "pl": self.name_pl, "fa": self.name_fa}


class ShiftForm(msgspec.Struct):
    name: str = ""
    start: str = ""
    end: str = ""
    branch: str = ""
    name_el: str = ""
    name_pl: str = ""
    name_fa: str = ""


class StaffForm(msgspec.Struct):
    code: str = ""
    name: str = ""
    active: str = ""


class NextForm(msgspec.Struct):
    next: str = "/admin/org"


class ImportForm(msgspec.Struct):
    file: UploadFile | None = None


async def _org_page(page: Page, status: int = 200, **extra: Any) -> Template:
    context = {
        "page": page,
        "settings": await organisation.get_settings(),
        "languages": LANGUAGES,
        "regions": await organisation.list_regions(),
        "branches": await organisation.list_branches(),
        "shifts": await organisation.list_shifts(),
        "errors": {},
        "values": {},
        **extra,
    }
    return Template("admin/org.html", context=context, status_code=status)


async def _branch_page(page: Page, code: str, status: int = 200, **extra: Any) -> Template:
    try:
        branch = await organisation.get_branch(code)
    except organisation.NotFound as error:
        raise NotFoundException(str(error)) from None
    context = {
        "page": page,
        "branch": branch,
        "regions": await organisation.list_regions(),
        "shifts": await organisation.list_shifts(code),
        "staff": await organisation.list_staff(code),
        "errors": {},
        "values": {},
        **extra,
    }
    return Template("admin/branch.html", context=context, status_code=status)


def _failed(form: str, error: organisation.OrgError, data: msgspec.Struct) -> dict[str, Any]:
    return {"errors": {form: {error.field: str(error)}}, "values": {form: data}}


class AdminOrgController(Controller):
    path = "/admin/org"
    include_in_schema = False
    guards = [requires_admin]

    @get("/")
    async def org_page(self, page: NamedDependency[Page]) -> Template:
        return await _org_page(page)

    @post("/settings")
    async def save_settings(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[SettingsForm],
    ) -> Template | Redirect:
        try:
            await organisation.save_settings(
                data.name,
                data.default_language,
                bool(data.staff_codes_only),
                data.min_visit_minutes,
            )
        except organisation.OrgError as error:
            return await _org_page(page, 422, **_failed("settings", error, data))
        flash(request, N_("Settings saved."), "ok")
        return Redirect("/admin/org")

    @post("/regions")
    async def save_region(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[RegionForm],
    ) -> Template | Redirect:
        try:
            await organisation.save_region(data.code, data.name)
        except organisation.OrgError as error:
            return await _org_page(page, 422, **_failed("region", error, data))
        flash(request, translatable(N_("Region %(code)s saved."), code=data.code.strip()), "ok")
        return Redirect("/admin/org")

    @post("/branches")
    async def add_branch(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[BranchForm],
    ) -> Template | Redirect:
        try:
            branch = await organisation.save_branch(
                None, data.code, data.name, data.region, data.timezone, data.address,
                latitude=data.latitude, longitude=data.longitude,
            )  # fmt: skip
        except organisation.OrgError as error:
            return await _org_page(page, 422, **_failed("branch", error, data))
        flash(request, translatable(N_("Branch %(code)s created."), code=branch.code), "ok")
        return Redirect(f"/admin/org/branches/{branch.code}")

    @get("/branches/{code:str}")
    async def branch_page(self, page: NamedDependency[Page], code: FromPath[str]) -> Template:
        return await _branch_page(page, code)

    @post("/branches/{code:str}")
    async def save_branch(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        code: FromPath[str],
        data: URLEncodedBody[BranchForm],
    ) -> Template | Redirect:
        try:
            branch = await organisation.save_branch(
                code, data.code, data.name, data.region, data.timezone, data.address,
                bool(data.active), latitude=data.latitude, longitude=data.longitude,
            )  # fmt: skip
        except organisation.NotFound as error:
            raise NotFoundException(str(error)) from None
        except organisation.OrgError as error:
            return await _branch_page(page, code, 422, **_failed("branch", error, data))
        flash(request, translatable(N_("Branch %(code)s saved."), code=branch.code), "ok")
        return Redirect(f"/admin/org/branches/{branch.code}")

    @post("/shifts")
    async def add_shift(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[ShiftForm],
    ) -> Template | Redirect:
        """An organisation-wide shift, or one branch's when the form names the branch."""
        branch = data.branch.strip() or None
        try:
            names = {"el": data.name_el, "pl": data.name_pl, "fa": data.name_fa}
            shift = await organisation.add_shift(data.name, data.start, data.end, branch, names)
        except organisation.NotFound as error:
            raise NotFoundException(str(error)) from None
        except organisation.OrgError as error:
            failed = _failed("shift", error, data)
            if branch:
                return await _branch_page(page, branch, 422, **failed)
            return await _org_page(page, 422, **failed)
        flash(
            request,
            translatable(
                N_("Shift %(name)s (%(start)s–%(end)s) added."),
                name=shift.name,
                start=shift.start,
                end=shift.end,
            ),
            "ok",
        )
        return Redirect(f"/admin/org/branches/{branch}" if branch else "/admin/org")

    @post("/shifts/{shift_id:int}/names")
    async def name_shift(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        shift_id: FromPath[int],
        data: URLEncodedBody[ShiftNamesForm],
    ) -> Template | Redirect:
        """The shift's names in Greek, Polish and Persian (the default name is its key)."""
        try:
            shift = await organisation.set_shift_names(shift_id, data.names())
        except organisation.NotFound as error:
            raise NotFoundException(str(error)) from None
        except organisation.OrgError as error:
            return await _org_page(page, 422, **_failed("shift_names", error, data))
        flash(request, translatable(N_("Names of shift %(name)s saved."), name=shift.name), "ok")
        return Redirect(safe_next(data.next, "/admin/org"))

    @post("/shifts/{shift_id:int}/delete")
    async def delete_shift(
        self,
        request: Request[Any, Any, Any],
        shift_id: FromPath[int],
        data: URLEncodedBody[NextForm],
    ) -> Redirect:
        await organisation.delete_shift(shift_id)
        flash(request, N_("Shift deleted."), "ok")
        return Redirect(safe_next(data.next, "/admin/org"))

    @post("/branches/{code:str}/staff")
    async def save_staff(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        code: FromPath[str],
        data: URLEncodedBody[StaffForm],
    ) -> Template | Redirect:
        try:
            await organisation.save_staff(code, data.code, data.name, bool(data.active))
        except organisation.NotFound as error:
            raise NotFoundException(str(error)) from None
        except organisation.OrgError as error:
            return await _branch_page(page, code, 422, **_failed("staff", error, data))
        flash(
            request, translatable(N_("Staff member %(code)s saved."), code=data.code.strip()), "ok"
        )
        return Redirect(f"/admin/org/branches/{code}")

    @post("/import/{kind:str}", request_max_body_size=MAX_CSV)
    async def import_csv(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        kind: FromPath[str],
        data: MultipartBody[ImportForm],
    ) -> Template | Redirect:
        """Branches, staff or shifts from an uploaded CSV file: every row or none."""
        if kind not in KINDS:
            raise NotFoundException(f"No import of {kind!r}.")
        raw = await data.file.read() if data.file is not None else b""
        try:
            counts = await org_import.import_csv(kind, raw.decode("utf-8-sig", errors="replace"))
        except OrgCsvError as error:
            return await _org_page(page, 422, import_errors={kind: error.problems})
        summary = (
            f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
        )
        flash(
            request,
            translatable(N_("Imported %(kind)s: %(summary)s."), kind=kind, summary=summary),
            "ok",
        )
        return Redirect("/admin/org")
