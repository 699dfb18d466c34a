"""The demo's corrective actions: its year of audits replayed in visit order through the same
code that opens and re-checks actions when head office publishes an audit, so earlier actions
end verified by a later visit or recurred, and each branch's last visit leaves actions open
(the rarely visited branches' overdue). Then, as the demo's people would have: the manager
marks some of their branches' open actions done, and head office verifies and closes some.

Loaded once: when any demo audit already has an action, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Column

from audits.actions.rules import State
from audits.actions.services import open_for_published
from audits.demo.generator import DemoOrganisation
from audits.tables import ActionEvent, Audit, CorrectiveAction

DONE_EVERY, VERIFIED_EVERY = 3, 4
"""Of the open actions of the manager's branches, every third is marked done; of the rest of
the open ones, every fourth is verified by head office."""
DONE_NOTES = (
    "Talked it through with the team at the morning briefing; we check it daily now.",
    "Fixed on the spot and added to the shift checklist.",
    "Retrained the two new colleagues; photo of the updated notice attached to the audit.",
)
VERIFY_NOTE = "Confirmed with the branch by phone."


async def load_demo_actions(org: DemoOrganisation, report: Callable[[str, int, int], None]) -> int:
    """Replay the demo's audits (published, as loaded) and return how many actions opened."""
    audits = sorted(org.audits, key=lambda a: a.visited_at)
    ids = [a.id for a in audits]
    if await _loaded(ids):
        report("actions", len(ids), len(ids))
        return 0
    opened = 0
    async with Audit._meta.db.transaction():
        for done, audit in enumerate(audits, start=1):
            opened += len(await open_for_published(audit.id, audit.submitted_at))
            if done % 50 == 0 or done == len(audits):
                report("actions", done, len(audits))
        await _people_steps(org)
    return opened


async def _loaded(ids: list) -> bool:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        if await CorrectiveAction.exists().where(CorrectiveAction.audit.is_in(chunk)):
            return True
    return False


async def _people_steps(org: DemoOrganisation) -> None:
    users = {r["username"]: r["id"] for r in await BaseUser.select(BaseUser.id, BaseUser.username)}
    managed = {code for u in org.users if u.role == "manager" for code in u.branches}
    rows = (
        await CorrectiveAction.select(
            CorrectiveAction.id,
            CorrectiveAction.opened_at,
            CorrectiveAction.branch.code.as_alias("code"),
        )
        .where(CorrectiveAction.state == State.open.value)
        .order_by(CorrectiveAction.id)
    )
    mine = [r for r in rows if r["code"] in managed]
    done = mine[::DONE_EVERY]
    done_ids = {r["id"] for r in done}
    verified = [r for r in rows if r["id"] not in done_ids][::VERIFIED_EVERY]
    for n, row in enumerate(done):
        note = DONE_NOTES[n % len(DONE_NOTES)]
        await _step(row, users.get("manager"), State.done, "done", note, dt.timedelta(days=1))
    for row in verified:
        await _step(
            row, users.get("office"), State.verified, "verified", VERIFY_NOTE, dt.timedelta(days=2)
        )


async def _step(
    row: dict, user: int | None, to: State, kind: str, comment: str, after: dt.timedelta
) -> None:
    at = min(row["opened_at"] + after, dt.datetime.now(dt.UTC))
    values: dict[Column | str, Any] = {
        CorrectiveAction.state: to.value,
        CorrectiveAction.updated_at: at,
    }
    values[CorrectiveAction.done_at if to is State.done else CorrectiveAction.closed_at] = at
    await CorrectiveAction.update(values).where(CorrectiveAction.id == row["id"])
    await ActionEvent.insert(
        ActionEvent(
            action=row["id"],
            user=user,
            at=at,
            kind=kind,
            state_from=State.open.value,
            state_to=to.value,
            comment=comment,
        )
    )
