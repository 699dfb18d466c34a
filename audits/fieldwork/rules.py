"""Rules of filing, as pure functions: the local visit time, its shift, and the flags that
help head office review an audit before branches see it."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from zoneinfo import ZoneInfo

import msgspec

from audits.fieldwork.presence import surely_far, taken_outside_visit, too_quick

CLOCK_SKEW = dt.timedelta(minutes=5)
"""A phone's clock may run this far ahead of the server's."""

RANDOM_ID_VERSION = 4


def client_id_problem(value: uuid.UUID) -> str | None:
    """Why a client-made id may not be stored, if it may not. Ids reach other roles (an
    audit's or a photo's id reaches the branch's managers, ``audits.fieldwork.disclosure``), and
    every UUID but a random one carries the time it was made (v1, v6, v7) or the device (v1)."""
    if value.version != RANDOM_ID_VERSION:
        return "Use a random (version 4) UUID: others carry the time or the device."
    return None


OUTLIER_Z = 2.5
OUTLIER_MIN_HISTORY = 5


class ShiftWindow(msgspec.Struct, frozen=True):
    """A shift as minutes after local midnight; ``end < start`` wraps midnight."""

    name: str
    start_minute: int
    end_minute: int
    branch_specific: bool = False

    def contains(self, minute: int) -> bool:
        if self.start_minute <= self.end_minute:
            return self.start_minute <= minute < self.end_minute
        return minute >= self.start_minute or minute < self.end_minute


def local_time(visited_at: dt.datetime, timezone: str) -> dt.datetime:
    """The visit time on the branch's clock; a time without offset is read as branch-local."""
    zone = ZoneInfo(timezone)
    if visited_at.tzinfo is None:
        return visited_at.replace(tzinfo=zone)
    return visited_at.astimezone(zone)


def shift_for(local: dt.datetime, shifts: list[ShiftWindow]) -> str | None:
    """The shift containing the local time; a branch's own shifts win over the organisation's."""
    minute = local.hour * 60 + local.minute
    ordered = sorted(shifts, key=lambda s: not s.branch_specific)
    return next((s.name for s in ordered if s.contains(minute)), None)


def proposed_visit_time(
    now: dt.datetime, window: tuple[dt.date, dt.date], shift: ShiftWindow | None
) -> dt.datetime:
    """The visit time a planned visit's form proposes (``now`` on the branch's clock): now when
    it lies in the visit's window of days and its shift; else the shift's start (or now's time
    of day) on the window's day nearest to today, the day before when that start is still to
    come today. The shopper may change it; the shift of the time filed is the audit's."""
    start, end = window
    day = min(max(now.date(), start), end)
    minute = now.hour * 60 + now.minute
    if shift is None or (day == now.date() and shift.contains(minute)):
        at = dt.time(now.hour, now.minute)
    else:
        at = dt.time(shift.start_minute // 60, shift.start_minute % 60)
    proposed = dt.datetime.combine(day, at, tzinfo=now.tzinfo)
    if proposed > now and day > start:
        proposed -= dt.timedelta(days=1)
    return proposed


def visit_time_problem(visited_at: dt.datetime, now: dt.datetime) -> str | None:
    if visited_at > now + CLOCK_SKEW:
        return "The visit time is in the future."
    return None


class FlagFacts(msgspec.Struct, frozen=True):
    """What the reviewer's flags are computed from."""

    local_date: dt.date
    shift: str | None
    score: float | None
    window: tuple[dt.date, dt.date] | None = None
    planned_shift: str | None = None
    visit_minutes: int | None = None
    min_visit_minutes: int = 0
    shopper_history: tuple[float, ...] = ()
    reused_photos: int = 0
    # Evidence of presence (``presence``): each fix's distance to the branch and stated
    # uncertainty in metres, seconds on the form, photos' capture times (branch wall clock).
    fixes: tuple[tuple[float, float | None], ...] = ()
    form_seconds: int | None = None
    answered_items: int = 0
    visit_start: dt.datetime | None = None
    photo_times: tuple[dt.datetime, ...] = ()


def review_flags(facts: FlagFacts) -> list[str]:
    """Codes of what deserves a reviewer's second look (empty when nothing does)."""
    flags = []
    if facts.window and not facts.window[0] <= facts.local_date <= facts.window[1]:
        flags.append("outside_window")
    if facts.planned_shift and facts.shift != facts.planned_shift:
        flags.append("other_shift")
    if facts.visit_minutes is not None and facts.visit_minutes < facts.min_visit_minutes:
        flags.append("short_visit")
    if _far_from_usual(facts.score, facts.shopper_history):
        flags.append("unusual_for_shopper")
    if facts.reused_photos:
        flags.append("photo_reused")
    if facts.fixes and all(surely_far(d, accuracy) for d, accuracy in facts.fixes):
        flags.append("far_from_branch")
    if too_quick(facts.form_seconds, facts.answered_items):
        flags.append("form_too_quick")
    if facts.visit_start is not None and any(
        taken_outside_visit(t, facts.visit_start, facts.visit_minutes) for t in facts.photo_times
    ):
        flags.append("photo_taken_outside_visit")
    return flags


def _far_from_usual(score: float | None, history: tuple[float, ...]) -> bool:
    if score is None or len(history) < OUTLIER_MIN_HISTORY:
        return False
    spread = statistics.stdev(history)
    if spread == 0:
        return score != history[0]
    return abs(score - statistics.fmean(history)) / spread > OUTLIER_Z


FLAG_TEXT = {
    "outside_window": "Visit time outside the plan's window",
    "other_shift": "Visit in another shift than planned",
    "short_visit": "Visit implausibly short",
    "unusual_for_shopper": "Score far from this shopper's usual",
    "photo_reused": "A photo also appears in another audit",
    "far_from_branch": "The phone was far from the branch",
    "form_too_quick": "Form filled too quickly for its items",
    "photo_taken_outside_visit": "A photo was taken outside the visit",
}
