"""What corrective actions tell other systems: opened, overdue, verified, written through the
webhooks outbox in the transaction of the fact. Overdue is derived (due date and the branch's
today), not stored, so ``emit_overdue`` looks for it on each runner pass and writes the event
once per action and due date (the outbox's dedup key). That key is needed as long as the
action could be overdue on that date again: while it has that due date (an action verified
may be reopened), or while its due date may be moved back to it (``MAX_DUE_DAYS``); the
webhook runner's pruning keeps it till then (``overdue_keys_needed``)."""

from __future__ import annotations

import datetime as dt

from audits.actions import rules
from audits.actions.rules import MAX_DUE_DAYS, State
from audits.db.write_lock import write_transaction
from audits.fieldwork.rules import local_time
from audits.tables import CorrectiveAction
from audits.webhooks import outbox
from audits.webhooks.schemas import ActionData

OPENED = "action.opened"
OVERDUE = "action.overdue"
VERIFIED = "action.verified"

_COLUMNS = (
    CorrectiveAction.id,
    CorrectiveAction.audit,
    CorrectiveAction.checklist,
    CorrectiveAction.item_key,
    CorrectiveAction.severity,
    CorrectiveAction.critical,
    CorrectiveAction.due_date,
    CorrectiveAction.state,
    CorrectiveAction.branch.code.as_alias("branch_code"),
    CorrectiveAction.branch.timezone.as_alias("timezone"),
)


def _data(row: dict) -> ActionData:
    return ActionData(
        action_id=row["id"],
        audit_id=row["audit"],
        branch=row["branch_code"],
        checklist=row["checklist"],
        item_key=row["item_key"],
        severity=row["severity"],
        critical=row["critical"],
        due_date=row["due_date"],
        state=row["state"],
    )


async def emit_actions(kind: str, action_ids: list[int], *, now: dt.datetime) -> None:
    """One event ``kind`` per action; inside the transaction that changed them."""
    if not action_ids or not (endpoints := await outbox.subscribers(kind)):
        return
    rows = await CorrectiveAction.select(*_COLUMNS).where(CorrectiveAction.id.is_in(action_ids))
    for row in sorted(rows, key=lambda r: r["id"]):
        await outbox.emit(kind, _data(row), now=now, endpoints=endpoints)


async def emit_overdue(now: dt.datetime) -> int:
    """``action.overdue`` for each open action past its due date in its branch's calendar, once
    per action and due date however many runners look; returns how many were written."""
    if not (endpoints := await outbox.subscribers(OVERDUE)):
        return 0
    rows = await CorrectiveAction.select(*_COLUMNS).where(
        CorrectiveAction.state == State.open.value,
        CorrectiveAction.due_date < (now + dt.timedelta(days=1)).date(),  # no zone is further
    )
    due = {
        _overdue_key(row): row
        for row in rows
        if rules.is_overdue(row["state"], row["due_date"], local_time(now, row["timezone"]).date())
    }
    told = await outbox.already_written(list(due))  # most passes find nothing new: no writes
    written = 0
    for key, row in due.items():
        if key in told:
            continue
        async with write_transaction():
            if await outbox.emit(OVERDUE, _data(row), now=now, endpoints=endpoints, dedup=key):
                written += 1
    return written


def _overdue_key(row: dict) -> str:
    return f"{OVERDUE}:{row['id']}:{row['due_date'].isoformat()}"


async def overdue_keys_needed(keys: list[str], *, today: dt.date) -> set[str]:
    """Of these dedup keys, the ones an ``action.overdue`` could be written under again: the
    action is still there and still has that due date, or the date is one its due date may be
    moved back to. A key not of ``emit_overdue`` is kept: another writer's."""
    wanted: dict[int, list[tuple[str, dt.date]]] = {}
    needed: set[str] = set()
    for key in keys:
        parsed = _parse_overdue_key(key)
        if parsed is None:
            needed.add(key)
        else:
            wanted.setdefault(parsed[0], []).append((key, parsed[1]))
    ids = list(wanted)
    due: dict[int, dt.date] = {}
    for start in range(0, len(ids), 500):
        rows = await CorrectiveAction.select(CorrectiveAction.id, CorrectiveAction.due_date).where(
            CorrectiveAction.id.is_in(ids[start : start + 500])
        )
        due |= {row["id"]: row["due_date"] for row in rows}
    earliest = today - dt.timedelta(days=MAX_DUE_DAYS + 1)  # a day for the branches' zones
    for action_id, dated in wanted.items():
        if action_id not in due:
            continue  # the action is gone (its audit was deleted): never again
        needed |= {key for key, on in dated if on == due[action_id] or on >= earliest}
    return needed


def _parse_overdue_key(key: str) -> tuple[int, dt.date] | None:
    action, _, day = key.removeprefix(f"{OVERDUE}:").partition(":")
    if not key.startswith(f"{OVERDUE}:") or not action.isdigit():
        return None
    try:
        return int(action), dt.date.fromisoformat(day)
    except ValueError:
        return None
