"""A large upload at ``/imports`` imported by a worker (``audits.fieldwork.import_runs``).

The job's key is a digest of the file, its options and the audits' fingerprint when it was
uploaded: the same file uploaded while its import runs joins that import; uploaded again once
the audits changed, it is imported again (and finds its audits stored); with nothing changed,
the finished import's outcome is shown again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import msgspec

from audits.db.kept_results import UPLOAD_KIND, keep
from audits.fieldwork.import_runs import (
    ImportOutcome,
    import_outcome,
    run_import,
    store_upload,
    unfinished_import,
    upload_kept,
)
from audits.jobs import queue
from audits.jobs.queue import JobContext, JobResult, JobStatus
from reports import report_data
from reports.bytes_cache import digest

AUDIT_IMPORT = "audit_import"
IMPORT_KIND = UPLOAD_KIND
JOB_ABOVE_BYTES = 100_000
"""Uploads larger than this (about 2,000 score-only audits) are imported by a worker, the page
following it on a bar; smaller ones are imported in the request."""


async def defer_import(
    data: bytes, *, checklist: str | None, create_missing: bool, now: dt.datetime | None = None
) -> JobStatus:
    """The job importing ``data``: the one importing it already, or a new one."""
    now = now or dt.datetime.now(dt.UTC)
    file_key = digest(
        AUDIT_IMPORT, hashlib.sha256(data).hexdigest(), checklist or "", create_missing
    )
    key = await unfinished_import(file_key)
    if key is None:
        key = digest(file_key, list(await report_data.audits_fingerprint()))
        await store_upload(
            key, file_key, data, checklist=checklist, create_missing=create_missing, now=now
        )
    return await queue.defer(AUDIT_IMPORT, key=key, args={}, audience="office")


async def retry_import(key: str) -> JobStatus | None:
    """The import ``key`` queued again after its job failed (a worker's or the database's
    error, not the file's), or None when its file is no longer kept. It goes on after the last
    chunk written, and a retry asked twice joins the first."""
    if not await upload_kept(key) and await import_outcome(key) is None:
        return None  # (a finished one's job is joined: its page shows the outcome)
    return await queue.defer(AUDIT_IMPORT, key=key, args={}, audience="office")


@queue.job(AUDIT_IMPORT)
async def audit_import(args: dict[str, Any], context: JobContext) -> JobResult:
    async def chunk_done(written: int, total: int) -> None:
        await context.progress(written / max(total, 1))  # committed with the chunk

    outcome = await run_import(context.key, now=dt.datetime.now(dt.UTC), chunk_done=chunk_done)
    data = msgspec.json.encode(outcome)
    await keep(context.key, IMPORT_KIND, data, now=dt.datetime.now(dt.UTC))
    return JobResult(result_key=context.key, filename="import.json")


async def job_outcome(job: JobStatus) -> ImportOutcome | None:
    """A finished import job's outcome (None until it is done)."""
    return await import_outcome(job.key) if job.state == queue.DONE else None
