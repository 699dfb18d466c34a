"""What a reader is told when a job failed: a sentence in their language of what happened and
what to do, never the job's technical error inside it ("database is locked" in English in the
middle of a Greek sentence, and maybe a table's name). The worker logged the error with its
traceback; head office may unfold it on the page (``_job_error.html``), no one else sees it."""

from __future__ import annotations

from audits.jobs import queue
from audits.org.users import CurrentUser
from web.i18n import N_

BUSY = N_("The server was busy; try again in a minute.")
BROKEN = N_(
    "Something went wrong on our side; try again in a minute, and if it fails again, "
    "tell your administrator."
)

# Errors of a database or a connection that was busy for a moment: gone on the next try.
_PASSING = (
    "locked",
    "busy",
    "timeout",
    "timed out",
    "deadlock",
    "could not serialize",
    "too many connections",
    "connection",
)


def failure_reason(error: str) -> str:
    """The msgid telling a reader why a job with this technical ``error`` failed."""
    lowered = error.lower()
    return BUSY if any(sign in lowered for sign in _PASSING) else BROKEN


def technical_error(job: queue.JobStatus, user: CurrentUser | None) -> str | None:
    """The job's technical error for a head-office reader, None for anyone else."""
    return job.error or None if user is not None and user.is_office else None
