"""JSON API for head office's review: approve, return with a comment, the queue, the trail."""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec
from litestar import Controller, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from audits.actions.services import approve_audit
from audits.boundary.bounds import Comment
from audits.fieldwork import review
from audits.fieldwork import selectors as fieldwork_selectors
from audits.fieldwork.review import QueueEntry, TrailEntry
from audits.fieldwork.schemas import AuditOut
from audits.org.users import CurrentUser
from web.auth import requires_office
from web.scheduled_reports import queue_visit_notices_logged


class ReviewIn(msgspec.Struct):
    """Head office's comment: optional to approve, required to return an audit."""

    comment: Comment = ""


class ReviewApiController(Controller):
    path = "/api"
    tags = ["review"]
    guards = [requires_office]

    @post("/audits/{audit_id:uuid}/approve", status_code=200)
    async def approve(
        self,
        audit_id: FromPath[uuid.UUID],
        user: NamedDependency[CurrentUser],
        state: State,
        data: JSONBody[ReviewIn | None] = None,
    ) -> Response[AuditOut]:
        """Publish a submitted audit to its branch; 409 when it is not submitted. The branch's
        managers subscribed to visit notices are e-mailed its report by a worker (a job each)."""
        await approve_audit(audit_id, user, data.comment if data else "")
        audit = await fieldwork_selectors.get_audit(audit_id, user)
        notify = BackgroundTask(queue_visit_notices_logged, state.settings, audit_id)
        return Response(audit, background=notify)

    @post("/audits/{audit_id:uuid}/return", status_code=200)
    async def return_to_shopper(
        self,
        audit_id: FromPath[uuid.UUID],
        user: NamedDependency[CurrentUser],
        data: JSONBody[ReviewIn],
    ) -> AuditOut:
        """Send a submitted audit back to its shopper; the comment (required) says what to fix.
        409 when it is not submitted. The shopper fixes it and files it again with the same id."""
        await review.return_to_shopper(audit_id, user, data.comment)
        return await fieldwork_selectors.get_audit(audit_id, user)

    @get("/audits/{audit_id:uuid}/trail")
    async def trail(self, audit_id: FromPath[uuid.UUID]) -> list[TrailEntry]:
        """Every change after submission, oldest first: who, when, action, field, old → new.
        Answers and comments are listed item by item (``answers.<item key>``)."""
        return await review.audit_trail(audit_id)

    @get("/review/queue")
    async def queue(
        self,
        flag: FromQuery[str | None] = None,
        branch: FromQuery[str | None] = None,
        order: FromQuery[Literal["risk", "oldest"]] = "risk",
    ) -> list[QueueEntry]:
        """Submitted audits waiting for review with their flags, the riskiest first (``risk``
        and ``risk_reasons``: flags, a failed critical item, the shopper's returned audits;
        flags a reviewer set aside are in ``dismissed`` and no longer count) or, with
        ``order=oldest``, oldest first."""
        return await review.review_queue(flag=flag or None, branch=branch or None, order=order)
