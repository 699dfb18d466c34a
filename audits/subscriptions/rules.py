"""The kinds of report one can subscribe to, their cadences, the period a run delivers and who
may have which subscription (pure)."""

from __future__ import annotations

import datetime as dt

import msgspec

BRANCH, HEADOFFICE, VISITS = "branch", "headoffice", "visits"
KINDS = (BRANCH, HEADOFFICE, VISITS)
WEEKLY, MONTHLY, APPROVAL = "weekly", "monthly", "approval"
CADENCES = (WEEKLY, MONTHLY)
"""The cadences of the PDFs; a visits subscription is sent on each approval."""


class Period(msgspec.Struct, frozen=True):
    """A complete week (Monday to Sunday) or calendar month; ``key`` names it in the log."""

    cadence: str
    key: str
    start: dt.date
    end: dt.date


def last_complete(cadence: str, today: dt.date) -> Period:
    """The latest week or month that ended before ``today``: what a run on ``today`` sends."""
    if cadence == WEEKLY:
        start = today - dt.timedelta(days=today.weekday() + 7)
        year, week, _ = start.isocalendar()
        return Period(cadence, f"{year}-W{week:02d}", start, start + dt.timedelta(days=6))
    if cadence == MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return Period(cadence, f"{end:%Y-%m}", end.replace(day=1), end)
    raise ValueError(f"no period for cadence {cadence!r}")


def visit_period(audit_id: str) -> str:
    """The log's period of one approved visit's notice."""
    return f"audit-{audit_id}"


def claim_key(subscription_id: int, period: str, branch: str) -> str:
    return f"{subscription_id}:{period}:{branch or '-'}"


def problems(
    *, kind: str, cadence: str, role: str, branch: str | None, managed: tuple[str, ...]
) -> dict[str, str]:
    """What is wrong with a subscription of ``kind`` for a reader of ``role`` managing
    ``managed``, by field (empty when it may be made)."""
    office = role in ("office", "admin")
    found: dict[str, str] = {}
    if kind in (BRANCH, HEADOFFICE) and cadence not in CADENCES:
        found["cadence"] = "Choose weekly or monthly."
    if kind == HEADOFFICE:
        if not office:
            found["username"] = "Only head office reads the head-office report."
        if branch:
            found["branch"] = "The head-office report covers every branch: leave the branch out."
    elif kind in (BRANCH, VISITS):
        if role == "shopper":
            found["username"] = "A shopper reads no branch reports."
        elif kind == VISITS and office:
            found["username"] = "Visit notices go to the branch's managers."
        elif branch and not office and branch not in managed:
            found["branch"] = "This manager does not manage that branch."
        elif not branch and office:
            found["branch"] = "Choose a branch: head office manages none of its own."
    return found
