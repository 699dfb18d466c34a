"""Reminders: each owner their due and overdue actions, head office a digest, once a day; the
same daily task then queues the scheduled reports for the workers (``web.scheduled_reports``).

``run_reminders`` is what ``evenly actions remind`` and the daily task inside the app run. Each
message is claimed in the database (``audits.actions.mail_log``) before it is sent, so running it
twice, or in many app processes at once, sends each recipient one message of each kind per day.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import smtplib
from collections.abc import Callable

import msgspec

from audits.actions import mail_log, reminders
from audits.actions.selectors import ActionOut
from audits.tables import OrgSettings
from web.mail import Message, parse_smtp_url, render, send
from web.scheduled_reports import ScheduledRun, queue_scheduled
from web.settings import Settings

log = logging.getLogger("evenly.reminders")


class ReminderRun(msgspec.Struct):
    """What one run did: sent, skipped (already sent today by someone), failed."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0


class BranchCount(msgspec.Struct, frozen=True):
    key: str
    open: int
    overdue: int


class _Outgoing(msgspec.Struct, frozen=True):
    kind: str
    recipient: reminders.Recipient
    language: str
    subject: str
    body: str


async def _default_language(settings: Settings) -> str:
    row = await OrgSettings.select(OrgSettings.default_language).first()
    return (row or {}).get("default_language") or settings.default_language


def _owner_message(
    recipient: reminders.Recipient, actions: list[ActionOut], language: str, base_url: str
) -> _Outgoing:
    overdue = [a for a in actions if a.overdue]
    due = [a for a in actions if not a.overdue]
    context = {"name": recipient.username, "overdue": overdue, "due": due, "base_url": base_url}
    subject, body = render("reminder", language, **context)
    return _Outgoing("owner_reminder", recipient, language, subject, body)


def _digest_message(
    recipient: reminders.Recipient,
    waiting: list[ActionOut],
    day: dt.date,
    language: str,
    base_url: str,
) -> _Outgoing:
    counts: dict[str, list[ActionOut]] = {}
    for action in waiting:
        counts.setdefault(action.branch, []).append(action)
    branches = [
        BranchCount(code, len(items), sum(a.overdue for a in items))
        for code, items in sorted(counts.items())
    ]
    total = BranchCount("all", len(waiting), sum(a.overdue for a in waiting))
    context = {
        "name": recipient.username,
        "day": day,
        "branches": branches,
        "total": total,
        "overdue": [a for a in waiting if a.overdue],
        "done": [a for a in waiting if a.state == "done"],
        "base_url": base_url,
    }
    subject, body = render("digest", language, **context)
    return _Outgoing("office_digest", recipient, language, subject, body)


async def compose(settings: Settings, now: dt.datetime) -> list[_Outgoing]:
    """Today's messages, each in its recipient's language (profile, else the organisation's)."""
    default = await _default_language(settings)
    base = settings.public_url
    messages = [
        _owner_message(person, actions, person.language or default, base)
        for person, actions in await reminders.owner_reminders(now)
    ]
    waiting = await reminders.waiting_actions(now)
    if waiting:
        messages += [
            _digest_message(person, waiting, now.date(), person.language or default, base)
            for person in await reminders.office_recipients()
        ]
    return messages


async def run_reminders(
    settings: Settings,
    now: dt.datetime | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ReminderRun:
    """Claim and send today's (UTC) reminders and digests; ``progress(done, total)``."""
    if not settings.smtp_url:
        raise ValueError("EVENLY_SMTP_URL is not set: there is no server to send e-mail through.")
    server = parse_smtp_url(settings.smtp_url)
    now = now or dt.datetime.now(dt.UTC)
    run = ReminderRun()
    messages = await compose(settings, now)
    for done, out in enumerate(messages, start=1):
        if progress:
            progress(done - 1, len(messages))
        email_id = await mail_log.claim(
            out.kind,
            out.recipient.id,
            now.date(),
            address=out.recipient.email,
            language=out.language,
            subject=out.subject,
            body=out.body,
            now=now,
        )
        if email_id is None:
            run.skipped += 1
            continue
        message = Message(out.recipient.email, out.subject, out.body, out.language)
        try:
            await asyncio.to_thread(send, server, settings.mail_from, message)
        except (OSError, smtplib.SMTPException) as error:
            run.failed += 1
            await mail_log.mark(email_id, sent=False, now=now, error=str(error) or repr(error))
            continue
        run.sent += 1
        await mail_log.mark(email_id, sent=True, now=dt.datetime.now(dt.UTC))
    if progress:
        progress(len(messages), len(messages))
    return run


def parse_at(at: str) -> tuple[int, int]:
    """``HH:MM`` as hour and minute; a clear error for anything else."""
    hour, _, minute = at.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ValueError(f"EVENLY_REMIND_AT must be HH:MM (UTC), got {at!r}")
    return int(hour), int(minute)


def seconds_until(now: dt.datetime, at: str) -> float:
    """Seconds from ``now`` (UTC) until the next ``HH:MM`` UTC; 0 when it is exactly now."""
    hour, minute = parse_at(at)
    target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target < now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


Heard = Callable[[ReminderRun | None], None] | None
HeardScheduled = Callable[[ScheduledRun | None], None] | None


async def daily_reminders(
    settings: Settings, on_run: Heard = None, on_scheduled: HeardScheduled = None
) -> None:
    """The app's task: at start, catch up on today's run if its time has passed (the claims
    make that safe), then run at ``EVENLY_REMIND_AT`` every day. ``on_run`` hears of each run
    (None for one that failed); the scheduled reports are queued after them (``on_scheduled``)."""
    if _passed_today(dt.datetime.now(dt.UTC), settings.remind_at):
        await _run_logged(settings, on_run)
        await _scheduled_logged(settings, on_scheduled)
    while True:
        await asyncio.sleep(seconds_until(dt.datetime.now(dt.UTC), settings.remind_at) or 1)
        await _run_logged(settings, on_run)
        await _scheduled_logged(settings, on_scheduled)
        await asyncio.sleep(61)  # past the minute, so one run per day


def _passed_today(now: dt.datetime, at: str) -> bool:
    return (now.hour, now.minute) >= parse_at(at)


async def _scheduled_logged(settings: Settings, on_run: HeardScheduled) -> None:
    run = None
    try:
        run = await queue_scheduled(settings)
        log.info("scheduled reports: %s queued", run.queued)
    except Exception:  # as for reminders: tomorrow is another run
        log.exception("scheduled reports failed")
    if on_run:
        on_run(run)


async def _run_logged(settings: Settings, on_run: Heard) -> None:
    run = None
    try:
        run = await run_reminders(settings)
        log.info("reminders: %s sent, %s skipped, %s failed", run.sent, run.skipped, run.failed)
    except Exception:  # the task must outlive a bad day (database down, a bad template)
        log.exception("reminders failed")
    if on_run:
        on_run(run)


def start_daily_task(
    settings: Settings, on_run: Heard = None, on_scheduled: HeardScheduled = None
) -> asyncio.Task | None:
    """Start the daily task when e-mail is configured (call on app startup)."""
    if not settings.smtp_url:
        return None
    parse_smtp_url(settings.smtp_url)  # a bad setting stops the start, not a later day
    parse_at(settings.remind_at)
    return asyncio.get_running_loop().create_task(daily_reminders(settings, on_run, on_scheduled))


async def stop_daily_task(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
