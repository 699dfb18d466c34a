"""Audits at the boundary: what a client sends and what it reads back (the same shape)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec

from audits.boundary.bounds import Code, Description, Id, ItemKey, Minutes, WithinCalendar

Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90, description="Degrees north (WGS 84).")]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180, description="Degrees east (WGS 84).")]
Metres = Annotated[float, msgspec.Meta(ge=0, le=100_000, description="The fix's uncertainty.")]
Seconds = Annotated[int, msgspec.Meta(ge=0, le=24 * 3600, description="Seconds, at most a day.")]
SectionSeconds = Annotated[dict[ItemKey, Seconds], msgspec.Meta(max_length=200)]
MAX_ITEM_PHOTOS = 5
"""Photos one item may carry besides its answer (a photo item's answer is its photo)."""
ItemPhotos = Annotated[
    dict[ItemKey, Annotated[list[uuid.UUID], msgspec.Meta(max_length=MAX_ITEM_PHOTOS)]],
    msgspec.Meta(max_length=200),
]


class Fix(msgspec.Struct, kw_only=True):
    """Where the phone was (``navigator.geolocation``), and how sure it was, in metres."""

    latitude: Latitude
    longitude: Longitude
    accuracy: Metres | None = None


class PresenceIn(msgspec.Struct, kw_only=True):
    """Evidence of presence, sent with the shopper's consent (``fieldwork.presence``); every
    part optional: a location refused or not found in time is simply absent. ``form_seconds``
    is the time the form was open in front of the shopper, ``section_seconds`` the same by
    checklist section key."""

    opened: Fix | None = None
    sent: Fix | None = None
    form_seconds: Seconds | None = None
    section_seconds: SectionSeconds = {}


class PresenceOut(PresenceIn, kw_only=True):
    """What filing stored: what the phone sent, and each fix's distance to the branch (metres;
    None when the branch's coordinates or the fix are unknown). Head office's eyes only."""

    opened_distance_m: float | None = None
    sent_distance_m: float | None = None


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
    # Photos attached to any item (``POST /api/evidence`` ids, uploaded with that item's key),
    # each item's in the order taken; checked and linked to the audit in filing.
    photos: ItemPhotos = {}
    visit: Id | None = None
    visit_minutes: Minutes | None = None
    version: Id | None = None
    evidence: PresenceIn | None = None


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
    evidence: PresenceOut | None = None


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
