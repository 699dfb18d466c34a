"""The Solar Hijri (Jalali) calendar Persian readers expect, from the Gregorian one.

Pure arithmetic after Borkowski's algorithm (as in the jalaali-js library): the year starts
at Nowruz, the March equinox, and leap years follow the 33-year cycles between the listed
break years, which is exact for 1 to 3177 AP. Checked against ``jdatetime`` in the tests.
"""

from __future__ import annotations

from datetime import date

# Years at which the 33-year leap pattern restarts.
_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262,
           2324, 2394, 2456, 3178)  # fmt: skip

MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
             "دی", "بهمن", "اسفند")  # fmt: skip

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _div(a: int, b: int) -> int:
    """Integer division truncating toward zero, as the algorithm is written."""
    return int(a / b)


def _mod(a: int, b: int) -> int:
    return a - _div(a, b) * b


def _year_facts(jy: int) -> tuple[int, int]:
    """(leap, march) for Solar Hijri year ``jy``: leap is 0 in a leap year; Nowruz of that year
    falls on ``march`` March of Gregorian year ``jy + 621``."""
    if not _BREAKS[0] <= jy < _BREAKS[-1]:
        raise ValueError(f"Solar Hijri year {jy} is outside 1–3177")
    leap_j, jp, jump = -14, _BREAKS[0], 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += _div(jump, 33) * 8 + _div(_mod(jump, 33), 4)
        jp = jm
    n = jy - jp
    leap_j += _div(n, 33) * 8 + _div(_mod(n, 33) + 3, 4)
    if _mod(jump, 33) == 4 and jump - n == 4:
        leap_j += 1
    gy = jy + 621
    leap_g = _div(gy, 4) - _div((_div(gy, 100) + 1) * 3, 4) - 150
    march = 20 + leap_j - leap_g
    if jump - n < 6:
        n = n - jump + _div(jump + 4, 33) * 33
    leap = _mod(_mod(n + 1, 33) - 1, 4)
    return (4 if leap == -1 else leap), march


def is_leap_year(jy: int) -> bool:
    return _year_facts(jy)[0] == 0


def to_solar_hijri(day: date) -> tuple[int, int, int]:
    """(year, month 1–12, day) of a Gregorian date; months 1–6 have 31 days, 7–11 have 30,
    Esfand 29 or, in a leap year, 30."""
    jy = day.year - 621
    leap, march = _year_facts(jy)
    k = (day - date(day.year, 3, march)).days
    if k >= 0:
        if k <= 185:
            return jy, 1 + k // 31, k % 31 + 1
        k -= 186
    else:  # before Nowruz: the second half of the previous year
        jy -= 1
        k += 179
        if leap == 1:  # the previous year was leap, so its Esfand had 30 days
            k += 1
    return jy, 7 + k // 30, k % 30 + 1


def persian_digits(text: str) -> str:
    return text.translate(_PERSIAN_DIGITS)


def format_solar_hijri(day: date) -> str:
    """``۱ فروردین ۱۴۰۳``: day, month name, year, in Persian digits."""
    year, month, dom = to_solar_hijri(day)
    return persian_digits(f"{dom} {MONTHS_FA[month - 1]} {year}")
