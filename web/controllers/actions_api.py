"""JSON API for corrective actions (tag ``actions``): list, read, and the steps of managers
(notes, done) and head office (verify, reopen); recovery figures; the sent e-mails.

Shoppers get 403 everywhere; a manager reading another branch's action gets 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from audits.actions import mail_log
from audits.actions import selectors as actions_selectors
from audits.actions.changes import MAX_BULK, move_due_date, set_owners, step_many
from audits.actions.mail_log import SentEmailOut
from audits.actions.rules import Step
from audits.actions.selectors import ActionDetail, ActionOut
from audits.actions.services import take_step
from audits.boundary.bounds import Comment, Id, Name
from audits.org.users import CurrentUser
from audits.tables import Role
from reports.recovery import RecoveryFigures, recovery_figures
from web.auth import requires_office, requires_role
from web.params import PathId, QueryLimit
from web.photo_response import PHOTO_MEDIA_TYPE, photo_response

requires_manager = requires_role(Role.manager)
requires_reader = requires_role(Role.manager, Role.office)


class StepIn(msgspec.Struct):
    """A comment (required to mark done or reopen) and, optionally, the id of a photo uploaded
    with ``POST /api/evidence``."""

    comment: Comment = ""
    photo: uuid.UUID | None = None


class OwnersIn(msgspec.Struct):
    """The usernames to own the action: active managers of its branch, or head office."""

    owners: Annotated[list[Name], msgspec.Meta(min_length=1, max_length=50)]


class DueIn(msgspec.Struct):
    """The new due date and why it moves (required; kept in the action's history)."""

    due_date: dt.date
    reason: Comment


class BulkVerifyIn(msgspec.Struct):
    """Actions to verify and close at once, with an optional comment for each."""

    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=MAX_BULK)]
    comment: Comment = ""


class BulkOut(msgspec.Struct):
    """The actions the step moved, and each one skipped with the reason."""

    done: list[int]
    skipped: dict[int, str]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _step(action_id: int, user: CurrentUser, step: Step, data: StepIn | None):
    data = data or StepIn()
    await take_step(action_id, user, step, data.comment, photo=data.photo, now=_now())
    return await actions_selectors.get_action(action_id, user, now=_now())


class ActionApiController(Controller):
    path = "/api/actions"
    tags = ["actions"]
    guards = [requires_reader]

    @get("/")
    async def list_actions(
        self,
        user: NamedDependency[CurrentUser],
        branch: FromQuery[str | None] = None,
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
        overdue: FromQuery[bool | None] = None,
    ) -> list[ActionOut]:
        """Actions you may see, soonest due first: head office all, a manager their branches'.
        ``state`` is open, done, verified, verified_by_visit, recurred, or waiting (open or
        done); ``overdue`` is
        derived from the due date and today in the branch's time zone."""
        return await actions_selectors.list_actions(
            user, now=_now(), branch=branch, state=state_filter, overdue=overdue
        )

    @get("/{action_id:int}")
    async def get_action(
        self, action_id: PathId, user: NamedDependency[CurrentUser]
    ) -> ActionDetail:
        """One action with every step of its history and its audit(s)."""
        return await actions_selectors.get_action(action_id, user, now=_now())

    @post("/{action_id:int}/notes", status_code=200)
    async def note(
        self,
        action_id: PathId,
        user: NamedDependency[CurrentUser],
        data: JSONBody[StepIn],
    ) -> ActionDetail:
        """Record something without changing the state (a comment or a photo)."""
        return await _step(action_id, user, Step.note, data)

    @post("/{action_id:int}/done", status_code=200, guards=[requires_manager])
    async def done(
        self,
        action_id: PathId,
        user: NamedDependency[CurrentUser],
        data: JSONBody[StepIn],
    ) -> ActionDetail:
        """The branch's manager says what was done (required) and marks the action done;
        409 unless it is open."""
        return await _step(action_id, user, Step.done, data)

    @post("/{action_id:int}/verify", status_code=200, guards=[requires_office])
    async def verify(
        self,
        action_id: PathId,
        user: NamedDependency[CurrentUser],
        data: JSONBody[StepIn | None] = None,
    ) -> ActionDetail:
        """Head office verifies and closes an open or done action."""
        return await _step(action_id, user, Step.verify, data)

    @post("/{action_id:int}/reopen", status_code=200, guards=[requires_office])
    async def reopen(
        self,
        action_id: PathId,
        user: NamedDependency[CurrentUser],
        data: JSONBody[StepIn],
    ) -> ActionDetail:
        """Head office reopens a done or verified action, saying why (required)."""
        return await _step(action_id, user, Step.reopen, data)

    @post("/{action_id:int}/owners", status_code=200)
    async def owners(
        self,
        action_id: PathId,
        user: NamedDependency[CurrentUser],
        data: JSONBody[OwnersIn],
    ) -> ActionDetail:
        """Reassign the action: head office to anyone who may own it, a manager among their
        branch's managers; 422 names an owner who may not."""
        await set_owners(action_id, data.owners, user, now=_now())
        return await actions_selectors.get_action(action_id, user, now=_now())

    @post("/{action_id:int}/due", status_code=200, guards=[requires_office])
    async def move_due(
        self,
        action_id: PathId,
        user: NamedDependency[CurrentUser],
        data: JSONBody[DueIn],
    ) -> ActionDetail:
        """Head office moves the due date of a waiting action, with a reason; 409 when the
        action is closed."""
        await move_due_date(action_id, data.due_date, data.reason, user, now=_now())
        return await actions_selectors.get_action(action_id, user, now=_now())

    @post("/bulk/verify", status_code=200, guards=[requires_office])
    async def verify_many(
        self, user: NamedDependency[CurrentUser], data: JSONBody[BulkVerifyIn]
    ) -> BulkOut:
        """Verify and close many actions at once; those that cannot be (closed already, not
        found) are skipped with the reason, the others are verified."""
        outcome = await step_many(data.ids, Step.verify, user, data.comment, now=_now())
        return BulkOut(outcome.done, outcome.skipped)

    @get("/{action_id:int}/photos/{evidence_id:uuid}", media_type=PHOTO_MEDIA_TYPE)
    async def photo(
        self,
        action_id: PathId,
        evidence_id: FromPath[uuid.UUID],
        user: NamedDependency[CurrentUser],
    ) -> Response[bytes]:
        """A photo recorded on the action."""
        content, content_type = await actions_selectors.action_photo(action_id, evidence_id, user)
        return photo_response(content, content_type)

    @get("/recovery")
    async def recovery(
        self, user: NamedDependency[CurrentUser], branch: FromQuery[str | None] = None
    ) -> RecoveryFigures:
        """Open and overdue counts, median days to close and recurrence rate, in all and per
        branch and item, over the actions you may see."""
        facts = await actions_selectors.recovery_facts(user, now=_now(), branch=branch)
        return recovery_figures(facts)

    @get("/emails", guards=[requires_office])
    async def emails(
        self, day: FromQuery[dt.date | None] = None, limit: QueryLimit = 200
    ) -> list[SentEmailOut]:
        """Reminders and digests sent (or failed), newest first."""
        return await mail_log.list_sent(day=day, limit=limit)
