"""Head office's review: approve a submitted audit (published to its branch) or return it to the
shopper with a comment; the queue of audits waiting, and the trail of every change.

Approving is ``audits.actions.services.approve_audit``: it calls ``approve`` here with the opener
of corrective actions, so both happen in one transaction while fieldwork knows nothing of actions.

Transitions are conditional updates (``WHERE status = 'submitted'``), so two reviewers acting at
once cannot both succeed: the second gets ``WrongStatus``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Column
from piccolo.query.functions.aggregate import Count, Max

from audits.db.kept_results import keep, read_kept
from audits.db.write_lock import write_transaction
from audits.fieldwork import events
from audits.fieldwork.risk import RiskReason, TrackRecord, visit_risk
from audits.fieldwork.rules import FLAG_TEXT, local_time
from audits.fieldwork.schemas import AuditConflict, AuditNotFound, AuditRejected, FieldError
from audits.org.users import CurrentUser
from audits.tables import Audit, AuditChange, Branch, Staff

MAX_REVIEW_COMMENT = 2000
OnPublished = Callable[[uuid.UUID, dt.datetime], Awaitable[object]]
"""What must happen with a publication, inside its transaction: called with the audit and when."""
_EXPANDED = ("answers", "comments")
"""Fields stored whole in the trail but shown item by item."""


class WrongStatus(AuditConflict):
    """The audit is not in a status that allows this (e.g. approving a published audit)."""


class QueueEntry(msgspec.Struct, kw_only=True):
    """An audit waiting for review; ``returned_before`` when the shopper already fixed it once.
    ``visited_at`` is on the branch's clock (``timezone``), as the shopper saw it."""

    id: uuid.UUID
    branch: str
    timezone: str
    checklist: str
    visited_at: dt.datetime
    submitted_at: dt.datetime
    auditor: str | None
    score: float | None
    critical_fail: bool
    flags: list[str]
    returned_before: bool
    risk: float = 0.0
    """Points by which the queue is ordered (``audits.fieldwork.risk``); ``risk_reasons`` says
    where they come from, ``dismissed`` the flags a reviewer checked and set aside."""
    risk_reasons: list[RiskReason] = []
    dismissed: list[str] = []


class TrailEntry(msgspec.Struct, kw_only=True):
    """One change: who, when, what (``field`` empty for a change of the whole audit), old → new.
    Answers and comments appear item by item (``answers.wait_minutes``)."""

    at: dt.datetime
    user: str | None
    action: str
    field: str = ""
    old: Any = None
    new: Any = None
    comment: str = ""


def _require_office(user: CurrentUser) -> None:
    if not user.is_office:
        raise AuditNotFound("No audit that you may review.")


def _json_text(value: object) -> str | None:
    """JSON text for a JSON column (Piccolo stores a ``str`` as it is, unencoded)."""
    return None if value is None else msgspec.json.encode(value).decode()


def _loads(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return msgspec.json.decode(value)
    except msgspec.DecodeError:  # written unencoded by an older path: show it as it is
        return value


async def approve(
    audit_id: uuid.UUID,
    reviewer: CurrentUser,
    comment: str = "",
    *,
    now: dt.datetime | None = None,
    on_published: OnPublished,
) -> None:
    """Publish a submitted audit to its branch; ``on_published`` runs in the same transaction
    (required, so no caller can publish and forget it). Callers use
    ``audits.actions.services.approve_audit``, which passes the opener of corrective actions."""
    await _transition(
        audit_id, reviewer, Audit.Status.published, "approved", comment, now, on_published
    )


async def return_to_shopper(
    audit_id: uuid.UUID, reviewer: CurrentUser, comment: str, *, now: dt.datetime | None = None
) -> None:
    """Send a submitted audit back to its shopper, saying what to fix (required)."""
    if not comment.strip():
        raise AuditRejected([FieldError("comment", "Say what the shopper should fix.")])
    await _transition(audit_id, reviewer, Audit.Status.returned, "returned", comment, now, None)


async def _transition(
    audit_id: uuid.UUID,
    reviewer: CurrentUser,
    to: Audit.Status,
    action: str,
    comment: str,
    now: dt.datetime | None,
    on_published: OnPublished | None,
) -> None:
    _require_office(reviewer)
    comment = comment.strip()
    if len(comment) > MAX_REVIEW_COMMENT:
        message = f"At most {MAX_REVIEW_COMMENT} characters."
        raise AuditRejected([FieldError("comment", message)])
    now = now or dt.datetime.now(dt.UTC)
    submitted = Audit.Status.submitted
    async with write_transaction():
        row = await Audit.select(Audit.status).where(Audit.id == audit_id).first()
        if row is None:
            raise AuditNotFound(f"No audit {audit_id}.")
        values: dict[Column | str, Any] = {
            Audit.status: to,
            Audit.review_comment: comment,
            Audit.reviewed_by: reviewer.id,
            Audit.reviewed_at: now,
            Audit.updated_at: now,
        }
        changed = await (
            Audit.update(values)
            .where(Audit.id == audit_id, Audit.status == submitted)
            .returning(Audit.id)
        )
        if not changed:
            raise WrongStatus(
                f"The audit is {row['status']}; only a submitted audit can be {action}."
            )
        await AuditChange.insert(
            AuditChange(
                audit=audit_id,
                user=reviewer.id,
                at=now,
                action=action,
                field="status",
                old=_json_text(submitted.value),
                new=_json_text(to.value),
                comment=comment,
            )
        )
        kind = events.PUBLISHED if to is Audit.Status.published else events.RETURNED
        await events.emit_audit(audit_id, kind, now=now)
        if on_published is not None:  # in the same transaction: all or nothing
            await on_published(audit_id, now)


async def review_queue(
    *,
    flag: str | None = None,
    branch: str | None = None,
    limit: int = 200,
    order: str = "risk",
) -> list[QueueEntry]:
    """Submitted audits, the riskiest first (``order="oldest"``: oldest first), optionally only
    those with a flag or of a branch."""
    query = Audit.select(
        Audit.id,
        Audit.branch.code.as_alias("branch_code"),
        Audit.branch.timezone.as_alias("timezone"),
        Audit.version._.checklist._.slug.as_alias("checklist"),
        Audit.visited_at,
        Audit.submitted_at,
        Audit.auditor.username.as_alias("auditor_name"),
        Audit.score,
        Audit.critical_fail,
        Audit.flags,
        Audit.review_comment,
    ).where(Audit.status == Audit.Status.submitted)
    if branch:
        query = query.where(Audit.branch.code == branch)
    rows, records, dismissed = await asyncio.gather(
        query.order_by(Audit.submitted_at).order_by(Audit.id),
        track_records(),
        _dismissed_in_queue(),
    )
    entries = [_queue_entry(row) for row in rows]
    if flag:  # flags are a JSON list: filtered here, alike on SQLite and PostgreSQL
        entries = [e for e in entries if flag in e.flags]
    for entry in entries:
        entry.dismissed = sorted(dismissed.get(entry.id, set()))
        risk = visit_risk(
            entry.flags,
            critical_fail=entry.critical_fail,
            record=records.get(entry.auditor or "", TrackRecord()),
            dismissed=entry.dismissed,
        )
        entry.risk, entry.risk_reasons = risk.points, risk.reasons
    if order == "risk":  # stable: equal risks stay oldest first
        entries.sort(key=lambda e: -e.risk)
    return entries[:limit]


TRACK_RECORDS = "track-records"


async def track_records() -> dict[str, TrackRecord]:
    """Each shopper's reviews so far: how many of their audits were approved or returned, and
    how many returned (an audit returned and approved later counts twice, as it was reviewed
    twice).

    A chain's reviews are hundreds of thousands of rows, and the queue heads the office's home:
    the counts are kept for every process per state of the reviews (changes are only added,
    and leave only with their audit), by shopper id, so that a renamed or erased shopper's
    name is nowhere in what is kept."""
    latest = await AuditChange.select(Max(AuditChange.id)).first()
    key = f"{TRACK_RECORDS}:{latest['max'] if latest else 0}:{await Audit.count()}"
    now = dt.datetime.now(dt.UTC)
    kept = await read_kept(key, now=now)
    if kept is None:
        by_id = await _count_reviews()
        await keep(key, TRACK_RECORDS, msgspec.json.encode(by_id), now=now, newest=4)
    else:
        by_id = msgspec.json.decode(kept, type=dict[int, TrackRecord])
    names = await BaseUser.select(BaseUser.id, BaseUser.username).where(
        BaseUser.id.is_in(list(by_id) or [0])
    )
    return {r["username"]: by_id[r["id"]] for r in names}


async def _count_reviews() -> dict[int, TrackRecord]:
    auditor = AuditChange.audit._.auditor
    rows = await (
        AuditChange.select(auditor.as_alias("auditor"), AuditChange.action, Count(alias="n"))
        .where(AuditChange.action.is_in(["approved", "returned"]), auditor.is_not_null())
        .group_by(auditor, AuditChange.action)
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["auditor"], {})[row["action"]] = row["n"]
    return {
        user_id: TrackRecord(reviewed=sum(c.values()), returned=c.get("returned", 0))
        for user_id, c in counts.items()
    }


async def dismissed_flags(audit_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The flags reviewers checked and dismissed, per audit."""
    if not audit_ids:
        return {}
    return _by_audit(
        await AuditChange.select(AuditChange.audit, AuditChange.old).where(
            (AuditChange.action == "flag_dismissed") & AuditChange.audit.is_in(audit_ids)
        )
    )


async def _dismissed_in_queue() -> dict[uuid.UUID, set[str]]:
    """``dismissed_flags`` of every audit waiting for review: joined in the database, as a
    chain's queue is too long a list of ids to send (building its ``IN`` cost ~15 ms a view)."""
    return _by_audit(
        await AuditChange.select(AuditChange.audit, AuditChange.old).where(
            (AuditChange.action == "flag_dismissed")
            & (AuditChange.audit._.status == Audit.Status.submitted)
        )
    )


def _by_audit(rows: list[dict[str, Any]]) -> dict[uuid.UUID, set[str]]:
    dismissed: dict[uuid.UUID, set[str]] = {}
    for row in rows:
        code = _loads(row["old"])
        if isinstance(code, str):
            dismissed.setdefault(row["audit"], set()).add(code)
    return dismissed


async def dismiss_flag(
    audit_id: uuid.UUID,
    reviewer: CurrentUser,
    flag: str,
    reason: str,
    *,
    now: dt.datetime | None = None,
) -> None:
    """A reviewer checked a flag and sets it aside, saying why (in the trail); the flag stays
    on the audit, but no longer counts towards its place in the queue."""
    _require_office(reviewer)
    reason = reason.strip()
    if not reason:
        raise AuditRejected([FieldError("reason", "Say why this flag is not a problem.")])
    if len(reason) > MAX_REVIEW_COMMENT:
        message = f"At most {MAX_REVIEW_COMMENT} characters."
        raise AuditRejected([FieldError("reason", message)])
    async with write_transaction():
        row = await Audit.select(Audit.status, Audit.flags).where(Audit.id == audit_id).first()
        if row is None:
            raise AuditNotFound(f"No audit {audit_id}.")
        flags = _loads(row["flags"])
        if not isinstance(flags, list) or flag not in flags:
            raise AuditRejected([FieldError("flag", "The audit has no such flag.")])
        if row["status"] != Audit.Status.submitted.value:
            raise WrongStatus(
                f"The audit is {row['status']}; flags are dismissed while it waits for review."
            )
        if flag in (await dismissed_flags([audit_id])).get(audit_id, set()):
            return  # already dismissed: a second click changes nothing
        await AuditChange.insert(
            AuditChange(
                audit=audit_id,
                user=reviewer.id,
                at=now or dt.datetime.now(dt.UTC),
                action="flag_dismissed",
                field="flags",
                old=_json_text(flag),
                new=None,
                comment=reason,
            )
        )


def _queue_entry(row: dict) -> QueueEntry:
    loaded = _loads(row["flags"])
    flags = loaded if isinstance(loaded, list) else []
    return QueueEntry(
        id=row["id"],
        branch=row["branch_code"],
        timezone=row["timezone"],
        checklist=row["checklist"],
        visited_at=local_time(row["visited_at"], row["timezone"]),
        submitted_at=row["submitted_at"],
        auditor=row["auditor_name"],
        score=row["score"],
        critical_fail=row["critical_fail"],
        flags=[f for f in flags if isinstance(f, str)],
        returned_before=bool(row["review_comment"]),
    )


def flag_text(code: str) -> str:
    return FLAG_TEXT.get(code, code.replace("_", " "))


async def branch_codes() -> list[str]:
    """Codes of every branch, for the queue's filter."""
    rows = await Branch.select(Branch.code).order_by(Branch.code)
    return [r["code"] for r in rows]


async def audit_trail(audit_id: uuid.UUID) -> list[TrailEntry]:
    """Every recorded change of the audit, oldest first. For head office only: it names the
    shopper."""
    if not await Audit.exists().where(Audit.id == audit_id):
        raise AuditNotFound(f"No audit {audit_id}.")
    rows = (
        await AuditChange.select(
            *AuditChange.all_columns(), AuditChange.user.username.as_alias("username")
        )
        .where(AuditChange.audit == audit_id)
        .order_by(AuditChange.id)  # the order recorded, whatever clocks said
    )
    staff = await _staff_codes(rows)
    entries: list[TrailEntry] = []
    for row in rows:
        entries += expand_change(row, staff)
    return entries


async def _staff_codes(rows: list[dict]) -> dict[int, str]:
    ids = {
        value
        for row in rows
        if row["field"] == "staff"
        for value in (_loads(row["old"]), _loads(row["new"]))
        if isinstance(value, int)
    }
    if not ids:
        return {}
    found = await Staff.select(Staff.id, Staff.code).where(Staff.id.is_in(list(ids)))
    return {r["id"]: r["code"] for r in found}


def expand_change(row: dict, staff: dict[int, str] | None = None) -> list[TrailEntry]:
    """One stored change as trail entries: whole answers or comments become one entry per item
    that changed; staff ids become codes."""
    old, new = _loads(row["old"]), _loads(row["new"])
    common = {"at": row["at"], "user": row["username"], "action": row["action"]}
    field, comment = row["field"], row["comment"]
    if field in _EXPANDED and isinstance(old, dict) and isinstance(new, dict):
        keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
        return [
            TrailEntry(**common, field=f"{field}.{k}", old=old.get(k), new=new.get(k)) for k in keys
        ] or [TrailEntry(**common, field=field, comment=comment)]
    if field == "staff" and staff is not None:
        old, new = (staff.get(v, v) if isinstance(v, int) else v for v in (old, new))
    return [TrailEntry(**common, field=field, old=old, new=new, comment=comment)]
