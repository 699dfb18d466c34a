"""What corrective actions tell other systems: opened, overdue, verified, written through the
webhooks outbox in the transaction of the fact. Overdue is derived (due date and the branch's
today), not stored, so ``emit_overdue`` looks for it on each runner pass and writes the event
once per action and due date (the outbox's dedup key)."""

from __future__ import annotations

import datetime as dt

from audits.actions import rules
from audits.actions.rules import State
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
