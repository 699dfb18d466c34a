"""audits.fieldwork.presence and the review flags it feeds: distance to the branch, a form filled
too fast, a photo taken outside the visit; and the capture time read from a photo's EXIF."""

import datetime as dt
import io
import math

import msgspec
import pytest
from PIL import Image

from audits.fieldwork.photos import capture_time, clean_photo
from audits.fieldwork.presence import (
    EARTH_RADIUS_M,
    haversine_m,
    located_fixes,
    stored_presence,
)
from audits.fieldwork.rules import FlagFacts, review_flags
from audits.fieldwork.schemas import AuditCreate, Fix, PresenceIn

SYNTAGMA = (37.975527, 23.734840)
ACROPOLIS = (37.971532, 23.725749)
VISIT = dt.datetime(2026, 3, 10, 18, 30)


def test_haversine_one_degree_of_latitude_is_a_360th_of_the_circumference():
    assert haversine_m(0, 0, 1, 0) == pytest.approx(2 * math.pi * EARTH_RADIUS_M / 360)


@pytest.mark.parametrize(
    ("a", "b", "metres"),
    [
        (SYNTAGMA, SYNTAGMA, 0.0),
        (SYNTAGMA, ACROPOLIS, 906.0),  # across central Athens, as a map measures it
        ((0.0, 179.9), (0.0, -179.9), 22_239.0),  # across the date line, not round the world
        ((90.0, 0.0), (-90.0, 0.0), math.pi * EARTH_RADIUS_M),
    ],
)
def test_haversine_known_distances(a, b, metres):
    assert haversine_m(*a, *b) == pytest.approx(metres, rel=0.01, abs=1)


def _presence(opened=None, sent=None, seconds=None, branch=SYNTAGMA):
    def fix(place, accuracy=20.0):
        return (
            None
            if place is None
            else {"latitude": place[0], "longitude": place[1], "accuracy": accuracy}
        )

    sent_in = msgspec.convert(
        {"opened": fix(opened), "sent": fix(sent), "form_seconds": seconds}, PresenceIn
    )
    return stored_presence(sent_in, branch)


def _flags(presence=None, answered=10, photos=(), minutes=20) -> list[str]:
    facts = FlagFacts(
        local_date=VISIT.date(),
        shift=None,
        score=80.0,
        visit_minutes=minutes,
        fixes=located_fixes(presence),
        form_seconds=presence.form_seconds if presence else None,
        answered_items=answered,
        visit_start=VISIT,
        photo_times=tuple(photos),
    )
    return review_flags(facts)


def test_stored_presence_computes_each_fix_distance_once():
    presence = _presence(SYNTAGMA, ACROPOLIS, 900)
    assert presence.opened_distance_m == 0
    assert 890 < presence.sent_distance_m < 920


def test_branch_without_coordinates_stores_the_fixes_and_no_distance():
    presence = _presence(SYNTAGMA, SYNTAGMA, 900, branch=(None, None))
    assert presence.opened is not None and presence.opened_distance_m is None
    assert "far_from_branch" not in _flags(presence)


@pytest.mark.parametrize(
    ("opened", "sent", "flagged"),
    [
        (ACROPOLIS, ACROPOLIS, True),  # 900 m away both times
        (SYNTAGMA, ACROPOLIS, False),  # at the branch when it opened, sent on the way home
        (None, ACROPOLIS, True),  # only one fix, and it is far
        (None, None, False),  # refused or no fix: no flag
        ((37.977, 23.7349), (37.977, 23.7349), False),  # 160 m: within the branch's reach
    ],
)
def test_far_from_branch_only_when_every_known_fix_is_far(opened, sent, flagged):
    assert ("far_from_branch" in _flags(_presence(opened, sent, 900))) is flagged


def test_far_from_branch_allows_for_the_fixes_stated_uncertainty():
    sent_in = PresenceIn(opened=Fix(latitude=ACROPOLIS[0], longitude=ACROPOLIS[1], accuracy=600))
    assert "far_from_branch" not in _flags(stored_presence(sent_in, SYNTAGMA))


@pytest.mark.parametrize(
    ("seconds", "answered", "flagged"),
    [(120, 20, True), (199, 20, True), (200, 20, False), (120, 5, False), (None, 20, False)],
)
def test_form_too_quick_is_relative_to_the_answered_items(seconds, answered, flagged):
    presence = _presence(SYNTAGMA, SYNTAGMA, seconds)
    assert ("form_too_quick" in _flags(presence, answered=answered)) is flagged


@pytest.mark.parametrize(
    ("taken", "flagged"),
    [
        (VISIT + dt.timedelta(minutes=10), False),
        (VISIT - dt.timedelta(hours=1), False),
        (VISIT + dt.timedelta(minutes=20, hours=2, seconds=1), True),
        (VISIT - dt.timedelta(days=30), True),  # last month's photo
    ],
)
def test_photo_taken_outside_the_visit(taken, flagged):
    assert ("photo_taken_outside_visit" in _flags(photos=[taken])) is flagged


def _jpeg(taken: str | None) -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "PhoneMaker X200"
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken
    out = io.BytesIO()
    Image.new("RGB", (16, 8), "teal").save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026:03:10 18:41:07", dt.datetime(2026, 3, 10, 18, 41, 7)),
        ("0000:00:00 00:00:00", None),  # a camera whose clock was never set
        ("yesterday", None),
        (None, None),
    ],
)
def test_clean_photo_keeps_the_capture_time_and_drops_the_metadata(value, expected):
    photo = clean_photo(_jpeg(value))
    assert photo.taken_at == expected
    assert b"PhoneMaker" not in photo.data
    assert capture_time(Image.open(io.BytesIO(photo.data))) is None


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        ({"opened": {"latitude": 91, "longitude": 0}}, "evidence"),
        ({"sent": {"latitude": 0, "longitude": -181}}, "evidence"),
        ({"opened": {"latitude": 0, "longitude": 0, "accuracy": -1}}, "evidence"),
        ({"form_seconds": -5}, "evidence"),
        ({"form_seconds": 10**9}, "evidence"),
        ({"section_seconds": {"greeting": "long"}}, "evidence"),
        ({"opened": "here"}, "evidence"),
    ],
)
def test_evidence_with_nonsense_is_refused_naming_the_field(evidence, field):
    body = {
        "id": "6f1c1d5e-2f8a-4c4e-9a57-0a1b2c3d4e5f",
        "branch": "B1",
        "checklist": "c",
        "visited_at": "2026-03-10T18:30:00",
        "evidence": evidence,
    }
    with pytest.raises(msgspec.ValidationError, match=rf"\$\.{field}"):
        msgspec.convert(body, AuditCreate)
