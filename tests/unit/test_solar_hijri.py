"""The Solar Hijri calendar against known dates and against the jdatetime package."""

import datetime as dt

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.solar_hijri import format_solar_hijri, is_leap_year, persian_digits, to_solar_hijri


@pytest.mark.parametrize(
    ("gregorian", "solar"),
    [
        (dt.date(2024, 3, 20), (1403, 1, 1)),  # Nowruz 1403
        (dt.date(2025, 3, 20), (1403, 12, 30)),  # 1403 is a leap year: Esfand has 30 days
        (dt.date(2025, 3, 21), (1404, 1, 1)),  # Nowruz 1404
        (dt.date(2023, 3, 21), (1402, 1, 1)),
        (dt.date(2024, 3, 19), (1402, 12, 29)),  # 1402 is not leap
        (dt.date(1979, 2, 11), (1357, 11, 22)),  # 22 Bahman 1357
        (dt.date(2024, 9, 21), (1403, 6, 31)),  # the last 31-day month ends
        (dt.date(2024, 9, 22), (1403, 7, 1)),  # Mehr
        (dt.date(2026, 12, 1), (1405, 9, 10)),
    ],
)
def test_to_solar_hijri_known_dates(gregorian, solar):
    assert to_solar_hijri(gregorian) == solar


# From 1635 AP (March 2256) on the two rules part ways: Borkowski's break years and
# jdatetime's arithmetic disagree on leap years that far ahead (no one can say yet which the
# equinox will follow). Every day between 1800 and then agrees (checked one by one).
@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2256, 3, 19)))
def test_to_solar_hijri_agrees_with_jdatetime(day):
    reference = jdatetime.date.fromgregorian(date=day)
    assert to_solar_hijri(day) == (reference.year, reference.month, reference.day)


def test_to_solar_hijri_consecutive_days_never_skip_or_repeat():
    day, previous = dt.date(2020, 1, 1), to_solar_hijri(dt.date(2019, 12, 31))
    while day < dt.date(2030, 1, 1):
        current = to_solar_hijri(day)
        assert current > previous
        assert current[2] == 1 or current == (previous[0], previous[1], previous[2] + 1)
        previous, day = current, day + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("year", "leap"), [(1399, True), (1400, False), (1403, True), (1404, False)]
)
def test_is_leap_year_follows_the_calendar(year, leap):
    assert is_leap_year(year) is leap


def test_format_solar_hijri_is_in_persian_digits_and_month_names():
    assert format_solar_hijri(dt.date(2024, 3, 20)) == "۱ فروردین ۱۴۰۳"
    assert format_solar_hijri(dt.date(2025, 3, 20)) == "۳۰ اسفند ۱۴۰۳"


def test_persian_digits_leave_other_characters():
    assert persian_digits("B12 · 07:30") == "B۱۲ · ۰۷:۳۰"


def test_to_solar_hijri_outside_the_calendar_is_refused():
    with pytest.raises(ValueError, match="outside"):
        to_solar_hijri(dt.date(4000, 1, 1))
