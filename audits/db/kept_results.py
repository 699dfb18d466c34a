"""Finished computations kept in the database by a digest of their inputs, for every process.

A row's ``key`` is a digest of everything that went into it (the caller makes it), so a row is
never stale: different inputs are a different key. Rows are only pruned: those unused for
``UNUSED_FOR`` and those past the ``NEWEST`` most recently used of their kind, whenever a new
one is kept. Two processes that make the same result at once both keep it; the second insert
does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from audits.db.write_lock import write_transaction
from audits.tables import KeptResult

UPLOAD_KIND = "import"
"""An upload's import outcome (what it wrote, or the problems of the file people sent), the
result of its job: not computed from the audits, so :func:`forget_derived` leaves them, and an
erasure drops those that name the person (:func:`forget_uploads_naming`)."""
UNUSED_FOR = dt.timedelta(days=30)
NEWEST = 64
TOUCH_EVERY = dt.timedelta(hours=1)  # a read marks its row used at most this often


async def read_kept(key: str, *, now: dt.datetime) -> bytes | None:
    """The bytes kept under ``key``, or None; a read keeps the row from being pruned."""
    row = await (
        KeptResult.select(KeptResult.id, KeptResult.data, KeptResult.used_at)
        .where(KeptResult.key == key)
        .first()
    )
    if row is None:
        return None
    if now - row["used_at"] > TOUCH_EVERY:
        async with write_transaction():
            await KeptResult.update({KeptResult.used_at: now}).where(KeptResult.id == row["id"])
    return bytes(row["data"])


async def keep(
    key: str, kind: str, data: bytes, *, now: dt.datetime, newest: int | None = None
) -> None:
    """Keep ``data`` under ``key`` (nothing if it is kept already), then prune ``kind`` to its
    ``newest`` most recently used (``NEWEST`` unless given)."""
    row = KeptResult(key=key, kind=kind, data=data, size=len(data), created_at=now, used_at=now)
    async with write_transaction():
        await KeptResult.insert(row).on_conflict(action="DO NOTHING")
        await KeptResult.delete().where(KeptResult.used_at < now - UNUSED_FOR)
        surplus = await (
            KeptResult.select(KeptResult.id)
            .where(KeptResult.kind == kind)
            .order_by(KeptResult.used_at, ascending=False)
            .offset(NEWEST if newest is None else newest)
            .limit(1000)
        )
        if surplus:
            await KeptResult.delete().where(KeptResult.id.is_in([r["id"] for r in surplus]))


async def count_kept(kind: str) -> int:
    return await KeptResult.count().where(KeptResult.kind == kind)


async def forget_derived() -> None:
    """Forget everything kept that was computed from the audits (analyses, chart images, PDFs,
    the home's figures), inside the caller's transaction: an erasure calls it, so that no kept
    report still names the person erased. Each is made again when next asked for."""
    await KeptResult.delete().where(KeptResult.kind != UPLOAD_KIND)


async def forget_uploads_naming(names: Callable[[bytes], bool]) -> int:
    """Forget the kept import outcomes whose bytes ``names`` the person an erasure is about,
    inside its transaction; how many."""
    rows = await KeptResult.select(KeptResult.id, KeptResult.data).where(
        KeptResult.kind == UPLOAD_KIND
    )
    gone = [row["id"] for row in rows if names(bytes(row["data"]))]
    if gone:
        await KeptResult.delete().where(KeptResult.id.is_in(gone))
    return len(gone)
