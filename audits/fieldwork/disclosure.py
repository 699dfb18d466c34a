"""What each role may learn about a visit, decided once (pure).

A branch manager must never learn who audited a visit: not the shopper's name, and nothing
from which it can be worked out. So a manager's view of a visit is built from a list of the
facts a manager *may* see, not from a list of the ones to hide: a fact added to an audit later
stays with head office until someone decides here that a manager may have it. Head office,
admins and the shopper who filed the audit see every fact.

Hidden from managers, and why: the shopper (name, id), anything adjusted for or derived from
the shopper's severity, the submission time, the visit's duration and its time of day (a
shopper's habits), the visit plan, head office's flags and comments, calibration pairs (a
second shopper's audit of the same visit). The visit's local date and shift stay.

Every reader of audits applies ``disclose`` (the JSON API, the audit pages, the reports'
rows); aggregates over a branch (its fair score) are fine, per-visit values are not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import msgspec

from audits.fieldwork.rules import local_time
from audits.org.users import CurrentUser
from audits.tables import Role

MANAGER_VISIT_FACTS = frozenset(
    {
        # where and when, to the day
        "id",
        "branch",
        "branch_name",
        "region",
        "visited_at",  # AuditOut: the local date only (see DATE_ONLY)
        "local",  # AuditRow: the same
        "shift",
        "channel",
        # whom the shopper met
        "staff",
        "staff_label",
        "staff_description",
        # what the shopper found, as scored (never adjusted for the shopper)
        "checklist",
        "version",
        "status",
        "answers",
        "comments",
        "photos",  # attached to items: the pictures, none of their metadata
        "failed",
        "score",
        "raw_score",
        "critical_fail",
        "section_scores",
        "sections",
        "items",
        "item_scores",
    }
)
"""Every fact about one visit that a branch manager may read."""

DATE_ONLY = frozenset({"visited_at", "local"})
"""Times a manager reads as the local date alone (local midnight)."""

ACTION_PUBLICATION_TIMES = ("opened_at", "closed_at")
"""A corrective action's times that the system stamps when head office publishes an audit (the
one that opened it; the next visit's, that closed it). Head office may publish each audit soon
after it is filed, so with the visit's date such a time gives the shopper's filing delay: a
manager reads them, and the system's own steps in the history, as the local date (``local_day``,
the rule of ``DATE_ONLY``)."""

S = TypeVar("S", bound=msgspec.Struct)


def sees_shopper(user: CurrentUser) -> bool:
    """Whether ``user`` may learn who audited a visit, or anything that says it."""
    return user.role is not Role.manager


def disclose(visit: S, user: CurrentUser, *, zone: str = "UTC") -> S:
    """``visit`` (an ``AuditOut``, a report row, ...) as ``user`` may read it: for a manager
    every field outside ``MANAGER_VISIT_FACTS`` is put back to its default and times become
    the local date in ``zone``. A hidden field without a default is a mistake in the Struct:
    it raises rather than leak."""
    if sees_shopper(user):
        return visit
    changes: dict[str, Any] = {}
    for field in msgspec.structs.fields(visit):
        if field.name in DATE_ONLY:
            changes[field.name] = local_day(getattr(visit, field.name), zone)
        elif field.name not in MANAGER_VISIT_FACTS:
            changes[field.name] = _default(field)
    return msgspec.structs.replace(visit, **changes)


def disclose_action(action: S, user: CurrentUser, *, zone: str) -> S:
    """An action (``ActionOut``) as ``user`` may read it: for a manager its
    ``ACTION_PUBLICATION_TIMES`` become the local date in the branch's ``zone``."""
    if sees_shopper(user):
        return action
    days = {
        name: local_day(getattr(action, name), zone)
        for name in ACTION_PUBLICATION_TIMES
        if getattr(action, name) is not None
    }
    return msgspec.structs.replace(action, **days)


def disclose_action_step(step: S, user: CurrentUser, *, zone: str) -> S:
    """A step of an action's history (``ActionEventOut``): one the system took (no ``user``:
    the opening, a visit's re-check) happened at a publication, so a manager reads its
    local date alone; people's steps keep their time."""
    if exact_step_time(step, user):
        return step
    at: dt.datetime = getattr(step, "at")  # noqa: B009 - any Struct with an ``at`` time
    return msgspec.structs.replace(step, at=local_day(at, zone))


def exact_step_time(step: Any, user: CurrentUser) -> bool:
    """Whether a page prints a step's time of day to ``user`` (see ``disclose_action_step``)."""
    return sees_shopper(user) or step.user is not None


def local_day(moment: dt.datetime, zone: str) -> dt.datetime:
    """Midnight of ``moment``'s date on the branch's clock (an aware time kept aware)."""
    local = local_time(moment, zone) if moment.tzinfo is not None else moment
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def visit_time_format(user: CurrentUser) -> str:
    """How pages print a visit's local time for ``user``: the date alone for a manager."""
    return "%Y-%m-%d %H:%M" if sees_shopper(user) else "%Y-%m-%d"


def visit_order_key(visit: Any) -> tuple:
    """How a manager's lists order visits: by local date, then by id (random), so the order
    within a day says nothing of the time or of who filed first."""
    moment = getattr(visit, "visited_at", None) or visit.local
    return (moment.date(), str(visit.id))


def _default(field: msgspec.structs.FieldInfo) -> Any:
    if field.default is not msgspec.NODEFAULT:
        return field.default
    if field.default_factory is not msgspec.NODEFAULT:
        return field.default_factory()
    raise TypeError(f"{field.name!r} is hidden from managers but has no default to show instead")
