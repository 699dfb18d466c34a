"""The review queue's risk: what each flag, a failed critical item and a track record weigh."""

import pytest

from audits.fieldwork.risk import FLAG_POINTS, TrackRecord, visit_risk
from audits.fieldwork.rules import FLAG_TEXT

NEW = TrackRecord()


def test_every_review_flag_has_points_the_reused_photo_most():
    assert set(FLAG_POINTS) == set(FLAG_TEXT)
    assert max(FLAG_POINTS, key=FLAG_POINTS.__getitem__) == "photo_reused"


def test_fabricated_visit_outranks_any_single_flag_and_says_why():
    fabricated = visit_risk(["short_visit", "photo_reused"], critical_fail=False, record=NEW)
    assert [r.code for r in fabricated.reasons] == ["photo_reused", "short_visit", "track_record"]
    for flag in FLAG_POINTS:
        single = visit_risk([flag], critical_fail=True, record=NEW)
        assert fabricated.points > single.points


@pytest.mark.parametrize(
    ("record", "points"),
    [
        (TrackRecord(), 1.0),
        (TrackRecord(5, 0), 0.5),
        (TrackRecord(5, 5), 3.0),
        (TrackRecord(95, 0), 0.05),
    ],
)
def test_track_record_is_the_smoothed_returned_share(record, points):
    risk = visit_risk([], critical_fail=False, record=record)
    assert risk.points == pytest.approx(points)


def test_dismissed_and_repeated_flags_count_once_or_not_at_all():
    risk = visit_risk(
        ["photo_reused", "photo_reused", "other_shift"],
        critical_fail=True,
        record=NEW,
        dismissed=["photo_reused"],
    )
    assert {r.code: r.points for r in risk.reasons} == {
        "other_shift": 1.0,
        "critical_fail": 1.0,
        "track_record": 1.0,
    }
    assert risk.points == 3.0


def test_a_flag_from_a_newer_rule_still_counts():
    assert visit_risk(["odd"], critical_fail=False, record=NEW).points == 2.0
