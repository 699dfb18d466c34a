"""Reading audits as the caller may see them, and the look-ups filing needs.

An audit is read with what scoring computed when it was filed (``Audit.results``): a read never
scores, so it needs neither the checklist document nor the scoring code."""

from __future__ import annotations

import uuid

import msgspec

from audits.fieldwork.disclosure import disclose, sees_shopper, visit_order_key
from audits.fieldwork.rules import ShiftWindow
from audits.fieldwork.schemas import AuditNotFound, AuditOut, DraftOut, FailedItemOut, PresenceOut
from audits.org.users import CurrentUser
from audits.tables import Audit, AuditDraft, Branch, Evidence, Role, Shift, Staff, Visit
from checklists.scoring import results_from

_COLUMNS = (
    *Audit.all_columns(),
    Audit.branch.code.as_alias("branch_code"),
    Audit.version.number.as_alias("version_number"),
    Audit.version._.checklist._.slug.as_alias("checklist_slug"),
    Audit.shift.name.as_alias("shift_name"),
    Audit.staff.code.as_alias("staff_code"),
    Audit.auditor.username.as_alias("auditor_name"),
    Audit.branch.timezone.as_alias("timezone"),
)


def _visible(query, user: CurrentUser):
    """Scope a query of audits to what ``user`` may read."""
    if user.role is Role.shopper:
        return query.where(Audit.auditor == user.id)
    if user.role is Role.manager:
        if not user.branches:
            return query.where(Audit.id.is_null())
        return query.where(
            Audit.status == Audit.Status.published, Audit.branch.code.is_in(list(user.branches))
        )
    return query


async def get_audit(audit_id: uuid.UUID, user: CurrentUser) -> AuditOut:
    row = await _visible(Audit.select(*_COLUMNS).where(Audit.id == audit_id), user).first()
    if row is None:
        raise AuditNotFound(f"No audit {audit_id} that you may see.")
    return audit_out(row, user)


async def list_audits(
    user: CurrentUser,
    *,
    status: str | None = None,
    branch: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditOut]:
    query = _visible(Audit.select(*_COLUMNS), user)
    if status:
        query = query.where(Audit.status == status)
    if branch:
        query = query.where(Audit.branch.code == branch)
    query = query.order_by(Audit.visited_at, ascending=False).order_by(Audit.id, ascending=False)
    audits = [audit_out(row, user) for row in await query.limit(limit).offset(offset)]
    if not sees_shopper(user):
        audits.sort(key=visit_order_key, reverse=True)
    return audits


async def list_filed_by(user: CurrentUser, *, limit: int, offset: int = 0) -> list[AuditOut]:
    """The audits ``user`` filed themselves (a shopper's, or an admin's own), newest visit
    first; the filter is in the query, so no page of other people's audits can hide them."""
    query = Audit.select(*_COLUMNS).where(Audit.auditor == user.id)
    query = query.order_by(Audit.visited_at, ascending=False).order_by(Audit.id, ascending=False)
    return [audit_out(row, user) for row in await query.limit(limit).offset(offset)]


async def returned_to(user: CurrentUser, *, limit: int = 20) -> list[AuditOut]:
    """The audits head office returned to ``user`` to fix, oldest return first."""
    query = Audit.select(*_COLUMNS).where(
        Audit.auditor == user.id, Audit.status == Audit.Status.returned
    )
    rows = await query.order_by(Audit.reviewed_at).order_by(Audit.id).limit(limit)
    return [audit_out(row, user) for row in rows]


async def drafts_of(user: CurrentUser, *, limit: int = 20) -> list[DraftOut]:
    """Forms ``user`` began and has not filed, the latest first. A returned audit's draft is
    left out: the audit is listed as returned."""
    rows = (
        await AuditDraft.select(AuditDraft.id, AuditDraft.payload, AuditDraft.updated_at)
        .where(AuditDraft.user == user.id)
        .order_by(AuditDraft.updated_at, ascending=False)
        .limit(limit)
    )
    ids = [row["id"] for row in rows]
    filed = (
        {r["id"] for r in await Audit.select(Audit.id).where(Audit.id.is_in(ids))} if ids else set()
    )
    drafts = []
    for row in rows:
        payload = json_value(row["payload"]) or {}
        if row["id"] in filed or not payload.get("branch") or not payload.get("checklist"):
            continue
        visit = str(payload.get("visit") or "")
        drafts.append(
            DraftOut(
                id=row["id"],
                branch=str(payload["branch"]),
                checklist=str(payload["checklist"]),
                visit=int(visit) if visit.isdigit() else None,
                updated_at=row["updated_at"],
            )
        )
    return drafts


def json_value(value):
    """A JSON column's value decoded (Piccolo hands JSON columns back as text)."""
    return msgspec.json.decode(value) if isinstance(value, str) else value


def audit_out(row: dict, user: CurrentUser) -> AuditOut:
    """An audit row (``_COLUMNS``; ``results`` stored or the ``AuditScore`` just computed) as
    ``user`` may read it."""
    answers = json_value(row["answers"]) or {}
    failed = results_from(row["results"]).failed
    audit = AuditOut(
        id=row["id"],
        branch=row["branch_code"],
        checklist=row["checklist_slug"],
        version=row["version_number"],
        visited_at=row["visited_at"],
        channel=row["channel"],
        staff=row["staff_code"],
        staff_description=row["staff_description"],
        answers=answers,
        comments=json_value(row["comments"]) or {},
        photos={
            key: [uuid.UUID(str(ref)) for ref in refs]
            for key, refs in (json_value(row.get("photos")) or {}).items()
        },
        visit=row["visit"],
        visit_minutes=row["visit_minutes"],
        status=row["status"],
        score=row["score"],
        raw_score=row["raw_score"],
        critical_fail=row["critical_fail"],
        shift=row["shift_name"],
        submitted_at=row["submitted_at"],
        auditor=row["auditor_name"],
        failed=[
            FailedItemOut(f.key, f.section, f.critical, f.reason, f.code, dict(f.params))
            for f in failed
        ],
        section_scores=json_value(row["section_scores"]) or {},
        flags=[] if user.role is Role.shopper else json_value(row["flags"]) or [],
        review_comment=row["review_comment"],
        evidence=_presence(row.get("presence"), user),
    )
    # What a manager may not learn (the shopper, head office's comment, ...) goes here.
    return disclose(audit, user, zone=row["timezone"] or "UTC")


def _presence(stored: object, user: CurrentUser) -> PresenceOut | None:
    """The stored evidence of presence; ``disclose`` keeps it from managers, and so does this."""
    value = json_value(stored)
    if not value or not sees_shopper(user):
        return None
    return msgspec.convert(value, PresenceOut)


async def branch_by_code(code: str) -> dict | None:
    return await Branch.select().where(Branch.code == code, Branch.active.eq(True)).first()


async def staff_id(branch_id: int, code: str) -> int | None:
    row = await Staff.select(Staff.id).where(Staff.branch == branch_id, Staff.code == code).first()
    return row["id"] if row else None


async def planned_visit(visit_id: int, user: CurrentUser) -> dict | None:
    """A visit planned for ``user`` (or open to any shopper): its window and shift."""
    row = (
        await Visit.select(
            Visit.window_start,
            Visit.window_end,
            Visit.shopper,
            Visit.shift.name.as_alias("shift_name"),
            Visit.shift.start_minute.as_alias("start_minute"),
            Visit.shift.end_minute.as_alias("end_minute"),
        )
        .where(Visit.id == visit_id)
        .first()
    )
    if row is None or row["shopper"] not in (None, user.id):
        return None
    return row


async def shift_windows(branch_id: int) -> list[tuple[ShiftWindow, int]]:
    rows = await Shift.select().where((Shift.branch == branch_id) | Shift.branch.is_null())
    return [
        (
            ShiftWindow(r["name"], r["start_minute"], r["end_minute"], r["branch"] is not None),
            r["id"],
        )
        for r in rows
    ]


async def recent_scores(auditor_id: int, *, exclude: uuid.UUID, n: int = 50) -> tuple[float, ...]:
    rows = (
        await Audit.select(Audit.score)
        .where(Audit.auditor == auditor_id, Audit.id != exclude, Audit.score.is_not_null())
        .order_by(Audit.submitted_at, ascending=False)
        .limit(n)
    )
    return tuple(r["score"] for r in rows)


async def reused_photo_count(evidence_ids: list[str], audit_id: uuid.UUID) -> int:
    """How many of these photos (by content) already belong to another audit."""
    if not evidence_ids:
        return 0
    hashes = [
        r["sha256"]
        for r in await Evidence.select(Evidence.sha256).where(Evidence.id.is_in(evidence_ids))
    ]
    if not hashes:
        return 0
    return await Evidence.count().where(
        Evidence.sha256.is_in(hashes),
        Evidence.audit_id.is_not_null(),
        Evidence.audit_id != audit_id,
    )


async def photo_capture_times(evidence_ids: list[str], uploaded_by: int) -> tuple:
    """The camera's clock of these photos of the uploader's, where it was in the file."""
    if not evidence_ids:
        return ()
    rows = await Evidence.select(Evidence.taken_at).where(
        Evidence.id.is_in(evidence_ids),
        Evidence.uploaded_by == uploaded_by,
        Evidence.taken_at.is_not_null(),
    )
    return tuple(r["taken_at"] for r in rows)


async def audit_photo_times(audit_id: uuid.UUID) -> list[tuple[str, object]]:
    """(item key, camera's clock or None) of an audit's photos, for head office's review."""
    rows = await Evidence.select(Evidence.item_key, Evidence.taken_at).where(
        Evidence.audit_id == audit_id
    )
    return sorted(((r["item_key"], r["taken_at"]) for r in rows), key=lambda r: r[0])


async def active_branches() -> list[dict]:
    return (
        await Branch.select(Branch.id, Branch.code, Branch.name, Branch.timezone)
        .where(Branch.active.eq(True))
        .order_by(Branch.code)
    )


async def branch_staff(branch_id: int) -> list[dict]:
    return (
        await Staff.select(Staff.code, Staff.name)
        .where(Staff.branch == branch_id, Staff.active.eq(True))
        .order_by(Staff.code)
    )
