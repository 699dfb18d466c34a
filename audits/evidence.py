"""Photos as evidence: checked, hashed (to spot one reused in another audit) and stored."""

from __future__ import annotations

import hashlib
import uuid

from .queries import CurrentUser
from .schemas import AuditNotFound, AuditRejected, FieldError
from .tables import Evidence, Role
from .write_lock import write_transaction

MAX_PHOTO_BYTES = 8 * 1024 * 1024
"""Phones resize photos before upload (to ~0.3 MB); this only stops the absurd."""

IMAGE_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}


def _check(content_type: str, data: bytes) -> None:
    if content_type not in IMAGE_SIGNATURES:
        kinds = ", ".join(IMAGE_SIGNATURES)
        raise AuditRejected([FieldError("file", f"A photo must be one of {kinds}.")], 415)
    if not data.startswith(IMAGE_SIGNATURES[content_type]):
        raise AuditRejected([FieldError("file", "The file is not the image it claims to be.")])
    if len(data) > MAX_PHOTO_BYTES:
        mb = MAX_PHOTO_BYTES // (1024 * 1024)
        raise AuditRejected([FieldError("file", f"A photo may be at most {mb} MB.")], 413)


async def save_evidence(
    data: bytes,
    content_type: str,
    user: CurrentUser,
    *,
    evidence_id: uuid.UUID | None = None,
    item_key: str = "",
) -> uuid.UUID:
    """Store a photo; sending the same client-made id again stores nothing new."""
    row = evidence_row(data, content_type, user, evidence_id=evidence_id, item_key=item_key)
    async with write_transaction():
        await Evidence.insert(row).on_conflict(action="DO NOTHING")
    return row.id


def evidence_row(
    data: bytes,
    content_type: str,
    user: CurrentUser,
    *,
    evidence_id: uuid.UUID | None = None,
    item_key: str = "",
) -> Evidence:
    """A checked photo as a row to insert (413, 415 or 422 when it is no acceptable photo), for
    callers that store it in a transaction of their own."""
    _check(content_type, data)
    return Evidence(
        id=evidence_id or uuid.uuid4(),
        item_key=item_key[:80],
        uploaded_by=user.id,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


async def read_evidence(evidence_id: uuid.UUID, user: CurrentUser) -> tuple[bytes, str]:
    """The photo, if ``user`` may see the audit it belongs to (or uploaded it)."""
    from .audit_reads import get_audit

    row = await Evidence.select().where(Evidence.id == evidence_id).first()
    if row is None:
        raise AuditNotFound("No such photo.")
    if row["uploaded_by"] != user.id and user.role is not Role.admin:
        if row["audit_id"] is None:
            raise AuditNotFound("No such photo.")
        await get_audit(row["audit_id"], user)  # raises when the audit is not visible
    return bytes(row["data"]), row["content_type"]
