"""Forms in progress, kept on the server as well as on the phone."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from audits.db.write_lock import write_transaction
from audits.fieldwork.filing import require_filer
from audits.fieldwork.schemas import AuditConflict, AuditNotFound, AuditRejected, FieldError
from audits.org.users import CurrentUser
from audits.tables import Audit, AuditDraft

MAX_DRAFT_BYTES = 200_000


async def save_draft(draft_id: uuid.UUID, payload: dict[str, Any], user: CurrentUser) -> None:
    """Keep the latest state of a form; a filed audit's id takes no more drafts."""
    require_filer(user)
    encoded = msgspec.json.encode(payload)
    if b"\\u0000" in encoded.replace(b"\\\\", b""):  # a NUL, which PostgreSQL's JSON refuses
        raise AuditRejected([FieldError("body", "Remove the NUL character.")])
    if len(encoded) > MAX_DRAFT_BYTES:  # as stored, not as sent
        message = f"The draft takes more than {MAX_DRAFT_BYTES} bytes once stored."
        raise AuditRejected([FieldError("body", message)], status=413)
    if await Audit.exists().where(Audit.id == draft_id, Audit.status != Audit.Status.returned):
        raise AuditConflict("This audit was already submitted.")
    now = dt.datetime.now(dt.UTC)
    async with write_transaction():
        owner = await AuditDraft.select(AuditDraft.user).where(AuditDraft.id == draft_id).first()
        if owner is None:
            await AuditDraft.insert(
                AuditDraft(id=draft_id, user=user.id, payload=payload, updated_at=now)
            )
        elif owner["user"] == user.id:
            await AuditDraft.update(
                {AuditDraft.payload: payload, AuditDraft.updated_at: now}
            ).where(AuditDraft.id == draft_id)
        else:
            raise AuditConflict("This draft belongs to someone else.")


async def load_draft(draft_id: uuid.UUID, user: CurrentUser) -> dict[str, Any]:
    row = (
        await AuditDraft.select(AuditDraft.payload)
        .where(AuditDraft.id == draft_id, AuditDraft.user == user.id)
        .first()
    )
    if row is None:
        raise AuditNotFound("No such draft.")
    payload = row["payload"]
    return msgspec.json.decode(payload) if isinstance(payload, str) else payload
