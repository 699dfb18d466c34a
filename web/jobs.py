"""The jobs Evenly runs in a worker (``audits.jobs``), and how a page asks for one.

Today: head office's PDF, and a branch's over more than ``DIRECT_BRANCH_PDF_VISITS`` visits
(the period's analysis, the charts and the layout, minutes at thousands of branches); a smaller
branch's PDF is made in the request, in seconds. A PDF is built as the reader who asked would
read it (a branch's as head office or as a manager reads it: the view is part of the key, and a
manager's job is one its branch's managers may follow) and kept once
(``audits.db.kept_results``) under the job's key: a digest of the analysis code, the audits'
fingerprint, the filters, the language, whether staff show as codes and the ten minutes it was
asked in (what the fingerprint cannot see, an action closed say, is in the next one). A second
identical request meanwhile joins the job; a later one gets the kept PDF at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from audits.jobs import queue
from audits.jobs.queue import JobContext, JobResult, JobStatus
from audits.org.users import CurrentUser, get_current_user
from reports import report_data
from reports.bytes_cache import digest
from reports.errors import ReportForbidden, ReportNotFound
from reports.kept_analyses import analysis_code
from reports.report_data import Filters
from reports.report_model import Report
from reports.services.branch import build_branch, may_read_branch
from reports.services.headoffice import build_headoffice
from reports.services.period import fit_period
from web.report_views import kept_pdf_row, translator

log = logging.getLogger("evenly.jobs")
HEADOFFICE_PDF = "headoffice_pdf"
PERIOD_ANALYSIS = "period_analysis"
PROGRESS_ONLY = "progress"
"""The audience of a job whose progress any reader may follow but whose result is no one's to
download (an analysis, which a page then reads as its reader may)."""
BRANCH_PDF = "branch_pdf"
BUCKET = dt.timedelta(minutes=10)
DIRECT_BRANCH_PDF_VISITS = 300
"""A branch's PDF over at most this many visits in the period is made in the request (a few
pages, seconds); over more, by a worker, the page following the job on a bar."""
OFFICE = "office"


def branch_pdf_is_job(report: Report) -> bool:
    """Whether the branch report's PDF is made by a worker (past its size) or in the request."""
    visits = report.table("visits")
    return visits is not None and len(visits.rows) > DIRECT_BRANCH_PDF_VISITS


def may_read(audience: str, user: CurrentUser) -> bool:
    """Whether ``user`` may follow and download a job meant for ``audience``."""
    if user.is_office or audience == PROGRESS_ONLY:
        return True
    if audience.startswith("branch:"):
        return audience.removeprefix("branch:") in user.branches
    return False


def _filters_args(filters: Filters) -> dict[str, Any]:
    return {
        "start": filters.start.isoformat() if filters.start else None,
        "end": filters.end.isoformat() if filters.end else None,
        "region": filters.region,
        "channel": filters.channel,
        "checklist": filters.checklist,
    }


def _filters_of(args: dict[str, Any]) -> Filters:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return Filters(
        start=day(args["start"]),
        end=day(args["end"]),
        region=args["region"],
        channel=args["channel"],
        checklist=args["checklist"],
    )


async def _key(kind: str, *parts: object, now: dt.datetime | None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return digest(
        kind,
        analysis_code(),
        list(await report_data.audits_fingerprint()),
        await report_data.staff_codes_only(),
        int(now.timestamp() // BUCKET.total_seconds()),
        *parts,
    )


async def defer_headoffice_pdf(
    filters: Filters, user: CurrentUser, lang: str, *, now: dt.datetime | None = None
) -> JobStatus:
    """Head office's PDF over ``filters`` in ``lang``: the job making it, joined if one is."""
    if not user.is_office:
        raise ReportForbidden("Your role does not allow this.")
    wanted = _filters_args(filters)
    key = await _key(HEADOFFICE_PDF, wanted, lang, now=now)
    args = {"filters": wanted, "lang": lang, "user": user.id}
    return await queue.defer(HEADOFFICE_PDF, key=key, args=args, audience=OFFICE)


async def defer_branch_pdf(
    code: str, filters: Filters, user: CurrentUser, lang: str, *, now: dt.datetime | None = None
) -> JobStatus:
    """Branch ``code``'s PDF as ``user`` reads it: the job making it, joined if one is. The same
    refusals as its page: another manager's branch first, then no such branch."""
    if not may_read_branch(user, code):
        raise ReportForbidden("You may read the reports of your own branches only.")
    if await report_data.branch_info(code) is None:
        raise ReportNotFound(f"No branch {code!r}.")
    view = OFFICE if user.is_office else "manager"
    wanted = _filters_args(filters)
    key = await _key(BRANCH_PDF, code, view, wanted, lang, now=now)
    args = {"code": code, "filters": wanted, "lang": lang, "user": user.id}
    audience = OFFICE if user.is_office else f"branch:{code}"
    return await queue.defer(BRANCH_PDF, key=key, args=args, audience=audience)


STARTED = 0.05
STEPS = {"rows": 0.15, "analysis": 0.28}
"""The bar as the report is built: its audits read, their analysis read or fitted (a fit
moves it from one to the other, ``FitBar``)."""
ANALYSIS_STEPS = {"rows": 0.1, "analysis": 0.95}
"""The bar of the period's analysis job: the fit is nearly all of its work."""
BAR_EVERY = 0.5
"""Seconds between two of a fit's writes of its bar (a fit evaluates its deviance hundreds
of times; a reader's page asks every second or so)."""


class FitBar:
    """A job's bar moved by a fit (``reports.services.period.Fitting``): told the share of the
    analysis done, from the fit's thread, it writes ``low`` + share × (``high`` − ``low``) to
    the job, forward only, at most every ``every`` seconds and one write at a time (a newer
    share waiting replaces an older one). ``settled`` waits for the last write. A write that
    fails is logged and skipped: a bar a step behind is better than a fit lost."""

    def __init__(
        self,
        context: JobContext,
        low: float,
        high: float,
        *,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.context, self.low, self.high = context, low, high
        self.every = BAR_EVERY if every is None else every
        self.clock, self.last, self.shown = clock, -float("inf"), low
        self.loop = asyncio.get_running_loop()
        self.lock = threading.Lock()
        self.waiting: float | None = None
        self.writing: concurrent.futures.Future[None] | None = None

    def __call__(self, share: float) -> None:
        fraction = self.low + (self.high - self.low) * min(max(share, 0.0), 1.0)
        with self.lock:
            now = self.clock()
            if fraction <= self.shown or now - self.last < self.every:
                return
            self.shown, self.last, self.waiting = fraction, now, fraction
            if self.writing is None:
                self.writing = asyncio.run_coroutine_threadsafe(self._write(), self.loop)

    async def _write(self) -> None:
        while True:
            with self.lock:
                fraction, self.waiting = self.waiting, None
                if fraction is None:
                    self.writing = None
                    return
            try:
                await self.context.progress(fraction)
            except Exception:  # the database busy, say: the next share is written instead
                log.warning("job %s: its bar was not moved", self.context.job_id, exc_info=True)

    async def settled(self) -> None:
        with self.lock:
            writing = self.writing
        if writing is not None:
            await asyncio.wrap_future(writing)


BUILT = 0.3
"""The bar once the report is built; the charts and the layout move it from there, one step
each, to ``LAID_OUT``."""
LAID_OUT = 0.95


async def _kept_pdf(report: Any, translate: Any, context: JobContext, filename: str) -> JobResult:
    """The built report laid out as a PDF, its download the kept laid-out PDF's row (the bytes
    are kept once, for the job and for any process laying out the same HTML); the bar moves
    as each chart is drawn and as the pages are laid out and drawn."""
    await context.progress(BUILT)
    loop = asyncio.get_running_loop()
    reports: list[concurrent.futures.Future[None]] = []

    def step(done: int, total: int) -> None:  # called from the PDF's threads
        fraction = BUILT + (LAID_OUT - BUILT) * done / total
        reports.append(asyncio.run_coroutine_threadsafe(context.progress(fraction), loop))

    kept_as = await kept_pdf_row(report, translate, progress=step)
    await asyncio.gather(*(asyncio.wrap_future(f) for f in reports))
    return JobResult(result_key=kept_as, filename=filename)


@queue.job(HEADOFFICE_PDF)
async def headoffice_pdf(args: dict[str, Any], context: JobContext) -> JobResult:
    reader = await get_current_user(args["user"])
    if reader is None or not reader.is_office:
        raise ReportForbidden("Your role does not allow this.")
    lang = args["lang"]
    translate = translator(lang)
    await context.progress(STARTED)
    bar = FitBar(context, STEPS["rows"], STEPS["analysis"])
    report = await build_headoffice(
        _filters_of(args["filters"]),
        reader,
        lang=lang,
        _=translate,
        analyses=context.extras.get("analyses"),
        reached=lambda step: context.progress(STEPS[step]),
        fitting=bar,
    )
    await bar.settled()
    return await _kept_pdf(report, translate, context, "headoffice.pdf")


@queue.job(BRANCH_PDF)
async def branch_pdf(args: dict[str, Any], context: JobContext) -> JobResult:
    reader = await get_current_user(args["user"])
    if reader is None:
        raise ReportForbidden("Your role does not allow this.")
    lang, code = args["lang"], args["code"]
    translate = translator(lang)
    await context.progress(STARTED)
    bar = FitBar(context, STEPS["rows"], STEPS["analysis"])
    report = await build_branch(
        code,
        _filters_of(args["filters"]),
        reader,
        lang=lang,
        _=translate,
        analyses=context.extras.get("analyses"),
        reached=lambda step: context.progress(STEPS[step]),
        fitting=bar,
    )
    await bar.settled()
    return await _kept_pdf(report, translate, context, f"branch-{code}.pdf")


async def defer_period_analysis(filters: Filters, *, now: dt.datetime | None = None) -> JobStatus:
    """The job fitting and keeping the analysis of ``filters``' period, for a page that would
    otherwise wait for the fit (``reports.services.period.analysis_ready``)."""
    wanted = _filters_args(filters)
    key = await _key(PERIOD_ANALYSIS, wanted, now=now)
    return await queue.defer(
        PERIOD_ANALYSIS, key=key, args={"filters": wanted}, audience=PROGRESS_ONLY
    )


@queue.job(PERIOD_ANALYSIS)
async def period_analysis(args: dict[str, Any], context: JobContext) -> JobResult:
    await context.progress(STARTED)
    bar = FitBar(context, ANALYSIS_STEPS["rows"], ANALYSIS_STEPS["analysis"])
    key = await fit_period(
        _filters_of(args["filters"]),
        reached=lambda step: context.progress(ANALYSIS_STEPS[step]),
        fitting=bar,
    )
    await bar.settled()
    return JobResult(result_key=key)


class JobFailed(Exception):
    """The job ended in failure (its error is logged by the worker)."""


async def wait_for(job_id: int, *, timeout: float) -> tuple[bytes, str] | None:
    """The job's result once it is done (None past ``timeout`` seconds): for a reader without
    JavaScript, whose request waits while a worker does the work."""
    loop = asyncio.get_running_loop()
    deadline, pause = loop.time() + timeout, 0.05
    while True:
        found = await queue.status(job_id)
        if found is not None and found[0].state == queue.FAILED:
            raise JobFailed(found[0].error)
        if found is not None and found[0].state == queue.DONE:
            result = await queue.result(job_id)
            if result is not None:
                return result
        if loop.time() >= deadline:
            return None
        await asyncio.sleep(pause)
        pause = min(pause * 2, 1.0)
