"""What fieldwork tells other systems: audit events and the end of an import, written through
the webhooks outbox in the transaction of the fact. An event names no person (see
``audits.webhooks.schemas``)."""

from __future__ import annotations

import datetime as dt
import uuid

from piccolo.query.base import Query

from audits.fieldwork.schemas import AuditCreate, AuditNotFound
from audits.tables import Audit
from audits.webhooks import outbox
from audits.webhooks.schemas import AuditData, ImportData

SUBMITTED = "audit.submitted"
PUBLISHED = "audit.published"
RETURNED = "audit.returned"
IMPORT_FINISHED = "import.finished"


async def submitted_outbox(
    row: dict, data: AuditCreate, version_number: int, shift: str | None, now: dt.datetime
) -> list[Query]:
    """The outbox rows of a newly filed audit (its ``row`` as filing stores it), for the
    filing's one-trip transaction; none when no endpoint follows ``audit.submitted``."""
    endpoints = await outbox.subscribers(SUBMITTED)
    if not endpoints:
        return []
    facts = AuditData(
        audit_id=data.id,
        status=Audit.Status.submitted.value,
        branch=data.branch,
        checklist=data.checklist,
        checklist_version=version_number,
        channel=data.channel,
        shift=shift,
        visited_at=row["visited_at"],
        score=row["score"],
        critical_fail=row["critical_fail"],
    )
    return outbox.outbox_queries(SUBMITTED, facts, endpoints, now=now)


async def emit_audit(
    audit_id: uuid.UUID, kind: str, *, now: dt.datetime, resubmitted: bool = False
) -> None:
    """Write the event ``kind`` of the stored audit; inside the transaction that changed it."""
    endpoints = await outbox.subscribers(kind)
    if not endpoints:
        return
    row = await (
        Audit.select(
            Audit.id,
            Audit.status,
            Audit.channel,
            Audit.visited_at,
            Audit.score,
            Audit.critical_fail,
            Audit.branch.code.as_alias("branch_code"),
            Audit.shift.name.as_alias("shift_name"),
            Audit.version.number.as_alias("version_number"),
            Audit.version._.checklist._.slug.as_alias("checklist"),
        )
        .where(Audit.id == audit_id)
        .first()
    )
    if row is None:
        raise AuditNotFound(f"No audit {audit_id}.")
    data = AuditData(
        audit_id=row["id"],
        status=row["status"],
        branch=row["branch_code"],
        checklist=row["checklist"],
        checklist_version=row["version_number"],
        channel=row["channel"],
        shift=row["shift_name"],
        visited_at=row["visited_at"],
        score=row["score"],
        critical_fail=row["critical_fail"],
        resubmitted=resubmitted,
    )
    await outbox.emit(kind, data, now=now, endpoints=endpoints)


async def emit_import(data: ImportData, *, now: dt.datetime) -> None:
    """``import.finished``; inside the import's transaction."""
    await outbox.emit(IMPORT_FINISHED, data, now=now)
