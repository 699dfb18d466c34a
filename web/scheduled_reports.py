"""Scheduled reports: each subscriber their branch or head-office PDF once a week or month, and
each branch manager who asked for it every approved visit's report, in the reader's language.

``run_scheduled`` is what ``evenly report send-scheduled`` runs; the app's daily task only
queues the same deliveries, a job each (``queue_scheduled``), which workers run
(``audits.jobs``); an approval queues its visit notices the same way (``queue_visit_notices``),
so no request waits for the mail server. Each delivery is claimed
in the database (``audits.subscriptions.services.claim``) before its PDF is built, so running
it twice, or in many processes at once, sends each period's report once. The PDF is built as
its reader would read it (a manager never learns who the shopper was) and attached, or linked
when it is larger than ``EVENLY_REPORT_ATTACH_MAX_KB``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import smtplib
import uuid
from urllib.parse import urlencode

import msgspec

from audits.jobs import queue
from audits.jobs.queue import JobContext, JobResult
from audits.org.users import CurrentUser, get_current_user
from audits.subscriptions import rules as subscriptions_rules
from audits.subscriptions import selectors as subscriptions_selectors
from audits.subscriptions import services as subscriptions_services
from audits.subscriptions.selectors import Approved, Subscriber
from audits.tables import OrgSettings
from reports.bytes_cache import digest
from reports.errors import ReportError
from reports.formatting import format_period
from reports.report_data import Filters
from reports.report_model import Report
from reports.services.branch import build_branch
from reports.services.headoffice import build_headoffice
from reports.services.visit import build_visit
from web.mail import Attachment, Message, parse_smtp_url, render, send
from web.report_views import pdf_bytes, translator
from web.settings import Settings

log = logging.getLogger("evenly.scheduled_reports")
SCHEDULED_REPORT = "scheduled_report"
VISIT_LOOKBACK = dt.timedelta(days=7)
"""How far back a run looks for approved visits whose notice has not gone (a missed one)."""


class ScheduledRun(msgspec.Struct):
    """What one run did: sent, skipped (already sent by someone, or nothing to read), failed;
    or, the daily task's, queued for the workers."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    queued: int = 0


class _Job(msgspec.Struct, frozen=True):
    """One report for one reader: a period's branch or head-office PDF, or one visit's."""

    subscriber: Subscriber
    period: str
    branch: str
    start: dt.date | None = None
    end: dt.date | None = None
    audit: uuid.UUID | None = None


class _Context(msgspec.Struct, frozen=True):
    settings: Settings
    default_language: str
    now: dt.datetime


async def _default_language(settings: Settings) -> str:
    row = await OrgSettings.select(OrgSettings.default_language).first()
    return (row or {}).get("default_language") or settings.default_language


async def _build(job: _Job, reader: CurrentUser, lang: str) -> Report:
    _ = translator(lang)
    if job.audit is not None:
        return await build_visit(job.audit, reader, lang=lang, _=_, for_pdf=True)
    filters = Filters(start=job.start, end=job.end)
    if job.subscriber.kind == subscriptions_rules.HEADOFFICE:
        return await build_headoffice(filters, reader, lang=lang, _=_)
    return await build_branch(job.branch, filters, reader, lang=lang, _=_)


def _links(job: _Job, base: str) -> tuple[str, str]:
    """The report's page and PDF (both ask the reader to log in)."""
    if job.audit is not None:
        page = f"{base}/reports/visits/{job.audit}"
        return page, f"{page}/pdf"
    query = "?" + urlencode({"from": job.start, "to": job.end})
    page = (
        f"{base}/reports/headoffice"
        if job.subscriber.kind == subscriptions_rules.HEADOFFICE
        else f"{base}/reports/branches/{job.branch}"
    )
    return f"{page}{query}", f"{page}/pdf{query}"


def _message(job: _Job, reader: CurrentUser, lang: str, report: Report, pdf: bytes, ctx: _Context):
    attach = len(pdf) <= ctx.settings.report_attach_max_kb * 1024
    page_url, pdf_url = _links(job, ctx.settings.public_url)
    context = {
        "name": reader.username,
        "kind": subscriptions_rules.VISITS if job.audit else job.subscriber.kind,
        "cadence": job.subscriber.cadence,
        "branch": job.branch,
        "period": format_period(job.start, job.end, lang) if job.start and job.end else "",
        "title": report.title,
        "subtitle": report.subtitle,
        "attached": attach,
        "page_url": page_url,
        "pdf_url": pdf_url,
    }
    template = "visit_approved" if job.audit else "scheduled_report"
    subject, body = render(template, lang, **context)
    name = f"visit-{job.audit}" if job.audit else f"{job.subscriber.kind}-{job.branch or 'all'}"
    attachments = (Attachment(f"{name}-{job.period}.pdf", pdf),) if attach else ()
    return Message(job.subscriber.email, subject, body, lang, attachments)


async def _deliver(job: _Job, server, ctx: _Context, run: ScheduledRun) -> None:
    """Claim, build as the reader reads it, send, record."""
    reader = await get_current_user(job.subscriber.user)
    if reader is None:
        return
    lang = reader.language or ctx.default_language
    delivery = await subscriptions_services.claim(
        job.subscriber.subscription,
        job.period,
        job.branch,
        address=job.subscriber.email,
        language=lang,
        now=ctx.now,
    )
    if delivery is None:
        run.skipped += 1
        return
    try:
        report = await _build(job, reader, lang)
        pdf = await pdf_bytes(report, translator(lang))
        message = _message(job, reader, lang, report, pdf, ctx)
    except ReportError as error:  # e.g. no longer the reader's branch: nothing to send
        run.skipped += 1
        await subscriptions_services.mark(delivery, status="skipped", now=ctx.now, error=str(error))
        return
    except Exception as error:  # a bug must not stop the others; the next run tries again
        log.exception("building %s failed", job)
        run.failed += 1
        await subscriptions_services.mark(delivery, status="failed", now=ctx.now, error=repr(error))
        return
    sent = {"subject": message.subject, "attached": bool(message.attachments), "size": len(pdf)}
    try:
        await asyncio.to_thread(send, server, ctx.settings.mail_from, message)
    except (OSError, smtplib.SMTPException) as error:
        run.failed += 1
        failure = str(error) or repr(error)
        await subscriptions_services.mark(
            delivery, status="failed", now=ctx.now, error=failure, **sent
        )
        return
    run.sent += 1
    await subscriptions_services.mark(delivery, status="sent", now=dt.datetime.now(dt.UTC), **sent)


def _period_jobs(subscribers: list[Subscriber], today: dt.date) -> list[_Job]:
    jobs = []
    for sub in subscribers:
        period = subscriptions_rules.last_complete(sub.cadence, today)
        jobs += [_Job(sub, period.key, code, period.start, period.end) for code in sub.branches]
    return jobs


def _visit_jobs(subscribers: list[Subscriber], approved: list[Approved]) -> list[_Job]:
    return [
        _Job(sub, subscriptions_rules.visit_period(str(a.audit)), a.branch, audit=a.audit)
        for a in approved
        for sub in subscribers
        if a.branch in sub.branches and a.reviewed_at >= sub.since
    ]


async def _context(settings: Settings, now: dt.datetime):
    if not settings.smtp_url:
        raise ValueError("EVENLY_SMTP_URL is not set: there is no server to send e-mail through.")
    server = parse_smtp_url(settings.smtp_url)
    return server, _Context(settings, await _default_language(settings), now)


async def _due(today: dt.date, now: dt.datetime) -> list[_Job]:
    """Every subscriber's report of the last complete week or month before ``today``, and the
    visit notices of the last week's approvals."""
    jobs = _period_jobs(
        await subscriptions_selectors.subscribers(
            subscriptions_rules.BRANCH, subscriptions_rules.HEADOFFICE
        ),
        today,
    )
    approved = await subscriptions_selectors.approved_since(now - VISIT_LOOKBACK)
    return jobs + _visit_jobs(
        await subscriptions_selectors.subscribers(subscriptions_rules.VISITS), approved
    )


async def run_scheduled(
    settings: Settings, today: dt.date | None = None, *, now: dt.datetime | None = None
) -> ScheduledRun:
    """Send every subscriber the report of the last complete week or month before ``today``
    (UTC, default today), and the visit notices of the last week's approvals not yet sent."""
    now = now or dt.datetime.now(dt.UTC)
    server, ctx = await _context(settings, now)
    run = ScheduledRun()
    for job in await _due(today or now.date(), now):
        await _deliver(job, server, ctx, run)
    return run


async def queue_scheduled(
    settings: Settings, today: dt.date | None = None, *, now: dt.datetime | None = None
) -> ScheduledRun:
    """What ``run_scheduled`` sends, queued as one job per delivery for the workers; a delivery
    queued already (by another app process, or yesterday and not failed) is not queued again."""
    await _context(settings, now or dt.datetime.now(dt.UTC))  # no e-mail server: say so now
    now = now or dt.datetime.now(dt.UTC)
    return await _queue(await _due(today or now.date(), now))


async def _queue(jobs: list[_Job]) -> ScheduledRun:
    """A job per delivery; its key is the delivery's, so the daily run's joins an approval's."""
    run = ScheduledRun()
    for job in jobs:
        key = digest(SCHEDULED_REPORT, job.subscriber.subscription, job.period, job.branch)
        args = {"job": msgspec.json.encode(job).decode()}
        await queue.defer(SCHEDULED_REPORT, key=key, args=args, audience="office")
        run.queued += 1
    return run


@queue.job(SCHEDULED_REPORT)
async def scheduled_report(args: dict, context: JobContext) -> JobResult:
    """One delivery, run by a worker: claimed, built as its reader reads it, sent, recorded."""
    settings = context.extras.get("settings") or Settings.from_env()
    server, ctx = await _context(settings, dt.datetime.now(dt.UTC))
    run = ScheduledRun()
    await _deliver(msgspec.json.decode(args["job"], type=_Job), server, ctx, run)
    if run.failed:  # recorded on the delivery too; the next daily run queues it again
        raise RuntimeError("the report was not sent (see the subscription's deliveries)")
    return JobResult()


async def notify_approved(settings: Settings, audit_id: uuid.UUID) -> ScheduledRun:
    """Tell the branch's subscribed managers of one approved visit now, in this process (what
    the job of each notice does; ``queue_visit_notices`` is what an approval calls)."""
    run = ScheduledRun()
    if not settings.smtp_url:
        return run
    approved = await subscriptions_selectors.approved(audit_id)
    if approved is None:
        return run
    server, ctx = await _context(settings, dt.datetime.now(dt.UTC))
    subscribers = await subscriptions_selectors.subscribers(subscriptions_rules.VISITS)
    for job in _visit_jobs(subscribers, [approved]):
        await _deliver(job, server, ctx, run)
    return run


async def queue_visit_notices(settings: Settings, audit_id: uuid.UUID) -> ScheduledRun:
    """Queue the notices of one approved visit to the branch's subscribed managers, a job each
    (nothing without an e-mail server)."""
    if not settings.smtp_url:
        return ScheduledRun()
    approved = await subscriptions_selectors.approved(audit_id)
    if approved is None:
        return ScheduledRun()
    subscribers = await subscriptions_selectors.subscribers(subscriptions_rules.VISITS)
    return await _queue(_visit_jobs(subscribers, [approved]))


async def queue_visit_notices_logged(settings: Settings, audit_id: uuid.UUID) -> None:
    """``queue_visit_notices`` after an approval's response: a failure (database down) is
    logged, and the daily run queues what was missed."""
    try:
        await queue_visit_notices(settings, audit_id)
    except Exception:
        log.exception("queueing the visit notices of %s failed", audit_id)
