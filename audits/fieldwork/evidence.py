"""Photos as evidence: checked, re-encoded without metadata (``audits.fieldwork.photos``), hashed
(to spot one reused in another audit) and stored."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
import weakref

import anyio
import anyio.to_thread

from audits.db.write_lock import write_transaction
from audits.fieldwork.photos import CleanPhoto, PhotoRefused, clean_photo
from audits.fieldwork.rules import client_id_problem
from audits.fieldwork.schemas import AuditNotFound, AuditRejected, FieldError
from audits.org.users import CurrentUser
from audits.tables import Evidence, Role

MAX_PHOTO_BYTES = 8 * 1024 * 1024
"""Phones resize photos before upload (to ~0.3 MB); this only stops the absurd."""

PHOTO_TOO_LARGE = f"A photo may be at most {MAX_PHOTO_BYTES // (1024 * 1024)} MB."

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
"""What an upload may claim to be; the bytes decide what it is stored as."""


async def clean_upload(data: bytes, content_type: str) -> CleanPhoto:
    """The upload decoded (in a worker thread) and re-encoded, or ``AuditRejected`` naming
    ``file``: 413 too many bytes, 415 not a JPEG/PNG/WebP, 422 damaged or too many pixels."""
    if len(data) > MAX_PHOTO_BYTES:
        raise AuditRejected([FieldError("file", PHOTO_TOO_LARGE)], 413)
    if content_type.split(";")[0].strip().lower() not in PHOTO_TYPES:
        kinds = ", ".join(PHOTO_TYPES)
        raise AuditRejected([FieldError("file", f"A photo must be one of {kinds}.")], 415)
    try:
        return await _in_decoding_thread(data)
    except PhotoRefused as refused:
        raise AuditRejected([FieldError("file", refused.message)], refused.status) from None


_decoding_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def _in_decoding_thread(data: bytes) -> CleanPhoto:
    """``clean_photo`` in a worker thread, one at a time: further uploads wait on the event
    loop, not in threads (a decoded photo may take 160 MB; waiting threads would starve the
    pool). One limiter per event loop, as a limiter belongs to the loop that made it."""
    loop = asyncio.get_running_loop()
    limiter = _decoding_limiters.setdefault(loop, anyio.CapacityLimiter(1))
    return await anyio.to_thread.run_sync(clean_photo, data, limiter=limiter)


async def save_evidence(
    data: bytes,
    content_type: str,
    user: CurrentUser,
    *,
    evidence_id: uuid.UUID | None = None,
    item_key: str = "",
) -> uuid.UUID:
    """Store a photo; sending the same client-made id again stores nothing new."""
    row = await evidence_row(data, content_type, user, evidence_id=evidence_id, item_key=item_key)
    async with write_transaction():
        await Evidence.insert(row).on_conflict(action="DO NOTHING")
    return row.id


async def evidence_row(
    data: bytes,
    content_type: str,
    user: CurrentUser,
    *,
    evidence_id: uuid.UUID | None = None,
    item_key: str = "",
) -> Evidence:
    """A cleaned photo as a row to insert (413, 415 or 422 when it is no acceptable photo), for
    callers that store it in a transaction of their own. A client-made ``evidence_id`` must
    be random (422 on ``id`` otherwise): a photo's id reaches the branch's managers."""
    if evidence_id is not None and (problem := client_id_problem(evidence_id)):
        raise AuditRejected([FieldError("id", problem)])
    photo = await clean_upload(data, content_type)
    return Evidence(
        id=evidence_id or uuid.uuid4(),
        item_key=item_key[:80],
        uploaded_by=user.id,
        content_type=photo.content_type,
        size=len(photo.data),
        # The bytes as sent, not as re-encoded: the same file sent again matches, and so do
        # the photos stored before re-encoding (hashed as sent too).
        sha256=hashlib.sha256(data).hexdigest(),
        data=photo.data,
        taken_at=photo.taken_at,
    )


async def read_evidence(evidence_id: uuid.UUID, user: CurrentUser) -> tuple[bytes, str]:
    """The photo, if ``user`` may see the audit it belongs to (or uploaded it)."""
    from audits.fieldwork.selectors import get_audit

    row = await Evidence.select().where(Evidence.id == evidence_id).first()
    if row is None:
        raise AuditNotFound("No such photo.")
    if row["uploaded_by"] != user.id and user.role is not Role.admin:
        if row["audit_id"] is None:
            raise AuditNotFound("No such photo.")
        await get_audit(row["audit_id"], user)  # raises when the audit is not visible
    return bytes(row["data"]), row["content_type"]


async def clean_stored_photos(batch: int = 20) -> tuple[int, int]:
    """Re-encode every stored photo as uploads are now (no metadata, bounded pixels), for those
    stored before; one that cannot be (not an image, a pixel bomb) is deleted. Returns (cleaned,
    deleted). Run once, by a migration: re-encoding a JPEG again costs a little quality."""
    cleaned = deleted = 0
    after: uuid.UUID | None = None
    while rows := await _next_photos(after, batch):
        for row in rows:
            try:
                photo = await _in_decoding_thread(bytes(row["data"]))
            except PhotoRefused:
                await Evidence.delete().where(Evidence.id == row["id"])
                deleted += 1
                continue
            await Evidence.update(
                {
                    Evidence.data: photo.data,
                    Evidence.size: len(photo.data),
                    Evidence.content_type: photo.content_type,
                }
            ).where(Evidence.id == row["id"])
            cleaned += 1
        after = rows[-1]["id"]
    return cleaned, deleted


async def _next_photos(after: uuid.UUID | None, batch: int) -> list[dict]:
    query = Evidence.select(Evidence.id, Evidence.data).order_by(Evidence.id).limit(batch)
    if after is not None:
        query = query.where(Evidence.id > after)
    return await query
