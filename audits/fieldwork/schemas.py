"""Audits at the boundary: what a client sends and what it reads back (the same shape)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from audits.boundary.bounds import Code, Description, Id, ItemKey, Minutes, WithinCalendar


class AuditFields(msgspec.Struct, kw_only=True):
    """What a shopper sends about a visit, and reads back (see ``AuditCreate``)."""

    id: uuid.UUID
    branch: Code
    checklist: Code
    visited_at: dt.datetime
    channel: Code = "in_person"
    staff: Code | None = None
    staff_description: Description = ""
    answers: dict[ItemKey, Any] = {}
    comments: dict[ItemKey, str] = {}  # checked item by item in filing
    visit: Id | None = None
    visit_minutes: Minutes | None = None
    version: Id | None = None


class AuditCreate(AuditFields, WithinCalendar, kw_only=True):
    """A shopper's audit. ``id`` is made on the phone: sending it again never makes a second
    audit. Fields an ``AuditOut`` adds are ignored, so what one reads can be sent back.
    ``visited_at`` lies within the calendar Evenly keeps (``audits.boundary.bounds``)."""


class FailedItemOut(msgspec.Struct):
    """A failed item; ``reason`` is English, ``code`` and ``params`` the same facts for a
    reader's language (``reports.reasons``)."""

    key: str
    section: str
    critical: bool
    reason: str
    code: str = ""
    params: dict[str, Any] = {}


class AuditOut(AuditFields, kw_only=True):
    """An audit as the caller may see it, in ``AuditCreate``'s shape. Branch managers read it
    through ``audits.fieldwork.disclosure``: every field they may not see (the shopper, the
    submission time, the flags, ...) is at its default, and ``visited_at`` is the local date."""

    status: str
    score: float | None
    raw_score: float | None
    critical_fail: bool
    shift: str | None
    submitted_at: dt.datetime | None = None
    auditor: str | None = None
    failed: list[FailedItemOut] = []
    section_scores: dict[str, float | None] = {}
    flags: list[str] = []
    review_comment: str = ""


class FieldError(msgspec.Struct):
    """One problem with one field of a request (``answers.wait_minutes``, ``branch``, ...)."""

    key: str
    message: str


class AuditRejected(Exception):
    """The audit cannot be filed as sent; nothing was written."""

    def __init__(self, errors: list[FieldError], status: int = 422) -> None:
        self.errors = errors
        self.status = status
        super().__init__(f"{errors[0].key}: {errors[0].message}" if errors else "rejected")


class AuditConflict(Exception):
    """The id belongs to an audit the caller may not resubmit."""


class AuditNotFound(Exception):
    pass


class AuditForbidden(Exception):
    """The caller's role may not do this to audits (a manager filing one); nothing was
    written."""


class DraftOut(msgspec.Struct, frozen=True, kw_only=True):
    """A form its shopper began and has not filed: enough to open it again where it was."""

    id: uuid.UUID
    branch: str
    checklist: str
    visit: int | None
    updated_at: dt.datetime
