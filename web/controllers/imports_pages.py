"""Head office uploads audit history from other systems at ``/imports``: the errors by row and
column, or what was imported. The work is ``audits.fieldwork.imports``'s, as for the command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import MultipartBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE

from audits.fieldwork.import_csv import AuditCsvError
from audits.fieldwork.import_plan import IMPORTED_SCORE
from audits.fieldwork.import_runs import import_outcome, upload_kept
from audits.fieldwork.imports import AuditImportError, import_audits
from audits.jobs import queue
from checklists import queries as checklist_queries
from web.auth import requires_office
from web.deps import Page
from web.i18n import translate
from web.import_jobs import (
    AUDIT_IMPORT,
    JOB_ABOVE_BYTES,
    defer_import,
    job_outcome,
    retry_import,
)
from web.job_failures import failure_reason, technical_error
from web.params import PathId

MAX_UPLOAD = 10_000_000
"""Bytes of CSV; about 100,000 score-only audits. Larger files: ``evenly import audits``."""
SHOWN_PROBLEMS = 500


class UploadForm(msgspec.Struct):
    file: UploadFile | None = None
    checklist: str = ""
    create_missing: str = ""  # a checkbox: absent when unticked


def _too_large(_request: Request[Any, Any, Any], _exc: Exception) -> Response:
    """Litestar's own 413 says only "Request Entity Too Large"; say what to do instead."""
    context = {"max_mb": MAX_UPLOAD // 1_000_000}
    return Template("imports/too_large.html", context=context, status_code=413)


async def _checklists() -> list[str]:
    listed = await checklist_queries.list_checklists(include_retired=False)
    return [c.slug for c in listed if c.published and c.slug != IMPORTED_SCORE.slug]


async def _page(page: Page, status: int = 200, **extra: Any) -> Template:
    context = {
        "page": page,
        "checklists": await _checklists(),
        "max_mb": MAX_UPLOAD // 1_000_000,
        "shown": SHOWN_PROBLEMS,
        **extra,
    }
    return Template("imports/page.html", context=context, status_code=status)


def _failed(page: Page, job: queue.JobStatus) -> dict[str, Any]:
    """A failed import as the page tells it: why in the reader's words; the technical error
    folded, for head office."""
    return {
        "job_failed": job,
        "job_reason": failure_reason(job.error),
        "technical": technical_error(job, page.user),
    }


class ImportPagesController(Controller):
    path = "/imports"
    include_in_schema = False
    guards = [requires_office]
    exception_handlers = {HTTP_413_REQUEST_ENTITY_TOO_LARGE: _too_large}

    @get("/")
    async def upload_page(self, page: NamedDependency[Page]) -> Template:
        return await _page(page)

    @post("/", request_max_body_size=MAX_UPLOAD + 64 * 1024)
    async def upload(
        self, page: NamedDependency[Page], data: MultipartBody[UploadForm]
    ) -> Template | Redirect:
        """Import the uploaded file: all of it or, with any problem, none (422); a large one
        by a worker, whose progress the page follows (``/imports/jobs/{id}``)."""
        form = {"checklist": data.checklist, "create_missing": bool(data.create_missing)}
        raw = await data.file.read() if data.file is not None else b""
        if not raw.strip():
            return await _page(page, 422, form=form, no_file=True)
        if len(raw) > MAX_UPLOAD:  # the body limit leaves room for the form's other fields
            raise HTTPException(status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            failure = f"not UTF-8 text (byte {error.start}); save the file as CSV UTF-8."
            return await _page(page, 422, form=form, failure=failure)
        if len(raw) > JOB_ABOVE_BYTES:
            job = await defer_import(
                raw,
                checklist=data.checklist or None,
                create_missing=bool(data.create_missing),
            )
            return Redirect(f"/imports/jobs/{job.id}", status_code=303)
        try:
            result = await import_audits(
                text,
                checklist=data.checklist or None,
                create_missing=bool(data.create_missing),
                now=dt.datetime.now(dt.UTC),
            )
        except AuditCsvError as error:
            return await _page(page, 422, form=form, problems=error.problems)
        except AuditImportError as error:
            return await _page(page, 422, form=form, failure=str(error))
        return await _page(page, form=form, result=result)

    @get("/jobs/{job_id:int}")
    async def import_job(self, page: NamedDependency[Page], job_id: PathId) -> Template:
        """A large upload's import: its progress until it is done, then its outcome (a job
        that failed may have one: an erasure finished its import)."""
        job = await _import_job(job_id)
        if job.state == queue.FAILED:
            outcome = await import_outcome(job.key)
            if outcome is None:
                retry = await upload_kept(job.key)
                return await _page(page, **_failed(page, job), retry=retry)
        else:
            outcome = await job_outcome(job)
        if outcome is None:
            return await _page(page, importing=job)
        return await _page(
            page,
            result=outcome.result,
            problems=outcome.problems,
            failure=translate(page.lang, outcome.failure),  # an erasure's is in the catalog
        )

    @post("/jobs/{job_id:int}/retry")
    async def retry(self, page: NamedDependency[Page], job_id: PathId) -> Template | Redirect:
        """Import a failed job's stored file again, from where it stopped; with its file no
        longer kept, the page asks for it again (409)."""
        job = await _import_job(job_id)
        if job.state != queue.FAILED:  # running or done already: nothing to try again
            return Redirect(f"/imports/jobs/{job.id}", status_code=303)
        again = await retry_import(job.key)
        if again is None:
            return await _page(page, 409, **_failed(page, job), retry=False)
        return Redirect(f"/imports/jobs/{again.id}", status_code=303)


async def _import_job(job_id: int) -> queue.JobStatus:
    found = await queue.status(job_id)
    if found is None or found[0].kind != AUDIT_IMPORT:
        raise NotFoundException("No such import.")
    return found[0]
