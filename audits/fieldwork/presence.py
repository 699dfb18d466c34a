"""Evidence of presence, as pure functions: how far the phone was from the branch, whether the
form was filled too fast for its items, whether a photo was taken outside the visit.

The phone sends, with the shopper's consent, its location when the form opened and when it was
sent, and the seconds spent on the form and on each section (``schemas.PresenceIn``). Filing
computes the distances once and stores them beside what the phone sent; the review flags read
them (``rules.review_flags``). A location the phone did not give (refused, no fix in time) is
no flag: only a location that says "elsewhere" is.
"""

from __future__ import annotations

import datetime as dt
import math

import msgspec

from audits.fieldwork.schemas import Fix, PresenceIn, PresenceOut

EARTH_RADIUS_M = 6_371_008.8
"""The mean Earth radius (IUGG), in metres."""

FAR_FROM_BRANCH_M = 500.0
"""Farther than this from the branch, beyond the fix's own uncertainty, is a flag."""

MIN_SECONDS_PER_ITEM = 10
"""Reading an item and answering it honestly takes longer than this; less for every answered
item together is a flag (a form filled from memory, or not from a visit at all)."""

PHOTO_SLACK = dt.timedelta(hours=2)
"""A photo taken this long before the visit began, or after it ended, is a flag."""


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points (degrees), in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_to_branch(fix: Fix | None, branch: tuple[float | None, float | None]) -> float | None:
    """Metres from a phone's fix to the branch, rounded to the metre; None when either place is
    unknown."""
    lat, lon = branch
    if fix is None or lat is None or lon is None:
        return None
    return float(round(haversine_m(fix.latitude, fix.longitude, lat, lon)))


def stored_presence(
    sent: PresenceIn | None, branch: tuple[float | None, float | None]
) -> PresenceOut | None:
    """What filing stores of the phone's evidence: all of it, and each fix's distance to the
    branch, computed once."""
    if sent is None:
        return None
    return PresenceOut(
        **msgspec.structs.asdict(sent),
        opened_distance_m=distance_to_branch(sent.opened, branch),
        sent_distance_m=distance_to_branch(sent.sent, branch),
    )


def located_fixes(presence: PresenceOut | None) -> tuple[tuple[float, float | None], ...]:
    """(distance, uncertainty) of each fix whose distance is known, for the review flags."""
    if presence is None:
        return ()
    pairs = (
        (presence.opened_distance_m, presence.opened),
        (presence.sent_distance_m, presence.sent),
    )
    return tuple((d, fix.accuracy) for d, fix in pairs if d is not None and fix is not None)


def surely_far(distance_m: float | None, accuracy_m: float | None) -> bool:
    """Whether a fix ``distance_m`` from the branch is farther than ``FAR_FROM_BRANCH_M`` even
    when the phone's stated uncertainty is taken off."""
    if distance_m is None:
        return False
    return distance_m - (accuracy_m or 0.0) > FAR_FROM_BRANCH_M


def too_quick(form_seconds: int | None, answered_items: int) -> bool:
    """Whether the form was filled faster than ``MIN_SECONDS_PER_ITEM`` per answered item."""
    if form_seconds is None or answered_items == 0:
        return False
    return form_seconds < MIN_SECONDS_PER_ITEM * answered_items


def taken_outside_visit(
    taken: dt.datetime, visit_start: dt.datetime, visit_minutes: int | None
) -> bool:
    """Whether a photo's capture time (the camera's wall clock) lies outside the visit, with
    ``PHOTO_SLACK`` either side. Both times are wall clocks at the branch (naive)."""
    end = visit_start + dt.timedelta(minutes=visit_minutes or 0)
    return taken < visit_start - PHOTO_SLACK or taken > end + PHOTO_SLACK
