"""Corrective actions, written: opened when head office approves an audit (``approve_audit``,
which publishes it), re-checked when the branch's next audit of the same checklist is
published, and moved along by the branch's managers (notes, done) and head office (verify,
reopen). Every step is an ``ActionEvent``.

The rules (what opens, severity, due dates, allowed steps) are pure, in ``actions.rules``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from audits.actions import events, rules
from audits.actions.rules import State, Step
from audits.db.write_lock import write_transaction
from audits.fieldwork import review
from audits.fieldwork.rules import local_time
from audits.fieldwork.schemas import AuditConflict, AuditNotFound, AuditRejected, FieldError
from audits.org.users import CurrentUser
from audits.tables import (
    ActionEvent,
    ActionOwner,
    Audit,
    CorrectiveAction,
    Evidence,
    ManagedBranch,
    Role,
)
from checklists import queries as checklist_queries
from checklists.scoring import results_from

MAX_ACTION_COMMENT = 2000
STEP_KIND = {Step.note: "note", Step.done: "done", Step.verify: "verified", Step.reopen: "reopened"}
"""The event recorded for each person's step."""


class ActionNotFound(AuditNotFound):
    """No such action, or none the caller may see (a manager's other branches)."""


class WrongState(AuditConflict):
    """The action's state does not allow the step (e.g. marking a verified action done)."""


async def approve_audit(
    audit_id: uuid.UUID, reviewer: CurrentUser, comment: str = "", *, now: dt.datetime | None = None
) -> list[int]:
    """Head office approves a submitted audit: published to its branch and, in the same
    transaction, the corrective actions it calls for opened (``open_for_published``); returns
    their ids. Lives here, not in ``fieldwork.review``, because actions depend on fieldwork and
    not the other way."""
    opened: list[int] = []

    async def open_and_count(published: uuid.UUID, when: dt.datetime) -> None:
        opened.extend(await open_for_published(published, when))

    await review.approve(audit_id, reviewer, comment, now=now, on_published=open_and_count)
    return opened


async def open_for_published(audit_id: uuid.UUID, now: dt.datetime) -> list[int]:
    """Open the actions a just-published audit calls for and re-check the branch's earlier
    ones against it. Runs inside the publishing transaction (so a retried publish, refused as
    no longer submitted, opens nothing); ``ref`` is unique besides. Returns the new ids."""
    audit = await _audit_facts(audit_id)
    _, doc = await checklist_queries.get_version_by_id(audit["version"])
    score = results_from(audit["results"])  # as filing scored it
    waiting = await _waiting(audit)
    outcomes = {row["id"]: rules.recheck(score, row["item_key"]) for row in waiting}
    recurring = frozenset(r["item_key"] for r in waiting if outcomes[r["id"]] is State.recurred)
    opened = await _open(audit, rules.openings(doc, score, recurring), now)
    for row in waiting:
        if (outcome := outcomes[row["id"]]) is not None:
            await _recheck(row, outcome, audit_id, opened.get(row["item_key"]), now)
    return list(opened.values())


async def _audit_facts(audit_id: uuid.UUID) -> dict:
    row = (
        await Audit.select(
            Audit.id,
            Audit.branch,
            Audit.version,
            Audit.results,
            Audit.visited_at,
            Audit.branch.timezone.as_alias("timezone"),
            Audit.version._.checklist._.slug.as_alias("checklist"),
        )
        .where(Audit.id == audit_id)
        .first()
    )
    if row is None:
        raise AuditNotFound(f"No audit {audit_id}.")
    return row


async def _waiting(audit: dict) -> list[dict]:
    """The branch's actions from earlier visits of the same checklist that no visit has
    re-checked yet (verified ones too: a fail after head office closed one is a recurrence)."""
    return (
        await CorrectiveAction.select(
            CorrectiveAction.id, CorrectiveAction.item_key, CorrectiveAction.state
        )
        .where(
            CorrectiveAction.branch == audit["branch"],
            CorrectiveAction.checklist == audit["checklist"],
            CorrectiveAction.state.is_in([State.open, State.done, State.verified]),
            CorrectiveAction.rechecked_by.is_null(),
            CorrectiveAction.audit != audit["id"],
            CorrectiveAction.audit.visited_at < audit["visited_at"],
        )
        .order_by(CorrectiveAction.id)
    )


async def _open(audit: dict, openings: list[rules.Opening], now: dt.datetime) -> dict[str, int]:
    if not openings:
        return {}
    today = local_time(now, audit["timezone"]).date()
    rows = [
        CorrectiveAction(
            ref=f"{audit['id']}/{o.item_key}",
            branch=audit["branch"],
            audit=audit["id"],
            checklist=audit["checklist"],
            item_key=o.item_key,
            item_text=o.item_text,
            reason=o.reason,
            reason_code=o.reason_code,
            reason_params=o.reason_params,
            severity=o.severity.value,
            critical=o.critical,
            opened_at=now,
            due_date=rules.due_date(today, o.severity),
            state=State.open.value,
            updated_at=now,
        )
        for o in openings
    ]
    inserted = await (
        CorrectiveAction.insert(*rows)
        .on_conflict(action="DO NOTHING")
        .returning(CorrectiveAction.id, CorrectiveAction.item_key)
    )
    opened = {row["item_key"]: row["id"] for row in inserted}
    if not opened:
        return {}
    owners = await _managers(audit["branch"])
    if owners:
        await ActionOwner.insert(
            *(ActionOwner(action=a, user=u) for a in opened.values() for u in owners)
        )
    await ActionEvent.insert(
        *(
            ActionEvent(action=a, at=now, kind="opened", state_to=State.open, audit=audit["id"])
            for a in opened.values()
        )
    )
    await events.emit_actions(events.OPENED, sorted(opened.values()), now=now)
    return opened


async def _managers(branch_id: int) -> list[int]:
    """The branch's active managers: the owners of an action opened now."""
    rows = await ManagedBranch.select(ManagedBranch.user).where(
        ManagedBranch.branch == branch_id, ManagedBranch.user._.active.eq(True)
    )
    return sorted({row["user"] for row in rows})


async def _recheck(
    row: dict, outcome: State, audit_id: uuid.UUID, new_id: int | None, now: dt.datetime
) -> None:
    values: dict = {CorrectiveAction.rechecked_by: audit_id, CorrectiveAction.updated_at: now}
    kind, to = outcome.value, outcome
    if outcome is State.recurred:
        values |= {CorrectiveAction.recurred_as: new_id, CorrectiveAction.closed_at: now}
    elif row["state"] == State.verified:
        kind, to = "confirmed_by_visit", State.verified  # closed already; the visit agrees
    else:
        values[CorrectiveAction.closed_at] = now
    values[CorrectiveAction.state] = to.value
    await CorrectiveAction.update(values).where(
        CorrectiveAction.id == row["id"], CorrectiveAction.state == row["state"]
    )
    await ActionEvent.insert(
        ActionEvent(
            action=row["id"],
            at=now,
            kind=kind,
            state_from=row["state"],
            state_to=to.value,
            audit=audit_id,
        )
    )


async def take_step(
    action_id: int,
    user: CurrentUser,
    step: Step,
    comment: str = "",
    *,
    photo: Evidence | uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Record a person's step. ``photo`` is a new, checked ``Evidence`` row (stored in the same
    transaction) or the id of one this user uploaded. Which roles may take which step is the
    web layer's guards; the branch scope is checked here (``ActionNotFound``), in the step's
    transaction and before anything in it is written."""
    now = now or dt.datetime.now(dt.UTC)
    comment = comment.strip()
    _check_comment(step, comment, photo is not None)
    to = rules.STEP_TO[step]
    async with write_transaction():
        row = await visible_action_row(action_id, user)
        if not rules.step_allowed(step, row["state"]):
            raise WrongState(f"The action is {row['state']}; it cannot be {STEP_KIND[step]} now.")
        photo_id = await _photo_id(photo, user)
        if isinstance(photo, Evidence):
            await Evidence.insert(photo)
        if to is not None:
            changed = await (
                CorrectiveAction.update(_step_values(to, now))
                .where(
                    CorrectiveAction.id == action_id,
                    CorrectiveAction.state.is_in([s.value for s in rules.ALLOWED_FROM[step]]),
                )
                .returning(CorrectiveAction.id)
            )
            if not changed:
                raise WrongState("The action changed meanwhile; reload it.")
        event = ActionEvent(
            action=action_id,
            user=user.id,
            at=now,
            kind=STEP_KIND[step],
            state_from=row["state"],
            state_to=(to or State(row["state"])).value,
            comment=comment,
            photo=photo_id,
        )
        await ActionEvent.insert(event)
        if to is State.verified:
            await events.emit_actions(events.VERIFIED, [action_id], now=now)


def _check_comment(step: Step, comment: str, has_photo: bool) -> None:
    problem = None
    if len(comment) > MAX_ACTION_COMMENT:
        problem = f"At most {MAX_ACTION_COMMENT} characters."
    elif step is Step.reopen and not comment:
        problem = "Say why the action is reopened."
    elif step is Step.done and not comment:
        problem = "Say what was done."
    elif step is Step.note and not comment and not has_photo:
        problem = "Write a comment or add a photo."
    if problem:
        raise AuditRejected([FieldError("comment", problem)])


async def _photo_id(photo: Evidence | uuid.UUID | None, user: CurrentUser) -> uuid.UUID | None:
    if photo is None or isinstance(photo, Evidence):
        return photo.id if photo is not None else None
    if not await Evidence.exists().where(Evidence.id == photo, Evidence.uploaded_by == user.id):
        raise AuditRejected([FieldError("photo", "No such photo of yours was uploaded.")])
    return photo


def _step_values(to: State, now: dt.datetime) -> dict:
    values: dict = {CorrectiveAction.state: to.value, CorrectiveAction.updated_at: now}
    if to is State.done:
        values[CorrectiveAction.done_at] = now
    elif to is State.verified:
        values[CorrectiveAction.closed_at] = now
    elif to is State.open:  # reopened: it waits for the branch again
        values |= {CorrectiveAction.done_at: None, CorrectiveAction.closed_at: None}
    return values


async def visible_action_row(action_id: int, user: CurrentUser) -> dict:
    """The action's row with its branch code, if ``user`` may see it: head office any,
    a manager those of their branches, a shopper none."""
    row = (
        await CorrectiveAction.select(
            *CorrectiveAction.all_columns(),
            CorrectiveAction.branch.code.as_alias("branch_code"),
        )
        .where(CorrectiveAction.id == action_id)
        .first()
    )
    allowed = row is not None and (
        user.is_office or (user.role is Role.manager and row["branch_code"] in user.branches)
    )
    if not allowed:
        raise ActionNotFound(f"No action {action_id} that you may see.")
    assert row is not None
    return row
