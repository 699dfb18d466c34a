"""Corrective actions, read as the caller may see them: head office all, a branch manager
those of their branches, a shopper none. Overdue is derived here, from the due date and today
in each branch's time zone."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from audits.actions import rules
from audits.actions.rules import ActionFact, State
from audits.actions.services import ActionNotFound, visible_action_row
from audits.fieldwork.disclosure import disclose_action, disclose_action_step
from audits.fieldwork.rules import local_time
from audits.fieldwork.schemas import AuditRejected, FieldError
from audits.org.users import CurrentUser
from audits.tables import ActionEvent, ActionOwner, CorrectiveAction, Evidence, Role


class ActionOut(msgspec.Struct, kw_only=True):
    """An action. ``item_text`` is the item's text in every language the checklist version had;
    ``recurred_as`` is the action the next visit opened when the item failed again, and
    ``recurrence_of`` the earlier action this one repeats. ``overdue`` and ``due_soon`` (due
    today or tomorrow) are read on the branch's calendar."""

    id: int
    branch: str
    branch_name: str
    audit: uuid.UUID
    checklist: str
    item: str
    item_text: dict[str, str]
    reason: str
    reason_code: str = ""
    reason_params: dict[str, Any] = {}
    severity: str
    critical: bool
    state: str
    overdue: bool
    due_date: dt.date
    due_soon: bool = False
    opened_at: dt.datetime
    done_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    rechecked_by: uuid.UUID | None = None
    recurred_as: int | None = None
    recurrence_of: int | None = None
    owners: list[str] = []
    timezone: str = "UTC"  # the branch's clock, for the times a page shows


class ActionEventOut(msgspec.Struct, kw_only=True):
    """One step: who (None for the system: opening, a visit's re-check), when, what."""

    at: dt.datetime
    user: str | None
    kind: str
    state_from: str
    state_to: str
    comment: str = ""
    photo: uuid.UUID | None = None
    audit: uuid.UUID | None = None
    old: str = ""  # owners or due date before a change, and after it
    new: str = ""


class ActionDetail(ActionOut, kw_only=True):
    events: list[ActionEventOut] = []


_COLUMNS = (
    *CorrectiveAction.all_columns(),
    CorrectiveAction.branch.code.as_alias("branch_code"),
    CorrectiveAction.branch.name.as_alias("branch_name"),
    CorrectiveAction.branch.timezone.as_alias("timezone"),
)


def _scoped(query, user: CurrentUser):
    if user.is_office:
        return query
    if user.role is Role.manager and user.branches:
        return query.where(CorrectiveAction.branch.code.is_in(list(user.branches)))
    return query.where(CorrectiveAction.id.is_null())  # shoppers, managers of no branch


WAITING = "waiting"
"""The state filter for open and done actions together: those still waiting for someone."""


def parse_state(state: str | None) -> State | None:
    if not state:
        return None
    try:
        return State(state)
    except ValueError:
        choices = ", ".join([WAITING, *(s.value for s in State)])
        raise AuditRejected([FieldError("state", f"Choose one of {choices}.")]) from None


class _Today:
    """Today on each branch's calendar, worked out once per time zone."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.days: dict[str, dt.date] = {}

    def __call__(self, timezone: str) -> dt.date:
        if timezone not in self.days:
            self.days[timezone] = local_time(self.now, timezone).date()
        return self.days[timezone]


async def list_actions(
    user: CurrentUser,
    *,
    now: dt.datetime,
    branch: str | None = None,
    state: str | None = None,
    overdue: bool | None = None,
    audit: uuid.UUID | None = None,
    limit: int = 500,
) -> list[ActionOut]:
    """Actions the user may see, soonest due first. ``state`` is one of ``State`` or
    ``waiting`` (open or done); ``overdue`` filters on the derived flag."""
    query = _scoped(CorrectiveAction.select(*_COLUMNS), user)
    if branch:
        query = query.where(CorrectiveAction.branch.code == branch)
    if audit is not None:
        query = query.where(CorrectiveAction.audit == audit)
    if state == WAITING:
        query = query.where(CorrectiveAction.state.is_in([s.value for s in rules.ACTIVE]))
    elif chosen := parse_state(state):
        query = query.where(CorrectiveAction.state == chosen.value)
    rows = await query.order_by(CorrectiveAction.due_date).order_by(CorrectiveAction.id)
    actions = await _out(rows, _Today(now), user)
    if overdue is not None:
        actions = [a for a in actions if a.overdue is overdue]
    return actions[:limit]


async def _out(rows: list[dict], today: _Today, user: CurrentUser) -> list[ActionOut]:
    ids = [row["id"] for row in rows]
    owners: dict[int, list[str]] = {}
    previous: dict[int, int] = {}
    if ids:
        for o in await ActionOwner.select(
            ActionOwner.action, ActionOwner.user.username.as_alias("username")
        ).where(ActionOwner.action.is_in(ids)):
            owners.setdefault(o["action"], []).append(o["username"])
        for p in await CorrectiveAction.select(
            CorrectiveAction.id, CorrectiveAction.recurred_as
        ).where(CorrectiveAction.recurred_as.is_in(ids)):
            previous[p["recurred_as"]] = p["id"]
    return [
        disclose_action(
            _action_out(r, today, owners.get(r["id"], []), previous.get(r["id"])),
            user,
            zone=r["timezone"],
        )
        for r in rows
    ]


def _json(value: Any) -> dict[str, Any]:
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    return decoded if isinstance(decoded, dict) else {}


def _action_out(row: dict, today: _Today, owners: list[str], previous: int | None) -> ActionOut:
    text = row["item_text"]
    return ActionOut(
        id=row["id"],
        branch=row["branch_code"],
        branch_name=row["branch_name"],
        audit=row["audit"],
        checklist=row["checklist"],
        item=row["item_key"],
        item_text=msgspec.json.decode(text) if isinstance(text, str) else text,
        reason=row["reason"],
        reason_code=row["reason_code"],
        reason_params=_json(row["reason_params"]),
        severity=row["severity"],
        critical=row["critical"],
        state=row["state"],
        overdue=rules.is_overdue(row["state"], row["due_date"], today(row["timezone"])),
        due_date=row["due_date"],
        due_soon=rules.is_due_soon(row["state"], row["due_date"], today(row["timezone"])),
        opened_at=row["opened_at"],
        done_at=row["done_at"],
        closed_at=row["closed_at"],
        rechecked_by=row["rechecked_by"],
        recurred_as=row["recurred_as"],
        recurrence_of=previous,
        owners=sorted(owners),
        timezone=row["timezone"] or "UTC",
    )


async def audit_actions(audit_id: uuid.UUID, user: CurrentUser) -> list[ActionOut]:
    """The actions an audit opened, for its page."""
    return await list_actions(user, now=dt.datetime.now(dt.UTC), audit=audit_id)


async def get_action(action_id: int, user: CurrentUser, *, now: dt.datetime) -> ActionDetail:
    """One action with its whole history, oldest step first."""
    await visible_action_row(action_id, user)
    rows = await CorrectiveAction.select(*_COLUMNS).where(CorrectiveAction.id == action_id)
    action = (await _out(rows, _Today(now), user))[0]
    events = (
        await ActionEvent.select(
            *ActionEvent.all_columns(), ActionEvent.user.username.as_alias("username")
        )
        .where(ActionEvent.action == action_id)
        .order_by(ActionEvent.id)  # the order recorded, whatever clocks said
    )
    history = [
        disclose_action_step(
            ActionEventOut(
                at=e["at"],
                user=e["username"],
                kind=e["kind"],
                state_from=e["state_from"],
                state_to=e["state_to"],
                comment=e["comment"],
                photo=e["photo"],
                audit=e["audit"],
                old=e["old"],
                new=e["new"],
            ),
            user,
            zone=rows[0]["timezone"],
        )
        for e in events
    ]
    return ActionDetail(**msgspec.structs.asdict(action), events=history)


async def action_photo(
    action_id: int, evidence_id: uuid.UUID, user: CurrentUser
) -> tuple[bytes, str]:
    """A photo recorded on the action, to whoever may see the action."""
    await visible_action_row(action_id, user)
    recorded = await ActionEvent.exists().where(
        ActionEvent.action == action_id, ActionEvent.photo == evidence_id
    )
    row = (
        await Evidence.select(Evidence.data, Evidence.content_type)
        .where(Evidence.id == evidence_id)
        .first()
        if recorded
        else None
    )
    if row is None:
        raise ActionNotFound("No such photo on this action.")
    return bytes(row["data"]), row["content_type"]


async def item_texts(user: CurrentUser, *, branch: str | None = None) -> dict[str, dict[str, str]]:
    """The text (in every language its checklist had) of each item the user's actions are
    about, by item key: what the recovery figures name an item by. The latest action's text
    wins when a later checklist version reworded the item."""
    query = _scoped(
        CorrectiveAction.select(CorrectiveAction.item_key, CorrectiveAction.item_text), user
    )
    if branch:
        query = query.where(CorrectiveAction.branch.code == branch)
    texts: dict[str, dict[str, str]] = {}
    for row in await query.order_by(CorrectiveAction.id):
        text = row["item_text"]
        decoded = msgspec.json.decode(text) if isinstance(text, str) else text
        if decoded:
            texts[row["item_key"]] = decoded
    return texts


async def recovery_facts(
    user: CurrentUser, *, now: dt.datetime, branch: str | None = None
) -> list[ActionFact]:
    """The actions the user may see as plain facts for ``reports.recovery.recovery_figures``
    (the branch and head-office reports use this pair)."""
    query = _scoped(CorrectiveAction.select(*_COLUMNS), user)
    if branch:
        query = query.where(CorrectiveAction.branch.code == branch)
    today = _Today(now)
    facts = []
    for row in await query.order_by(CorrectiveAction.id):
        zone = row["timezone"]
        closed = row["closed_at"]
        facts.append(
            ActionFact(
                branch=row["branch_code"],
                item_key=row["item_key"],
                state=State(row["state"]),
                opened_on=local_time(row["opened_at"], zone).date(),
                closed_on=local_time(closed, zone).date() if closed else None,
                overdue=rules.is_overdue(row["state"], row["due_date"], today(zone)),
                rechecked=row["rechecked_by"] is not None,
            )
        )
    return facts
