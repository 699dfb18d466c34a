"""Checklist pages: list, view, phone preview and compare for everyone logged in; import, edit
(as YAML, with line-numbered errors), publish and retire for head office."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, MultipartBody, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from checklists import queries
from checklists.diff import compare_versions
from checklists.documents import ChecklistFileError, dump_checklist, load_checklist
from web.auth import requires_login, requires_office
from web.deps import Page
from web.i18n import N_, translatable
from web.visibility import may_read, readable_version, visible_checklists

MAX_CHECKLIST_FILE = 1_000_000
"""Bytes; a checklist of a few hundred items in four languages is ~200 kB."""


class ImportForm(msgspec.Struct):
    text: str = ""
    file: UploadFile | None = None
    publish: str = ""


class EditForm(msgspec.Struct):
    text: str = ""


def _version_url(slug: str, number: int, suffix: str = "") -> str:
    return f"/checklists/{slug}/versions/{number}{suffix}"


def _file_errors(error: ChecklistFileError) -> list[dict[str, Any]]:
    return [
        {"line": problem.line, "message": message}
        for problem, message in zip(error.problems, error.messages, strict=True)
    ]


class ChecklistPagesController(Controller):
    path = "/checklists"
    include_in_schema = False
    guards = [requires_login]

    @get("/")
    async def list_page(self, page: NamedDependency[Page]) -> Template:
        checklists = visible_checklists(await queries.list_checklists(), page.user)
        return Template("checklists/list.html", context={"page": page, "checklists": checklists})

    @get("/{slug:str}")
    async def latest(self, page: NamedDependency[Page], slug: FromPath[str]) -> Redirect:
        info, _ = await readable_version(slug, None, page.user)
        return Redirect(_version_url(slug, info.number))

    @get("/{slug:str}/versions/{number:int}")
    async def version_page(
        self, page: NamedDependency[Page], slug: FromPath[str], number: FromPath[int]
    ) -> Template:
        info, doc = await readable_version(slug, number, page.user)
        context = {
            "page": page,
            "info": info,
            "doc": doc,
            "versions": [v for v in await queries.list_versions(slug) if may_read(v, page.user)],
            "retired": await queries.is_retired(slug),
        }
        return Template("checklists/version.html", context=context)

    @get("/{slug:str}/versions/{number:int}/preview")
    async def preview(
        self, page: NamedDependency[Page], slug: FromPath[str], number: FromPath[int]
    ) -> Template:
        """The checklist as a shopper's phone shows it (the form does not submit)."""
        info, doc = await readable_version(slug, number, page.user)
        context = {"page": page, "info": info, "doc": doc}
        return Template("checklists/preview.html", context=context)

    @get("/{slug:str}/versions/{number:int}/export")
    async def export(
        self, page: NamedDependency[Page], slug: FromPath[str], number: FromPath[int]
    ) -> Response[str]:
        _, doc = await readable_version(slug, number, page.user)
        return Response(
            dump_checklist(doc),
            media_type="application/yaml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{slug}-v{number}.yaml"'},
        )

    @get("/{slug:str}/compare")
    async def compare(
        self,
        page: NamedDependency[Page],
        slug: FromPath[str],
        old: FromQuery[int],
        new: FromQuery[int],
    ) -> Template:
        _, old_doc = await readable_version(slug, old, page.user)
        _, new_doc = await readable_version(slug, new, page.user)
        context = {
            "page": page,
            "slug": slug,
            "old": old,
            "new": new,
            "old_doc": old_doc,
            "new_doc": new_doc,
            "diff": compare_versions(old_doc, new_doc),
            "versions": [v for v in await queries.list_versions(slug) if may_read(v, page.user)],
        }
        return Template("checklists/compare.html", context=context)

    @get("/import", guards=[requires_office])
    async def import_page(self, page: NamedDependency[Page]) -> Template:
        return Template("checklists/import.html", context={"page": page})

    @post("/import", guards=[requires_office], request_max_body_size=MAX_CHECKLIST_FILE)
    async def import_file(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: MultipartBody[ImportForm],
    ) -> Template | Redirect:
        text = data.text
        if data.file is not None and data.file.filename:
            raw = await data.file.read()
            text = raw.decode("utf-8", errors="replace")
        try:
            doc = load_checklist(text)
        except ChecklistFileError as error:
            context = {"page": page, "text": text, "errors": _file_errors(error)}
            return Template("checklists/import.html", context=context, status_code=422)
        by = page.user.username if page.user else ""
        info = await queries.import_checklist(doc, by=by, publish=bool(data.publish))
        flash(
            request,
            translatable(
                N_("Imported %(slug)s as version %(number)s (%(status)s)."),
                slug=doc.slug,
                number=info.number,
                status=info.status,
            ),
            "ok",
        )
        return Redirect(_version_url(info.slug, info.number))

    @post("/{slug:str}/drafts", guards=[requires_office])
    async def start_draft(
        self, request: Request[Any, Any, Any], page: NamedDependency[Page], slug: FromPath[str]
    ) -> Redirect:
        info = await queries.start_draft(slug, by=page.user.username if page.user else "")
        flash(
            request,
            translatable(
                N_("Version %(number)s is a draft: edit it, then publish."), number=info.number
            ),
            "ok",
        )
        return Redirect(_version_url(slug, info.number, "/edit"))

    @get("/{slug:str}/versions/{number:int}/edit", guards=[requires_office])
    async def edit_page(
        self, page: NamedDependency[Page], slug: FromPath[str], number: FromPath[int]
    ) -> Template:
        info, doc = await queries.get_version(slug, number)
        context = {"page": page, "info": info, "text": dump_checklist(doc), "errors": []}
        status = 200 if info.status == "draft" else 409
        return Template("checklists/edit.html", context=context, status_code=status)

    @post("/{slug:str}/versions/{number:int}/edit", guards=[requires_office])
    async def save(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        slug: FromPath[str],
        number: FromPath[int],
        data: URLEncodedBody[EditForm],
    ) -> Template | Redirect:
        info, _ = await queries.get_version(slug, number)
        context: dict[str, Any] = {"page": page, "info": info, "text": data.text, "errors": []}
        if info.status != "draft":
            return Template("checklists/edit.html", context=context, status_code=409)
        try:
            doc = load_checklist(data.text)
            await queries.save_draft(slug, number, doc, by=page.user.username if page.user else "")
        except ChecklistFileError as error:
            context["errors"] = _file_errors(error)
            return Template("checklists/edit.html", context=context, status_code=422)
        except queries.ChecklistError as error:
            context["errors"] = [{"line": None, "message": str(error)}]
            return Template("checklists/edit.html", context=context, status_code=422)
        flash(request, translatable(N_("Saved draft version %(number)s."), number=number), "ok")
        return Redirect(_version_url(slug, number))

    @post("/{slug:str}/versions/{number:int}/publish", guards=[requires_office])
    async def publish(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        slug: FromPath[str],
        number: FromPath[int],
    ) -> Redirect:
        try:
            await queries.publish_version(slug, number, by=page.user.username if page.user else "")
            flash(
                request,
                translatable(
                    N_("Published version %(number)s. It can no longer change."), number=number
                ),
                "ok",
            )
        except queries.VersionFrozen as error:
            flash(request, str(error), "error")
        return Redirect(_version_url(slug, number))

    @post("/{slug:str}/versions/{number:int}/discard", guards=[requires_office])
    async def discard(
        self, request: Request[Any, Any, Any], slug: FromPath[str], number: FromPath[int]
    ) -> Redirect:
        try:
            await queries.discard_draft(slug, number)
            flash(
                request,
                translatable(N_("Discarded draft version %(number)s."), number=number),
                "ok",
            )
        except queries.VersionFrozen as error:
            flash(request, str(error), "error")
            return Redirect(_version_url(slug, number))
        return Redirect(
            f"/checklists/{slug}" if await queries.list_versions(slug) else "/checklists"
        )

    @post("/{slug:str}/retire", guards=[requires_office])
    async def retire(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        await queries.set_retired(slug, True)
        flash(
            request,
            translatable(N_("%(slug)s is retired: no new audits can use it."), slug=slug),
            "ok",
        )
        return Redirect(f"/checklists/{slug}")

    @post("/{slug:str}/restore", guards=[requires_office])
    async def restore(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        await queries.set_retired(slug, False)
        flash(request, translatable(N_("%(slug)s is back in use."), slug=slug), "ok")
        return Redirect(f"/checklists/{slug}")
