"""Numbers and dates as each language writes them."""

import datetime as dt

import pytest

from reports.formatting import format_day, format_moment, format_number


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "1,234.5"), ("el", "1.234,5"), ("pl", "1 234,5"), ("fa", "۱٬۲۳۴٫۵")],
)
def test_format_number_uses_the_locale_separators_and_digits(lang, expected):
    assert format_number(1234.5, lang, 1).replace("\xa0", " ") == expected


def test_format_number_rounds_to_whole_numbers_by_default():
    assert format_number(87.4, "en") == "87"
    assert format_number(None, "en") == ""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Mar 20, 2024"),
        ("el", "20 Μαρ 2024"),
        ("pl", "20 mar 2024"),
        ("fa", "۱ فروردین ۱۴۰۳ (۲۰ مارس ۲۰۲۴)"),
    ],
)
def test_format_day_in_each_language(lang, expected):
    assert format_day(dt.date(2024, 3, 20), lang) == expected


def test_format_moment_persian_has_the_solar_date_and_persian_time():
    text = format_moment(dt.datetime(2024, 3, 20, 14, 5), "fa")
    assert text.startswith("۱ فروردین ۱۴۰۳") and text.endswith("۱۴:۰۵")


def test_format_moment_polish_uses_24_hours():
    assert format_moment(dt.datetime(2024, 3, 20, 14, 5), "pl") == "20 mar 2024, 14:05"
