"""Rules of corrective actions, as pure functions: which failed items open an action, how
severe it is and when it is due, which steps each state allows, when it is overdue, and what a
later visit's answer to the same item does to it.

No database and no clock: callers pass ``today`` (in the branch's time zone) and the scored
audit.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import msgspec

from checklists.model import ActionRule, Checklist, I18n
from checklists.scoring import AuditScore


class State(str, enum.Enum):
    """``open`` → (manager) ``done`` → (head office) ``verified``; a later visit of the branch
    makes an open or done action ``verified_by_visit`` (the item passed) or ``recurred`` (it
    failed again: a new action is opened and linked)."""

    open = "open"
    done = "done"
    verified = "verified"
    verified_by_visit = "verified_by_visit"
    recurred = "recurred"


class Severity(str, enum.Enum):
    critical = "critical"
    major = "major"
    minor = "minor"


class Step(str, enum.Enum):
    """What a person does to an action (the system's steps are opening and re-checking)."""

    note = "note"
    done = "done"
    verify = "verify"
    reopen = "reopen"


ACTIVE = frozenset({State.open, State.done})
"""States still waiting for someone: a later visit re-checks these."""
CLOSED = frozenset({State.verified, State.verified_by_visit, State.recurred})
FIXED = frozenset({State.verified, State.verified_by_visit})
"""Closed because the problem was fixed (counted for the days to close)."""

DUE_DAYS = {Severity.critical: 3, Severity.major: 7, Severity.minor: 14}
"""Days from publication to the due date, by severity (the branch's calendar)."""
MAJOR_WEIGHT = 1.5
"""A non-critical item weighing at least this much in its section is a major one."""
MAX_DUE_DAYS = 366
"""A due date is moved to at most this many days from today: more than a year away is a typo,
not a plan (so an overdue event's dedup key for an older date cannot be made again, unless
the action still has that date)."""
DUE_SOON_DAYS = 2
"""Reminders list actions due within this many days (today included) besides overdue ones."""

ALLOWED_FROM: dict[Step, frozenset[State]] = {
    Step.note: frozenset(State),
    Step.done: frozenset({State.open}),
    Step.verify: frozenset({State.open, State.done}),
    Step.reopen: frozenset({State.done, State.verified, State.verified_by_visit}),
}
STEP_TO: dict[Step, State | None] = {
    Step.note: None,
    Step.done: State.done,
    Step.verify: State.verified,
    Step.reopen: State.open,
}


class Opening(msgspec.Struct, frozen=True):
    """An action to open for one failed item of a published audit."""

    item_key: str
    item_text: I18n
    reason: str
    severity: Severity
    critical: bool
    reason_code: str = ""
    reason_params: dict[str, Any] = {}


def severity_of(critical: bool, weight: float) -> Severity:
    """Critical items are critical; heavy items (weight ≥ ``MAJOR_WEIGHT``) major; the rest
    minor."""
    if critical:
        return Severity.critical
    return Severity.major if weight >= MAJOR_WEIGHT else Severity.minor


def opens_action(rule: ActionRule, audit_critical_fail: bool) -> bool:
    """``always`` opens one for every failure; ``critical`` only when the audit failed on a
    critical item (this one or another); ``never`` never."""
    if rule is ActionRule.never:
        return False
    return rule is ActionRule.always or audit_critical_fail


def openings(doc: Checklist, score: AuditScore, recurring: frozenset[str]) -> list[Opening]:
    """The actions a published audit opens, in checklist order. An item in ``recurring`` (it
    failed again while an earlier action for it was waiting) opens one whatever its rule: the
    earlier failure already passed the rule."""
    result = []
    for failed in score.failed:
        item = doc.item(failed.key)
        if failed.key not in recurring and not opens_action(item.action, score.critical_fail):
            continue
        severity = severity_of(item.critical, item.weight)
        result.append(
            Opening(
                item.key,
                dict(item.text),
                failed.reason,
                severity,
                item.critical,
                failed.code,
                dict(failed.params),
            )
        )
    return result


def due_date(opened_on: dt.date, severity: Severity) -> dt.date:
    return opened_on + dt.timedelta(days=DUE_DAYS[severity])


def is_overdue(state: State | str, due: dt.date, today: dt.date) -> bool:
    """Past its due date and still open (a done action waits for head office, not the
    branch)."""
    return State(state) is State.open and today > due


def is_due_soon(state: State | str, due: dt.date, today: dt.date) -> bool:
    return State(state) is State.open and today <= due < today + dt.timedelta(days=DUE_SOON_DAYS)


def recheck(score: AuditScore, item_key: str) -> State | None:
    """What a later visit's answer does to an active action for ``item_key``: a pass verifies
    it, a fail makes it recur; an item not scored this time (N/A, not asked, not in the
    checklist) leaves it alone."""
    for result in score.items:
        if result.key == item_key and result.passed is not None:
            return State.verified_by_visit if result.passed else State.recurred
    return None


def step_allowed(step: Step, state: State | str) -> bool:
    return State(state) in ALLOWED_FROM[step]


class ActionFact(msgspec.Struct, frozen=True):
    """One action as the recovery figures need it (``reports.recovery``): dates on the
    branch's calendar, ``overdue`` already derived, ``rechecked`` when a later visit answered
    the item again."""

    branch: str
    item_key: str
    state: State
    opened_on: dt.date
    closed_on: dt.date | None
    overdue: bool
    rechecked: bool
