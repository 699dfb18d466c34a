"""Corrective action pages (phone first): the list with filters, one action with its history
and the forms for the next step, the recovery figures, and the e-mails sent.

Managers see their branches' actions, note what was done (a comment, a photo) and mark them
done; head office sees all, verifies and closes or reopens them. Shoppers get 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery, QueryParameter, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from audits.actions import mail_log
from audits.actions import selectors as actions_selectors
from audits.actions.changes import move_due_date, owner_candidates, set_owners, step_many
from audits.actions.rules import State, Step
from audits.actions.selectors import WAITING
from audits.actions.services import WrongState, take_step
from audits.fieldwork.disclosure import exact_step_time
from audits.fieldwork.evidence import MAX_PHOTO_BYTES, PHOTO_TOO_LARGE, evidence_row
from audits.fieldwork.review import branch_codes
from audits.fieldwork.schemas import AuditRejected
from audits.org.users import CurrentUser
from audits.tables import Role
from reports.formatting import format_day
from reports.recovery import recovery_figures
from web.auth import requires_office, requires_role
from web.deps import Page
from web.i18n import N_, translatable

PAGE_SIZE = 200
STEP_ROLES = {
    Step.note: {Role.manager, Role.office, Role.admin},
    Step.done: {Role.manager, Role.admin},
    Step.verify: {Role.office, Role.admin},
    Step.reopen: {Role.office, Role.admin},
}
STEP_DONE_MESSAGE = {
    Step.note: "Noted.",
    Step.done: "Marked done: head office will verify it.",
    Step.verify: "Verified and closed.",
    Step.reopen: "Reopened: the branch has it again.",
}


class OwnersForm(msgspec.Struct):
    owners: list[str] | str = []

    @property
    def names(self) -> list[str]:
        return [self.owners] if isinstance(self.owners, str) else list(self.owners)


class DueForm(msgspec.Struct):
    due_date: str = ""
    reason: str = ""


class BulkForm(msgspec.Struct):
    ids: list[str] | str = []
    comment: str = ""
    back: str = "/actions/"

    @property
    def action_ids(self) -> list[int]:
        raw = [self.ids] if isinstance(self.ids, str) else self.ids
        return [int(i) for i in raw if i.isdigit() and len(i) < 10]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _user(page: Page) -> CurrentUser:
    assert page.user is not None  # the guards let in logged-in managers and head office only
    return page.user


class ActionPagesController(Controller):
    path = "/actions"
    include_in_schema = False
    guards = [requires_role(Role.manager, Role.office)]

    @get("/")
    async def list_page(
        self,
        page: NamedDependency[Page],
        branch: FromQuery[str | None] = None,
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
        overdue: FromQuery[str | None] = None,
        view: FromQuery[str | None] = None,
    ) -> Template:
        """Waiting actions (open or done) unless another state, or ``all``, is chosen; as
        cards (a phone) or as a table with bulk verification (``view=table``)."""
        user = _user(page)
        states = [WAITING, *(s.value for s in State)]
        chosen = state_filter if state_filter in [*states, "all"] else WAITING
        flag = {"1": True, "0": False}.get(overdue or "")
        actions = await actions_selectors.list_actions(
            user,
            now=_now(),
            branch=branch or None,
            state=None if chosen == "all" else chosen,
            overdue=flag,
            limit=100_000,
        )
        context = {
            "page": page,
            "actions": actions[:PAGE_SIZE],
            "count": len(actions),
            "branches": await branch_codes() if user.is_office else list(user.branches),
            "states": states,
            "filters": {"branch": branch or "", "state": chosen, "overdue": overdue or ""},
            "view": "table" if view == "table" else "cards",
        }
        return Template("actions/list.html", context=context)

    @get("/{action_id:int}")
    async def action_page(self, page: NamedDependency[Page], action_id: FromPath[int]) -> Template:
        return Template("actions/action.html", context=await _context(page, action_id))

    @post(
        "/{action_id:int}/step",
        request_max_body_size=MAX_PHOTO_BYTES + 64 * 1024,
        opt={"too_large": ("photo", PHOTO_TOO_LARGE)},
    )
    async def step(
        self, request: Request[Any, Any, Any], page: NamedDependency[Page], action_id: FromPath[int]
    ) -> Template | Redirect:
        """One form for every step: the button pressed names it (``step``)."""
        user = _user(page)
        form = await request.form()
        try:
            step = Step(str(form.get("step", "")))
        except ValueError:
            step = Step.note
        if user.role not in STEP_ROLES[step]:
            raise PermissionDeniedException("Your role does not allow this step.")
        comment = str(form.get("comment", ""))
        try:
            photo = await _photo(form.get("photo"), user)
            await take_step(action_id, user, step, comment, photo=photo, now=_now())
        except WrongState as error:
            flash(request, str(error), "error")
            return Redirect(f"/actions/{action_id}")
        except AuditRejected as rejected:
            context = await _context(page, action_id)
            context.update(comment=comment, error=rejected.errors[0].message)
            return Template("actions/action.html", context=context, status_code=rejected.status)
        flash(request, STEP_DONE_MESSAGE[step], "ok")
        return Redirect(f"/actions/{action_id}")

    @post("/{action_id:int}/owners")
    async def owners(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        action_id: FromPath[int],
        data: URLEncodedBody[OwnersForm],
    ) -> Template | Redirect:
        try:
            await set_owners(action_id, data.names, _user(page), now=_now())
        except AuditRejected as rejected:
            context = await _context(page, action_id)
            context.update(owners_error=rejected.errors[0].message)
            return Template("actions/action.html", context=context, status_code=rejected.status)
        flash(request, N_("Owners saved."), "ok")
        return Redirect(f"/actions/{action_id}")

    @post("/{action_id:int}/due", guards=[requires_office])
    async def move_due(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        action_id: FromPath[int],
        data: URLEncodedBody[DueForm],
    ) -> Template | Redirect:
        try:
            due = dt.date.fromisoformat(data.due_date)
        except ValueError:
            due = dt.date.min  # refused below with the field's message
        try:
            await move_due_date(action_id, due, data.reason, _user(page), now=_now())
        except WrongState as error:
            flash(request, str(error), "error")
            return Redirect(f"/actions/{action_id}")
        except AuditRejected as rejected:
            context = await _context(page, action_id)
            context.update(due_errors={e.key: e.message for e in rejected.errors}, due=data)
            return Template("actions/action.html", context=context, status_code=rejected.status)
        moved = translatable(N_("Due date moved to %(date)s."), date=format_day(due, page.lang))
        flash(request, moved, "ok")
        return Redirect(f"/actions/{action_id}")

    @post("/bulk/verify", guards=[requires_office])
    async def verify_many(
        self,
        request: Request[Any, Any, Any],
        page: NamedDependency[Page],
        data: URLEncodedBody[BulkForm],
    ) -> Redirect:
        """Verify and close the ticked actions of the table; say how many, and which were
        skipped."""
        back = data.back if data.back.startswith("/actions/") else "/actions/"
        try:
            outcome = await step_many(
                data.action_ids, Step.verify, _user(page), data.comment, now=_now()
            )
        except AuditRejected as rejected:
            flash(request, rejected.errors[0].message, "error")
            return Redirect(back)
        done = N_("Verified and closed: %(done)s. Skipped: %(skipped)s.")
        flash(
            request,
            translatable(done, done=len(outcome.done), skipped=len(outcome.skipped)),
            "ok" if not outcome.skipped else "error",
        )
        return Redirect(back)

    @get("/recovery")
    async def recovery(
        self, page: NamedDependency[Page], branch: FromQuery[str | None] = None
    ) -> Template:
        user = _user(page)
        facts = await actions_selectors.recovery_facts(user, now=_now(), branch=branch or None)
        texts = await actions_selectors.item_texts(user, branch=branch or None)
        context = {
            "page": page,
            "figures": recovery_figures(facts),
            "branch": branch or "",
            "item_texts": texts,
        }
        return Template("actions/recovery.html", context=context)

    @get("/emails", guards=[requires_office])
    async def emails(self, page: NamedDependency[Page]) -> Template:
        sent = await mail_log.list_sent(limit=300)
        return Template("actions/emails.html", context={"page": page, "emails": sent})


async def _photo(upload: object, user: CurrentUser):
    """A photo sent with the form becomes an evidence row, stored with the step."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    content = await upload.read()
    try:
        return await evidence_row(content, upload.content_type, user, item_key="action")
    except AuditRejected as rejected:
        rejected.errors[0].key = "photo"
        raise


async def _context(page: Page, action_id: int) -> dict[str, Any]:
    user = _user(page)
    action = await actions_selectors.get_action(action_id, user, now=_now())
    return {
        "page": page,
        "action": action,
        "audit_base": "/review/" if user.is_office else "/branch-audits/",
        "can": {step.value for step, roles in STEP_ROLES.items() if user.role in roles},
        "comment": "",
        "error": "",
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
        "exact_time": lambda step: exact_step_time(step, user),
        "candidates": await owner_candidates(action_id, user),
        "owners_error": "",
        "due_errors": {},
        "due": None,
    }
