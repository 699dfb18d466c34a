"""Visits at the boundary: what a client sends (``VisitCreate``), asks for (``VisitFilters``)
and reads back (``VisitOut``), and the errors the room raises, whose messages are for the user."""

from __future__ import annotations

import datetime as dt

import msgspec

from audits.boundary.bounds import Code, Name, WithinCalendar
from audits.tables import Channel


class VisitError(Exception):
    """A visit could not be planned or changed; the message is for the user."""


class VisitNotFound(VisitError):
    pass


class VisitTaken(VisitError):
    """Claimed by someone else first, or no longer open."""


class VisitNotAllowed(VisitError):
    """Taking it would break the planning rules (days apart at one branch, visits a day)."""


class VisitOut(msgspec.Struct, frozen=True):
    """A visit as the shopper or head office sees it; ``shopper`` None means open to claim.
    ``state`` is ``upcoming``, ``due``, ``overdue``, ``done`` or ``cancelled``, on the branch's
    local date."""

    id: int
    branch: str
    branch_name: str
    channel: str
    checklist: str
    window_start: dt.date
    window_end: dt.date
    shift: str | None
    shopper: str | None
    status: str
    state: str
    plan: str = ""


class VisitCreate(WithinCalendar):
    """A visit planned by hand; ``window_end`` defaults to ``window_start``, ``shopper`` None
    leaves it open for shoppers to claim."""

    branch: Code
    checklist: Code
    window_start: dt.date
    window_end: dt.date | None = None
    shift: Name | None = None
    shopper: Name | None = None
    channel: Code = Channel.in_person.value


class VisitFilters(msgspec.Struct, frozen=True):
    """Which visits to list; every field narrows (``open``: only those without a shopper)."""

    shopper_id: int | None = None
    open: bool = False
    branch: str | None = None
    shopper: str | None = None
    state: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    plan: str | None = None
