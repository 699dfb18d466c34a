"""Why an item failed, written from the stored code and facts in each reader's language."""

import datetime as dt

import pytest

from reports.formatting import date_ticks, format_weekday_day
from reports.reasons import reason_text
from web.i18n import gettext_for

NUMBER = {"value": 7, "full_at": 3, "zero_at": 10, "unit": "min", "unit_el": "λεπτά"}
CHOICE = {"value": "partly", "label": "Partly", "label_pl": "Częściowo", "points": 0.5, "max": 1}
SCALE = {"value": 2, "min": 1, "max": 5, "pass_point": 4}


@pytest.mark.parametrize(
    ("code", "params", "lang", "expected"),
    [
        ("answered_no", {"answer": "no"}, "en", "answered no"),
        ("answered_no", {"answer": "no"}, "el", "απάντηση όχι"),
        ("number_off_target", NUMBER, "en", "7 min, target ≤ 3"),
        ("number_off_target", NUMBER, "el", "7 λεπτά, στόχος ≤ 3"),
        ("number_off_target", NUMBER, "fa", "۷ min، هدف ≤ ۳"),  # no Persian unit: the stored one
        ("number_off_target", {**NUMBER, "full_at": 10, "zero_at": 3}, "pl", "7 min, cel ≥ 10"),
        ("choice_below", CHOICE, "pl", "odpowiedź „Częściowo” (0,5 z 1)"),
        ("scale_below", SCALE, "fa", "۲ در مقیاس ۱–۵ (حد قبولی ۴)"),
        ("unknown_code", {}, "el", ""),
    ],
)
def test_reason_text_in_each_language(code, params, lang, expected):
    assert reason_text(code, params, lang, gettext_for(lang)) == expected


def test_date_ticks_name_months_in_the_readers_calendar():
    days = [dt.date(2025, 11, 3), dt.date(2026, 1, 20), dt.date(2026, 3, 1)]
    assert date_ticks(days, "el")[1] == ["Δεκ 2025", "Ιαν 2026", "Φεβ 2026", "Μάρ 2026"]
    places, labels = date_ticks(days, "fa")
    assert places[0] == "2025-11-22" and labels[0] == "آذر ۱۴۰۴"  # 1 Azar 1404
    assert len(date_ticks([dt.date(2024, 1, 1), dt.date(2026, 12, 31)], "en")[0]) <= 7


def test_weekday_day_in_persian_and_polish():
    assert format_weekday_day(dt.date(2026, 3, 2), "fa").startswith("دوشنبه ۱۱ اسفند ۱۴۰۴")
    assert format_weekday_day(dt.date(2026, 3, 2), "pl") == "pon., 2 mar 2026"
