"""Numbers and dates as a reader of each language writes them (Babel's CLDR data).

Persian readers get Persian digits and the Solar Hijri date first, with the Gregorian date
beside it (plans, branches abroad and e-mails use it). Pure: no database, no web framework.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal

from .solar_hijri import MONTHS_FA, format_solar_hijri, persian_digits, to_solar_hijri


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


def format_moment(value: datetime, lang: str, weekday: bool = False) -> str:
    """A date with its time of day (24-hour where the language uses it)."""
    time = _digits(babel_time(value, "short", locale=lang), lang)
    comma = "،" if lang == "fa" else ","
    day = format_weekday_day(value, lang) if weekday else format_day(value, lang)
    return f"{day}{comma} {time}"


def format_weekday_day(value: date, lang: str) -> str:
    """A date after its weekday: ``Mon, Mar 2, 2026``, ``Δευ, 2 Μαρ 2026``, in Persian
    ``دوشنبه ۱۱ اسفند ۱۴۰۴ (…)``: where a report compares weekdays."""
    weekday = babel_date(value, "EEE", locale=lang)
    return (
        f"{weekday} {format_day(value, lang)}"
        if lang == "fa"
        else f"{weekday}, {format_day(value, lang)}"
    )


def format_month(value: date, lang: str) -> str:
    """A month as a chart's axis names it: ``Jan 2026``, ``Ιαν 2026``, ``sty 2026``; in Persian
    the Solar Hijri month of that day, ``دی ۱۴۰۴``."""
    if lang == "fa":
        year, month, _ = to_solar_hijri(value)
        return persian_digits(f"{MONTHS_FA[month - 1]} {year}")
    return babel_date(value, "LLL y", locale=lang)


def month_starts(first: date, last: date, lang: str) -> list[date]:
    """The days from ``first`` to ``last`` on which a month begins in the reader's calendar
    (the 1st; in Persian the 1st of a Solar Hijri month)."""
    if lang != "fa":
        starts, day = [], date(first.year, first.month, 1)
        while day <= last:
            if day >= first:
                starts.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return starts
    span = (last - first).days
    days = (first + timedelta(days=n) for n in range(span + 1))
    return [day for day in days if to_solar_hijri(day)[2] == 1]


def date_ticks(days: list[date], lang: str, most: int = 7) -> tuple[list[str], list[str]]:
    """Tick places (ISO days, what the chart's x values are) and their labels for a date axis
    in the reader's calendar and words: month starts when the days span two or more, else
    the days themselves; at most ``most`` of them."""
    if not days:
        return [], []
    first, last = min(days), max(days)
    starts = month_starts(first, last, lang)
    if len(starts) >= 2:
        picked, label = starts, format_month
    else:
        picked, label = sorted(set(days)), _short_day
    step = -(-len(picked) // most)  # ceiling division
    picked = picked[::step]
    return [day.isoformat() for day in picked], [label(day, lang) for day in picked]


def _short_day(value: date, lang: str) -> str:
    if lang == "fa":
        _, month, dom = to_solar_hijri(value)
        return persian_digits(f"{dom} {MONTHS_FA[month - 1]}")
    return babel_date(value, "d MMM", locale=lang)
