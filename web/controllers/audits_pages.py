"""The shopper's audit form (works with JavaScript off), their audits and each one's result."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import File, Redirect, Template

from audits.boundary.bounds import field_error
from audits.fieldwork import selectors as fieldwork_selectors
from audits.fieldwork.drafts import load_draft, save_draft
from audits.fieldwork.evidence import MAX_PHOTO_BYTES, PHOTO_TOO_LARGE, save_evidence
from audits.fieldwork.filing import submit_audit
from audits.fieldwork.rules import ShiftWindow, local_time, proposed_visit_time
from audits.fieldwork.schemas import (
    AuditConflict,
    AuditCreate,
    AuditNotFound,
    AuditRejected,
    FieldError,
)
from audits.tables import Channel, Role
from checklists import queries as checklist_queries
from checklists.model import ItemType
from web.audit_form import body_from_form, form_from_body, form_rules, progress
from web.auth import requires_filer, requires_login
from web.deps import Page, choose_language
from web.params import QueryOffset
from web.review_view import audit_view

STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_FORM_BODY = 4 * (MAX_PHOTO_BYTES + 64 * 1024)
MY_AUDITS_PAGE = 200
# Where the roles that file no audits read them (and one audit, under "/{id}"); an admin
# may file audits, so their own are here too.
_READER_HOME = {Role.manager: "/branch-audits", Role.office: "/review"}


class AuditPagesController(Controller):
    include_in_schema = False
    guards = [requires_login]

    @get("/audits")
    async def my_audits(
        self, page: NamedDependency[Page], offset: QueryOffset = 0
    ) -> Template | Redirect:
        """The audits the user filed, a page at a time; the roles that file none read audits
        on their own pages."""
        assert page.user is not None
        if page.user.role in _READER_HOME:
            return Redirect(_READER_HOME[page.user.role])
        own = await fieldwork_selectors.list_filed_by(
            page.user, limit=MY_AUDITS_PAGE + 1, offset=offset
        )
        context = {
            "page": page,
            "audits": own[:MY_AUDITS_PAGE],
            "newer": max(offset - MY_AUDITS_PAGE, 0) if offset else None,
            "older": offset + MY_AUDITS_PAGE if len(own) > MY_AUDITS_PAGE else None,
        }
        return Template("audits/list.html", context=context)

    @get("/audits/new", guards=[requires_filer])
    async def new(
        self,
        page: NamedDependency[Page],
        branch: FromQuery[str | None] = None,
        checklist: FromQuery[str | None] = None,
        visit: FromQuery[int | None] = None,
        id: FromQuery[uuid.UUID | None] = None,  # noqa: A002 - the audit's id, in the URL
    ) -> Template | Redirect:
        """The form. Its audit id goes into the URL first, so a reload finds the same draft
        (on the phone, and on the server when it was online)."""
        if not branch or not checklist:
            return await _chooser(page)
        if id is None:
            params = {"branch": branch, "checklist": checklist, "id": uuid.uuid4()}
            query = urlencode({**params, **({"visit": visit} if visit else {})})
            return Redirect(f"/audits/new?{query}")
        values = {
            "branch": branch,
            "checklist": checklist,
            "id": str(id),
            "visit": str(visit or ""),
            "channel": "in_person",
        }
        with contextlib.suppress(AuditNotFound):
            values.update(await load_draft(id, page.viewer))
        return await _form(page, values, {})

    @post(
        "/audits",
        guards=[requires_filer],
        request_max_body_size=MAX_FORM_BODY,
        opt={"too_large": ("photo", PHOTO_TOO_LARGE)},
    )
    async def submit(
        self, request: Request[Any, Any, Any], page: NamedDependency[Page]
    ) -> Template | Redirect:
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if fields.get("switch_language"):
            return await _switch_language(request, page, fields)
        try:
            _, doc = await checklist_queries.get_version(fields.get("checklist", ""))
        except checklist_queries.ChecklistError:
            return await _chooser(page)
        body, errors = body_from_form(doc, fields)
        try:
            await _save_photos(form, doc, body, page, fields)
            if errors:
                raise AuditRejected([FieldError(k, m) for k, m in errors.items()])
            audit = msgspec.convert(body, AuditCreate)  # checks the bounds as the API does
            await submit_audit(audit, page.viewer, now=dt.datetime.now(dt.UTC))
        except AuditRejected as rejected:
            found = {e.key: e.message for e in rejected.errors}
            return await _form(page, fields, found, status=rejected.status)
        except msgspec.ValidationError as error:
            field, message = field_error(error)
            return await _form(page, fields, {field: message}, status=422)
        except (TypeError, ValueError) as error:
            return await _form(page, fields, {"id": str(error)}, status=422)
        return Redirect(f"/audits/{body['id']}")

    @get("/audits/{audit_id:uuid}")
    async def result(
        self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        """The shopper's own audit: its score, failed items, answers and head office's word."""
        assert page.user is not None
        if page.user.role in _READER_HOME:
            return Redirect(f"{_READER_HOME[page.user.role]}/{audit_id}")
        try:
            view = await audit_view(audit_id, page.user, own_only=True)
        except AuditNotFound:
            if page.user.role is Role.admin:  # not one they filed: head office's page has it
                return Redirect(f"/review/{audit_id}")
            raise
        context = {"page": page, "view": view, "audit": view.audit}
        return Template("audits/result.html", context=context)

    @get("/audits/{audit_id:uuid}/edit", guards=[requires_filer])
    async def edit(self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID]) -> Template:
        """A returned audit, in the form again, to fix and resubmit under the same id."""
        audit = await fieldwork_selectors.get_audit(audit_id, page.viewer)
        _, doc = await checklist_queries.get_version(audit.checklist, audit.version)
        branch = await fieldwork_selectors.branch_by_code(audit.branch)
        body = {name: getattr(audit, name) for name in AuditCreate.__struct_fields__}
        zone = branch["timezone"] if branch else "UTC"  # a branch closed since: its clock is gone
        body["visited_at"] = local_time(audit.visited_at, zone)
        status = 200 if audit.status == "returned" else 409
        return await _form(page, form_from_body(doc, body), {}, status=status, audit=audit)


@get("/sw.js", include_in_schema=False)
async def service_worker() -> File:
    """Served from the root, to anyone, so that its scope covers every page."""
    return File(
        STATIC / "js" / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
        content_disposition_type="inline",
    )


async def _switch_language(
    request: Request[Any, Any, Any], page: Page, fields: dict[str, str]
) -> Redirect:
    """The switcher's buttons submit the form: the choice is kept (session and profile), what
    was typed becomes the server's draft and the same form opens again in that language."""
    lang = fields.pop("switch_language")
    await choose_language(request, page.user, lang)
    try:
        audit_id = uuid.UUID(fields.get("id", ""))
    except ValueError:
        return Redirect(f"/audits/new?{urlencode({'lang': lang})}")
    draft = {k: v for k, v in fields.items() if k != "_csrf_token"}
    with contextlib.suppress(AuditConflict, AuditRejected):  # filed already, too large, NUL
        await save_draft(audit_id, draft, page.viewer)
    params = {k: fields.get(k, "") for k in ("branch", "checklist")}
    params.update(id=str(audit_id), **({"visit": fields["visit"]} if fields.get("visit") else {}))
    return Redirect(f"/audits/new?{urlencode({**params, 'lang': lang})}")


async def _chooser(page: Page) -> Template:
    checklists = [
        c for c in await checklist_queries.list_checklists() if c.published and not c.retired
    ]
    context = {
        "page": page,
        "branches": await fieldwork_selectors.active_branches(),
        "checklists": checklists,
    }
    return Template("audits/choose.html", context=context)


async def _form(
    page: Page, values: dict[str, str], errors: dict[str, str], status: int = 200, audit=None
) -> Template:
    _, doc = await checklist_queries.get_version(values.get("checklist", ""))
    branch = await fieldwork_selectors.branch_by_code(values.get("branch", ""))
    if branch is None:
        return await _chooser(page)
    if not values.get("visited_at"):
        values["visited_at"] = (await _proposed_time(page, values, branch)).strftime(
            "%Y-%m-%dT%H:%M"
        )
    answered, applicable = progress(doc, values)
    context = {
        "page": page,
        "doc": doc,
        "branch": branch,
        "values": values,
        "errors": errors,
        "staff": await fieldwork_selectors.branch_staff(branch["id"]),
        "channels": list(Channel),
        "audit": audit,
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
        "rules": form_rules(doc),
        "answered": answered,
        "applicable": applicable,
    }
    return Template("audits/form.html", context=context, status_code=status)


async def _proposed_time(page: Page, values: dict[str, str], branch: dict) -> dt.datetime:
    """Now on the branch's clock; for a planned visit, a time inside its window and shift."""
    now = local_time(dt.datetime.now(dt.UTC), branch["timezone"])
    visit = values.get("visit", "")
    if not visit.isdigit():
        return now
    plan = await fieldwork_selectors.planned_visit(int(visit), page.viewer)
    if plan is None:
        return now
    shift = None
    if plan["shift_name"] is not None:
        shift = ShiftWindow(plan["shift_name"], plan["start_minute"], plan["end_minute"])
    return proposed_visit_time(now, (plan["window_start"], plan["window_end"]), shift)


async def _save_photos(form, doc, body: dict, page: Page, fields: dict[str, str]) -> None:
    """Photos sent with the form itself (JavaScript off) become evidence first: a photo item's
    answer, or one more photo attached to any other item (its id then kept in the form's
    ``photos.<item>`` field, so a form shown again with errors still has it)."""
    for item in doc.items():
        upload = form.get(f"photo.{item.key}")
        if not (isinstance(upload, UploadFile) and upload.filename):
            continue
        field = f"answers.{item.key}" if item.type is ItemType.photo else f"photos.{item.key}"
        content = await upload.read()
        try:
            evidence = await save_evidence(
                content, upload.content_type, page.viewer, item_key=item.key
            )
        except AuditRejected as rejected:
            raise AuditRejected(
                [FieldError(field, e.message) for e in rejected.errors], rejected.status
            ) from None
        if item.type is ItemType.photo:
            body["answers"][item.key] = fields[field] = str(evidence)
        else:
            body["photos"].setdefault(item.key, []).append(str(evidence))
            fields[field] = " ".join(body["photos"][item.key])
