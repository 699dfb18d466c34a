"""Who is reminded of what: each owner their open actions that are due soon or overdue, and
head office a digest of every branch's waiting actions. Composing and sending the e-mails is
the web layer's (``web.reminders``)."""

from __future__ import annotations

import datetime as dt

import msgspec

from audits.actions import rules
from audits.actions.rules import State
from audits.actions.selectors import ActionOut, list_actions
from audits.org.users import CurrentUser
from audits.tables import ActionOwner, ManagedBranch, Profile, Role

SYSTEM = CurrentUser(id=0, username="system", role=Role.office)
"""Reads every action, as head office would."""


class Recipient(msgspec.Struct, frozen=True):
    id: int
    username: str
    email: str
    language: str | None


async def owner_reminders(now: dt.datetime) -> list[tuple[Recipient, list[ActionOut]]]:
    """Each active owner who still manages the branch, with their open actions due within
    ``DUE_SOON_DAYS`` or overdue (most overdue first); owners with none are left out."""
    waiting = {
        a.id: a
        for a in await list_actions(SYSTEM, now=now, state=State.open.value, limit=100_000)
        if a.overdue or a.due_soon
    }
    if not waiting:
        return []
    owned = await ActionOwner.select(ActionOwner.action, ActionOwner.user).where(
        ActionOwner.action.is_in(list(waiting)), ActionOwner.user._.active.eq(True)
    )
    managing = {
        (r["user"], r["code"])
        for r in await ManagedBranch.select(
            ManagedBranch.user, ManagedBranch.branch.code.as_alias("code")
        )
    }
    per_user: dict[int, list[ActionOut]] = {}
    for row in owned:
        action = waiting[row["action"]]
        if (row["user"], action.branch) in managing:
            per_user.setdefault(row["user"], []).append(action)
    people = await _recipients(list(per_user))
    return [
        (people[user], sorted(actions, key=lambda a: (a.due_date, a.id)))
        for user, actions in sorted(per_user.items())
        if user in people
    ]


async def office_recipients() -> list[Recipient]:
    """Active head-office users (role office), who get the digest."""
    rows = await Profile.select(Profile.user).where(
        Profile.role == Role.office.value, Profile.user._.active.eq(True)
    )
    people = await _recipients([r["user"] for r in rows])
    return [people[k] for k in sorted(people)]


async def waiting_actions(now: dt.datetime) -> list[ActionOut]:
    """Every open or done action, for the digest."""
    actions = await list_actions(SYSTEM, now=now, limit=100_000)
    return [a for a in actions if a.state in rules.ACTIVE]


async def _recipients(user_ids: list[int]) -> dict[int, Recipient]:
    if not user_ids:
        return {}
    rows = await Profile.select(
        Profile.user,
        Profile.language,
        Profile.user.username.as_alias("username"),
        Profile.user.email.as_alias("email"),
    ).where(Profile.user.is_in(user_ids))
    return {
        r["user"]: Recipient(r["user"], r["username"], r["email"] or "", r["language"])
        for r in rows
        if r["email"]
    }
