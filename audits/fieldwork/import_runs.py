"""An import run by a worker (``audits.jobs``): a large upload, written a chunk of audits per
transaction so its progress shows, and safe to run again after a restart at any point.

Why a rerun neither doubles nor half-writes: an audit's id is a digest of its ``audit_ref``, so a
row written by an earlier attempt is found stored and left alone (``ON CONFLICT DO NOTHING``);
a chunk is written whole or not at all, with the pairs it links (each calibration audit comes
after the audit it calibrates, and audits that name each other in a cycle share a chunk); what
the first attempt planned is kept before the first chunk, so the result reports the file, not
what was left; and the transaction that finishes the import emits its one event and records its
outcome, which a later rerun returns as it is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator

import msgspec

from audits.db.write_lock import write_transaction
from audits.fieldwork import events
from audits.fieldwork.import_csv import AuditCsvError, parse_audits
from audits.fieldwork.import_plan import PlannedAudit, plan_import
from audits.fieldwork.imports import (
    BATCH,
    AuditImportError,
    ImportResult,
    checklist_version,
    create_missing_people,
    ids_of,
    import_data,
    imported_score_version,
    known_of,
    write_audits,
)
from audits.org.csv_files import CsvProblem
from audits.tables import AuditImport


def N_(text: str) -> str:  # noqa: N802 - the gettext convention pybabel extracts
    """Marks a message for extraction; the page translates it where it is shown."""
    return text


KEEP_FOR = dt.timedelta(days=7)
"""Finished imports' outcomes, and files whose import never finished, are deleted after this,
when a new file is stored."""
ERASED_FAILURE = N_(
    "The file named a person whose personal data has been erased since; upload it again "
    "without them."
)

ChunkDone = Callable[[int, int], Awaitable[None]]
"""Awaited as ``chunk_done(written, total)`` inside each chunk's transaction."""


class _Stopped(Exception):
    """The import is no longer wanted: finished by an erasure, or its file deleted."""


class ImportOutcome(msgspec.Struct, frozen=True):
    """How an import ended: what was written, or the problems (row, column) that stopped it,
    or why it could not run (then nothing was written)."""

    result: ImportResult | None = None
    problems: list[CsvProblem] = []
    failure: str = ""


async def store_upload(
    key: str,
    file_key: str,
    data: bytes,
    *,
    checklist: str | None,
    create_missing: bool,
    now: dt.datetime,
) -> None:
    """Keep the uploaded file for the job ``key`` (nothing if it is kept already)."""
    row = AuditImport(
        key=key,
        file_key=file_key,
        data=data,
        checklist=checklist or "",
        create_missing=create_missing,
        created_at=now,
    )
    async with write_transaction():
        await AuditImport.insert(row).on_conflict(action="DO NOTHING")
        await AuditImport.delete().where(AuditImport.created_at < now - KEEP_FOR)


async def unfinished_import(file_key: str) -> str | None:
    """The job key of an import of this very file (and options) not finished yet, if any."""
    row = await (
        AuditImport.select(AuditImport.key)
        .where((AuditImport.file_key == file_key) & (AuditImport.outcome == ""))
        .order_by(AuditImport.id, ascending=False)
        .first()
    )
    return None if row is None else row["key"]


async def upload_kept(key: str) -> bool:
    """Whether the file of import ``key`` is still kept: its import has not finished (an
    erasure finishes it) and it was not deleted, ``KEEP_FOR`` after it was sent."""
    return await AuditImport.exists().where((AuditImport.key == key) & (AuditImport.outcome == ""))


async def finish_imports_naming(names: Callable[[bytes], bool]) -> int:
    """Inside an erasure's transaction: every unfinished import whose file ``names`` the person
    finished with ``ERASED_FAILURE`` and its file dropped, and every finished one whose outcome
    names them given that outcome instead; how many were changed."""
    erased = msgspec.json.encode(ImportOutcome(failure=ERASED_FAILURE)).decode()
    rows = await AuditImport.select(AuditImport.id, AuditImport.outcome).where(
        AuditImport.outcome != erased
    )
    changed = []
    for row in rows:
        if row["outcome"]:
            found = names(row["outcome"].encode())
        else:  # one file at a time: each may be megabytes
            data = await AuditImport.select(AuditImport.data).where(AuditImport.id == row["id"])
            found = bool(data) and names(bytes(data[0]["data"]))
        if found:
            changed.append(row["id"])
    if changed:
        await AuditImport.update({AuditImport.outcome: erased, AuditImport.data: b""}).where(
            AuditImport.id.is_in(changed)
        )
    return len(changed)


async def _go_on(key: str) -> None:
    """Inside each of a run's write transactions: stop (``_Stopped``) unless the import is
    still wanted, so that nothing is written after an erasure finished it."""
    if not await upload_kept(key):
        raise _Stopped(key)


async def _stopped(key: str) -> ImportOutcome:
    if (outcome := await import_outcome(key)) is None:
        raise AuditImportError("The uploaded file is no longer kept; upload it again.")
    return outcome


async def import_outcome(key: str) -> ImportOutcome | None:
    """The outcome of the finished import ``key``, or None."""
    row = await AuditImport.select(AuditImport.outcome).where(AuditImport.key == key).first()
    if row is None or not row["outcome"]:
        return None
    return msgspec.json.decode(row["outcome"], type=ImportOutcome)


def in_pair_chunks(audits: list[PlannedAudit], size: int) -> list[list[PlannedAudit]]:
    """The audits in chunks of at most ``size`` (more only for a cycle that long), each
    calibration audit in the chunk of the audit it calibrates or a later one, and the audits
    of a cycle (two that name each other, or more) in one chunk: a chunk links its pairs when
    it commits, and the audit a link names must be stored by then."""
    chunks: list[list[PlannedAudit]] = [[]]
    for unit in _pair_units(audits):
        if chunks[-1] and len(chunks[-1]) + len(unit) > size:
            chunks.append([])
        chunks[-1] += unit
    return [chunk for chunk in chunks if chunk]


def _pair_units(audits: list[PlannedAudit]) -> Iterator[list[PlannedAudit]]:
    """Each audit alone, after the audit it calibrates, but a cycle's audits together."""
    by_id = {audit.id: audit for audit in audits}
    placed: set = set()
    for audit in audits:
        chain: list[PlannedAudit] = []
        on_chain: dict = {}
        current: PlannedAudit | None = audit
        while current is not None and current.id not in placed:
            placed.add(current.id)
            on_chain[current.id] = len(chain)
            chain.append(current)
            current = by_id.get(current.calibration_of)  # type: ignore[arg-type]
        if current is not None and current.id in on_chain:  # the walk came round: a cycle
            start = on_chain[current.id]
            yield chain[start:]
            chain = chain[:start]
        for one in reversed(chain):
            yield [one]


async def run_import(
    key: str, *, now: dt.datetime, chunk_done: ChunkDone | None = None
) -> ImportOutcome:
    """Import the file stored for ``key``, or finish an earlier attempt; its outcome."""
    try:
        return await _run(key, now, chunk_done)
    except _Stopped:
        return await _stopped(key)


async def _run(key: str, now: dt.datetime, chunk_done: ChunkDone | None) -> ImportOutcome:
    row = await AuditImport.select().where(AuditImport.key == key).first()
    if row is None:
        raise AuditImportError("The uploaded file is no longer kept; upload it again.")
    if row["outcome"]:
        return msgspec.json.decode(row["outcome"], type=ImportOutcome)
    checklist = row["checklist"] or None
    try:
        version, doc = await checklist_version(checklist)
        rows = await asyncio.to_thread(parse_audits, bytes(row["data"]).decode("utf-8-sig"), doc)
        known = await known_of(rows)
        plan = await asyncio.to_thread(
            plan_import, rows, known, doc=doc, create_missing=row["create_missing"], now=now
        )
    except AuditCsvError as error:
        return await _finish(key, ImportOutcome(problems=error.problems), None, now)
    except AuditImportError as error:
        return await _finish(key, ImportOutcome(failure=str(error)), None, now)
    async with write_transaction():
        await _go_on(key)  # an erased person's file creates nobody again
        version = version if version is not None else await imported_score_version()
        regions = await create_missing_people(plan)
        if row["planned"]:
            planned = msgspec.json.decode(row["planned"], type=ImportResult)
        else:
            planned = ImportResult(
                len(plan.audits), plan.already, len(plan.branches), len(plan.staff),
                len(plan.auditors), regions,
            )  # fmt: skip
            encoded = msgspec.json.encode(planned).decode()
            await AuditImport.update({AuditImport.planned: encoded}).where(AuditImport.key == key)
    ids = await ids_of(plan)
    written = planned.new - len(plan.audits)  # by an earlier attempt
    for chunk in in_pair_chunks(plan.audits, BATCH):
        async with write_transaction():
            await _go_on(key)
            await write_audits(chunk, version, ids, now)
            written += len(chunk)
            if chunk_done is not None:
                await chunk_done(written, planned.new)
    return await _finish(key, ImportOutcome(result=planned), checklist, now)


async def _finish(
    key: str, outcome: ImportOutcome, checklist: str | None, now: dt.datetime
) -> ImportOutcome:
    """Record the outcome and drop the file; the event of an import that wrote audits."""
    async with write_transaction():
        await _go_on(key)
        if outcome.result is not None and outcome.result.new:
            await events.emit_import(import_data(outcome.result, checklist), now=now)
        await AuditImport.update(
            {AuditImport.outcome: msgspec.json.encode(outcome).decode(), AuditImport.data: b""}
        ).where(AuditImport.key == key)
    return outcome
