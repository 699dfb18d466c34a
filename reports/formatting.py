"""Numbers and dates as a reader of each language writes them (Babel's CLDR data).

Persian readers get Persian digits and the Solar Hijri date first, with the Gregorian date
beside it (plans, branches abroad and e-mails use it). Pure: no database, no web framework.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal

from .solar_hijri import format_solar_hijri, persian_digits


def _digits(text: str, lang: str) -> str:
    return persian_digits(text) if lang == "fa" else text


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """``1,234.5`` / ``1.234,5`` / ``1 234,5`` / ``۱٬۲۳۴٫۵``; ``None`` is an empty string."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _digits(
        format_decimal(value, format=pattern, locale=lang, numbering_system="default"), lang
    )


def format_day(value: date, lang: str) -> str:
    """A calendar date: ``Mar 20, 2024``, ``20 Μαρ 2024``, ``20 mar 2024``, and in Persian
    ``۱ فروردین ۱۴۰۳ (۲۰ مارس ۲۰۲۴)``."""
    if isinstance(value, datetime):
        value = value.date()
    gregorian = babel_date(value, "medium", locale=lang)
    if lang == "fa":
        return f"{format_solar_hijri(value)} ({persian_digits(gregorian)})"
    return gregorian


def format_moment(value: datetime, lang: str) -> str:
    """A date with its time of day (24-hour where the language uses it)."""
    time = _digits(babel_time(value, "short", locale=lang), lang)
    comma = "،" if lang == "fa" else ","
    return f"{format_day(value, lang)}{comma} {time}"


def format_period(start: date, end: date, lang: str) -> str:
    """A report's period as its reader names it: a whole calendar month by its name
    (``November 2026``, ``Νοέμβριος 2026``), anything else, and every period for a Persian
    reader, as its first and last day in the reader's calendar."""
    whole_month = (
        start.day == 1
        and (end + timedelta(days=1)).day == 1
        and (start.year, start.month) == (end.year, end.month)
    )
    if whole_month and lang != "fa":
        return babel_date(start, "LLLL y", locale=lang)
    return f"{format_day(start, lang)} – {format_day(end, lang)}"
