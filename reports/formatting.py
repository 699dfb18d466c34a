"""Numbers and dates as a reader of each language writes them (Babel's CLDR data).

Persian readers get Persian digits and the Solar Hijri date first, with the Gregorian date
beside it (plans, branches abroad and e-mails use it). Pure: no database, no web framework.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_timezone_location
from babel.numbers import format_decimal

from .solar_hijri import MONTHS_FA, format_solar_hijri, persian_digits, to_solar_hijri

MINUS = "\u2212"
WORD_JOINER = "\u2060"  # no line break here, and nothing shown
LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"


def _digits(text: str, lang: str) -> str:
    return persian_digits(text) if lang == "fa" else text


def signed(magnitude: str, negative: bool, lang: str) -> str:
    """A written number with its sign, kept whole: a true minus sign (which Unicode's line
    breaking never parts from a following digit), and in right-to-left text joined to the
    digits and isolated left-to-right, so that ``−۸٫۵`` neither splits nor has its sign thrown
    to the other end ("۸٫۵−")."""
    if not negative:
        return magnitude
    if lang == "fa":
        return LEFT_TO_RIGHT_ISOLATE + MINUS + WORD_JOINER + magnitude + POP_ISOLATE
    return MINUS + magnitude


def isolated(text: str, lang: str) -> str:
    """A code or Latin name (``B1``, ``B1-S2``) inside right-to-left text, isolated
    left-to-right, so that a number or sign beside it never joins it or reorders it; other
    languages' text as it is."""
    if lang == "fa" and text:
        return LEFT_TO_RIGHT_ISOLATE + text + POP_ISOLATE
    return text


def number_range(low: str, high: str) -> str:
    """Two written numbers as a range, ``71.2 – 84.0``; no-break spaces around the dash, so a
    range never breaks over two lines."""
    return f"{low}\u00a0–\u00a0{high}"


def format_number(value: float | int | None, lang: str, decimals: int | None = 0) -> str:
    """``1,234.5`` / ``1.234,5`` / ``1 234,5`` / ``۱٬۲۳۴٫۵``; ``None`` is an empty string.
    ``decimals=None`` writes the decimals the number has, up to two (a weight of ×1.5)."""
    if value is None:
        return ""
    if decimals is None:
        pattern = "#,##0.##"
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    written = format_decimal(abs(value), format=pattern, locale=lang, numbering_system="default")
    negative = value < 0 and written.strip("0.,\u066b\u066c\u00a0\u202f") != ""
    return signed(_digits(written, lang), negative, lang)


def format_percent(share: float | None, lang: str) -> str:
    """A share (0.59) as a whole percentage: ``59%``, ``59 %``, ``۵۹٪``."""
    if share is None:
        return ""
    return format_number(round(100 * share), lang) + percent_sign(lang)


def percent_sign(lang: str) -> str:
    """The percent sign as the language writes it after a number: Greek and Polish set it
    apart by a no-break space (CLDR's ``#,##0 %``), Persian uses its own sign."""
    return {"fa": "٪", "el": "\u00a0%", "pl": "\u00a0%"}.get(lang, "%")


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


UTC_NAMES = {
    "en": "UTC",
    "el": "Συντονισμένη Παγκόσμια Ώρα",
    "pl": "czas uniwersalny",
    "fa": "زمان جهانی",
}


def format_zone(zone: str, lang: str) -> str:
    """A time zone as its reader names it: the city (``Αθήνα``, ``Warszawa``, ``آتن``) rather
    than the identifier ``Europe/Athens``; UTC by its name in the reader's language."""
    try:
        if zone in ("UTC", "Etc/UTC", "GMT"):  # Babel names no city for it
            return UTC_NAMES.get(lang, "UTC")
        return get_timezone_location(ZoneInfo(zone), locale=lang, return_city=True)
    except (LookupError, ValueError, ZoneInfoNotFoundError):
        return zone
