"""How much a submitted audit deserves a reviewer's look first (pure).

Each review flag carries points by how strongly it suggests a visit that did not happen as
filed (a photo from another audit most, a shift other than planned least); a failed critical
item adds a little (a wrong publication there costs most); the shopper's track record adds the
share of their reviewed audits that head office returned, smoothed towards a prior of one in
five so that a new shopper is neither trusted nor suspected. A flag a reviewer has checked and
dismissed, with a reason in the trail, no longer counts. The reasons come back with the points,
so the queue can say why an audit is where it is.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

FLAG_POINTS = {
    "photo_reused": 4.0,
    "far_from_branch": 4.0,
    "photo_taken_outside_visit": 3.0,
    "short_visit": 2.5,
    "form_too_quick": 2.5,
    "outside_window": 2.0,
    "unusual_for_shopper": 1.5,
    "other_shift": 1.0,
}
UNKNOWN_FLAG_POINTS = 1.0
CRITICAL_POINTS = 1.0
RECORD_POINTS = 5.0  # a shopper whose every audit came back: 5 points
PRIOR_RETURNED, PRIOR_REVIEWED = 1, 5  # the smoothing: as if 1 of 5 audits came back


class TrackRecord(msgspec.Struct, frozen=True):
    """A shopper's reviewed audits so far, and how many of them head office returned."""

    reviewed: int = 0
    returned: int = 0

    @property
    def returned_share(self) -> float:
        return (self.returned + PRIOR_RETURNED) / (self.reviewed + PRIOR_REVIEWED)


class RiskReason(msgspec.Struct, frozen=True):
    """One part of an audit's risk: a flag code, ``critical_fail`` or ``track_record``."""

    code: str
    points: float


class Risk(msgspec.Struct, frozen=True):
    points: float
    reasons: list[RiskReason]


def visit_risk(
    flags: Iterable[str],
    *,
    critical_fail: bool,
    record: TrackRecord,
    dismissed: Iterable[str] = (),
) -> Risk:
    """The audit's risk points and their reasons, the largest first."""
    gone = set(dismissed)
    reasons = [
        RiskReason(code, FLAG_POINTS.get(code, UNKNOWN_FLAG_POINTS))
        for code in dict.fromkeys(flags)
        if code not in gone
    ]
    if critical_fail:
        reasons.append(RiskReason("critical_fail", CRITICAL_POINTS))
    reasons.append(RiskReason("track_record", round(RECORD_POINTS * record.returned_share, 2)))
    reasons.sort(key=lambda r: -r.points)
    return Risk(round(sum(r.points for r in reasons), 2), reasons)
