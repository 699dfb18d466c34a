"""Changes to an action besides its steps: who owns it, when it is due, and one step taken on
many actions at once. Each change is an ``ActionEvent`` with the value before and after, so the
history says who moved a due date, from when to when, and why.

Head office reassigns any action and moves due dates; a branch manager reassigns their own
branches' actions among that branch's managers. Owners are active managers of the action's
branch or head office.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.actions.rules import CLOSED, MAX_DUE_DAYS, State, Step
from audits.actions.services import (
    MAX_ACTION_COMMENT,
    ActionNotFound,
    WrongState,
    take_step,
    visible_action_row,
)
from audits.db.write_lock import write_transaction
from audits.fieldwork.schemas import AuditRejected, FieldError
from audits.org.users import CurrentUser
from audits.tables import ActionEvent, ActionOwner, CorrectiveAction, ManagedBranch, Profile, Role

MAX_BULK = 500


def N_(text: str) -> str:
    """Marks a message for extraction; the page translates it where it is shown."""
    return text


class BulkOutcome(msgspec.Struct, frozen=True):
    """What a step on many actions did: the ids it moved, and each one it could not with why."""

    done: list[int]
    skipped: dict[int, str]


async def owner_candidates(action_id: int, user: CurrentUser) -> list[str]:
    """Who may own the action: the active managers of its branch, and head office."""
    row = await visible_action_row(action_id, user)
    managers = await ManagedBranch.select(ManagedBranch.user.username).where(
        ManagedBranch.branch == row["branch"], ManagedBranch.user._.active.eq(True)
    )
    names = {m["user.username"] for m in managers}
    if user.is_office:
        office = await Profile.select(Profile.user.username).where(
            Profile.role.is_in([Role.office.value, Role.admin.value]),
            Profile.user._.active.eq(True),
        )
        names |= {o["user.username"] for o in office}
    return sorted(names)


async def _owners(action_id: int) -> list[str]:
    rows = await ActionOwner.select(ActionOwner.user.username).where(
        ActionOwner.action == action_id
    )
    return sorted(r["user.username"] for r in rows)


async def set_owners(
    action_id: int, usernames: list[str], user: CurrentUser, *, now: dt.datetime | None = None
) -> list[str]:
    """Make ``usernames`` the action's owners (at least one); returns them."""
    now = now or dt.datetime.now(dt.UTC)
    wanted = sorted({u.strip() for u in usernames if u.strip()})
    if user.role is Role.shopper:
        raise ActionNotFound(f"No action {action_id} that you may see.")
    candidates = await owner_candidates(action_id, user)
    if not wanted:
        raise AuditRejected([FieldError("owners", N_("Choose at least one owner."))])
    if any(u not in candidates for u in wanted):
        message = N_("Only the branch's managers or head office can own its actions.")
        raise AuditRejected([FieldError("owners", message)])
    async with write_transaction():
        row = await visible_action_row(action_id, user)
        before = await _owners(action_id)
        if before == wanted:
            return wanted
        ids = await BaseUser.select(BaseUser.id).where(BaseUser.username.is_in(wanted))
        await ActionOwner.delete().where(ActionOwner.action == action_id)
        await ActionOwner.insert(*(ActionOwner(action=action_id, user=i["id"]) for i in ids))
        await CorrectiveAction.update({CorrectiveAction.updated_at: now}).where(
            CorrectiveAction.id == action_id
        )
        await ActionEvent.insert(
            ActionEvent(
                action=action_id, user=user.id, at=now, kind="owners",
                state_from=row["state"], state_to=row["state"],
                old=", ".join(before), new=", ".join(wanted),
            )
        )  # fmt: skip
    return wanted


async def move_due_date(
    action_id: int,
    due: dt.date,
    reason: str,
    user: CurrentUser,
    *,
    now: dt.datetime | None = None,
) -> None:
    """Head office moves an open action's due date, saying why (kept in its history)."""
    now = now or dt.datetime.now(dt.UTC)
    reason = reason.strip()
    if not user.is_office:
        raise ActionNotFound(f"No action {action_id} that you may move.")
    problems = []
    if not reason:
        problems.append(FieldError("reason", N_("Say why the due date moves.")))
    elif len(reason) > MAX_ACTION_COMMENT:
        problems.append(FieldError("reason", N_("At most 2,000 characters.")))
    if (
        not now.date() - dt.timedelta(days=MAX_DUE_DAYS)
        <= due
        <= now.date() + dt.timedelta(days=MAX_DUE_DAYS)
    ):
        problems.append(FieldError("due_date", N_("A due date within a year of today.")))
    if problems:
        raise AuditRejected(problems)
    async with write_transaction():
        row = await visible_action_row(action_id, user)
        if State(row["state"]) in CLOSED:
            raise WrongState(f"The action is {row['state']}; a closed action has no due date.")
        if row["due_date"] == due:
            return
        await CorrectiveAction.update(
            {CorrectiveAction.due_date: due, CorrectiveAction.updated_at: now}
        ).where(CorrectiveAction.id == action_id)
        await ActionEvent.insert(
            ActionEvent(
                action=action_id, user=user.id, at=now, kind="due_moved",
                state_from=row["state"], state_to=row["state"], comment=reason,
                old=row["due_date"].isoformat(), new=due.isoformat(),
            )
        )  # fmt: skip


async def step_many(
    action_ids: list[int],
    step: Step,
    user: CurrentUser,
    comment: str = "",
    *,
    now: dt.datetime | None = None,
) -> BulkOutcome:
    """The same step on each action, one transaction each: an action that cannot take it
    (another state, not yours to see) is skipped with the reason, the others go ahead."""
    if len(action_ids) > MAX_BULK:
        raise AuditRejected([FieldError("ids", N_("At most 500 actions at once."))])
    if not action_ids:
        raise AuditRejected([FieldError("ids", N_("Choose at least one action."))])
    done: list[int] = []
    skipped: dict[int, str] = {}
    for action_id in dict.fromkeys(action_ids):  # once each, in the order given
        try:
            await take_step(action_id, user, step, comment, now=now)
        except (WrongState, ActionNotFound) as error:
            skipped[action_id] = str(error)
        else:
            done.append(action_id)
    return BulkOutcome(done, skipped)
