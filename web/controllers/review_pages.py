"""Head office's review pages: the queue of submitted audits, one audit with its flags and
trail, and the approve / return-with-comment buttons (POST-redirect-GET)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.actions.selectors import audit_actions
from audits.actions.services import approve_audit
from audits.fieldwork import review
from audits.fieldwork import selectors as fieldwork_selectors
from audits.fieldwork.rules import FLAG_TEXT
from audits.fieldwork.schemas import AuditRejected
from checklists import queries as checklist_queries
from web.auth import requires_office
from web.deps import Page
from web.i18n import N_, translatable
from web.review_view import audit_view
from web.scheduled_reports import queue_visit_notices_logged


class ReviewForm(msgspec.Struct):
    comment: str = ""


class DismissForm(msgspec.Struct):
    flag: str = ""
    reason: str = ""


def _audit_url(audit_id: uuid.UUID) -> str:
    return f"/review/{audit_id}"


class ReviewPagesController(Controller):
    path = "/review"
    include_in_schema = False
    guards = [requires_office]

    @get("/")
    async def queue(
        self,
        page: NamedDependency[Page],
        flag: FromQuery[str | None] = None,
        branch: FromQuery[str | None] = None,
    ) -> Template:
        entries = await review.review_queue(flag=flag or None, branch=branch or None)
        context = {
            "page": page,
            "entries": entries,
            "flag": flag or "",
            "branch": branch or "",
            "flags": FLAG_TEXT,
            "flag_text": review.flag_text,
            "branches": await review.branch_codes(),
            "risk_text": RISK_TEXT,
            "checklist_titles": await checklist_queries.checklist_titles(),
        }
        return Template("review/queue.html", context=context)

    @get("/{audit_id:uuid}")
    async def audit_page(
        self, page: NamedDependency[Page], audit_id: FromPath[uuid.UUID]
    ) -> Template:
        return Template("review/audit.html", context=await _context(page, audit_id))

    @post("/{audit_id:uuid}/approve")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        audit_id: FromPath[uuid.UUID],
        data: URLEncodedBody[ReviewForm],
    ) -> Template | Redirect:
        try:
            assert page.user is not None  # the guard let in head office only
            opened = await approve_audit(audit_id, page.user, data.comment)
        except review.WrongStatus as error:
            flash(request, str(error), "error")
            return Redirect(_audit_url(audit_id))
        except AuditRejected as error:
            return await _invalid(page, audit_id, data, error)
        done = N_(
            "Approved: the audit is published to its branch. Corrective actions opened: %(n)s."
        )
        flash(request, translatable(done, n=len(opened)), "ok")
        notify = BackgroundTask(queue_visit_notices_logged, request.app.state.settings, audit_id)
        return Redirect("/review", background=notify)

    @post("/{audit_id:uuid}/return")
    async def return_to_shopper(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        audit_id: FromPath[uuid.UUID],
        data: URLEncodedBody[ReviewForm],
    ) -> Template | Redirect:
        try:
            assert page.user is not None
            await review.return_to_shopper(audit_id, page.user, data.comment)
        except review.WrongStatus as error:
            flash(request, str(error), "error")
            return Redirect(_audit_url(audit_id))
        except AuditRejected as error:
            return await _invalid(page, audit_id, data, error)
        flash(request, N_("Returned to the shopper with your comment."), "ok")
        return Redirect("/review")

    @post("/{audit_id:uuid}/flags/dismiss")
    async def dismiss_flag(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        audit_id: FromPath[uuid.UUID],
        data: URLEncodedBody[DismissForm],
    ) -> Template | Redirect:
        """A flag checked and set aside with a reason (in the trail): the audit moves down
        the queue by that flag's points."""
        try:
            assert page.user is not None
            await review.dismiss_flag(audit_id, page.user, data.flag, data.reason)
        except review.WrongStatus as error:
            flash(request, str(error), "error")
            return Redirect(_audit_url(audit_id))
        except AuditRejected as error:
            context = await _context(page, audit_id)
            message = error.errors[0].message if error.errors else ""
            context.update(dismiss_flag=data.flag, dismiss_error=message)
            return Template("review/audit.html", context=context, status_code=422)
        flash(request, N_("Flag set aside; your reason is in the trail."), "ok")
        return Redirect(_audit_url(audit_id))


RISK_TEXT = {
    "critical_fail": N_("a critical item failed"),
    "track_record": N_("the shopper's audits returned before"),
}


async def _context(page: Page, audit_id: uuid.UUID) -> dict[str, Any]:
    assert page.user is not None
    view = await audit_view(audit_id, page.user)
    return {
        "page": page,
        "view": view,
        "audit": view.audit,
        "trail": await review.audit_trail(audit_id),
        "actions": await audit_actions(audit_id, page.user),
        "flag_text": review.flag_text,
        "dismissed": (await review.dismissed_flags([audit_id])).get(audit_id, set()),
        "photo_times": await fieldwork_selectors.audit_photo_times(audit_id),
        "dismiss_flag": "",
        "dismiss_error": "",
        "comment": "",
        "error": "",
    }


async def _invalid(
    page: Page, audit_id: uuid.UUID, data: ReviewForm, error: AuditRejected
) -> Template:
    """The audit page again, the comment kept and the problem under it."""
    context = await _context(page, audit_id)
    context.update(comment=data.comment, error=error.errors[0].message if error.errors else "")
    return Template("review/audit.html", context=context, status_code=422)
