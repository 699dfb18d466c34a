"""JSON API for jobs (``audits.jobs``): a job's state and progress, and its result once done.

A page that asked for long work (head office's PDF) follows its job here and downloads the
result. Only a reader the job is meant for may see it (``web.jobs.may_read``); to anyone
else the job does not exist (404), so its id tells them nothing.
"""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException

from audits.jobs import queue
from audits.org.users import CurrentUser
from web.auth import requires_any_role
from web.job_failures import technical_error
from web.jobs import PERIOD_ANALYSIS, may_read
from web.params import PathId


class JobOut(msgspec.Struct, frozen=True):
    """A job as its reader follows it: ``state`` is queued, running, done or failed;
    ``progress`` goes from 0 to 1; ``result_url`` is set once it is done; ``error``, the
    technical error of a failed job, is head office's alone (``web.job_failures``)."""

    id: int
    kind: str
    state: str
    progress: float
    status_url: str
    result_url: str | None = None
    error: str | None = None


def job_out(status: queue.JobStatus, user: CurrentUser) -> JobOut:
    base = f"/api/jobs/{status.id}"
    return JobOut(
        id=status.id,
        kind=status.kind,
        state=status.state,
        progress=round(status.progress, 3),
        status_url=base,
        result_url=f"{base}/result" if status.state == queue.DONE else None,
        error=technical_error(status, user),
    )


async def readable_job(job_id: int, user: CurrentUser) -> queue.JobStatus:
    found = await queue.status(job_id)
    if found is None or not may_read(found[1], user):
        raise NotFoundException("No such job.")
    return found[0]


class JobApiController(Controller):
    path = "/api/jobs"
    tags = ["jobs"]
    guards = [requires_any_role]

    @get("/{job_id:int}")
    async def job_status(self, user: NamedDependency[CurrentUser], job_id: PathId) -> JobOut:
        """A job's state and progress; ``result_url`` once it is done."""
        return job_out(await readable_job(job_id, user), user)

    @get("/{job_id:int}/result", include_in_schema=False)
    async def job_result(self, user: NamedDependency[CurrentUser], job_id: PathId) -> Response:
        """A done job's file (404 until it is done, or once it was pruned)."""
        job = await readable_job(job_id, user)
        found = None if job.kind == PERIOD_ANALYSIS else await queue.result(job_id)
        if found is None:
            raise NotFoundException("This job has no result (yet).")
        data, filename = found
        media = "application/pdf" if filename.endswith(".pdf") else "application/octet-stream"
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
