"""Checks of the organisation's fields, shared by the admin forms and the CSV import (pure).

Each ``clean_*`` returns the value as stored or raises ``FieldProblem`` naming the field.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from zoneinfo import available_timezones

LANGUAGES = ("en", "el", "pl", "fa")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
MAX_CODE, MAX_NAME = 40, 200


class FieldProblem(ValueError):
    """A value that cannot be stored; ``field`` names the form field or CSV column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def clean_code(value: str, field: str = "code") -> str:
    """Codes appear in URLs and files: letters, digits, ``.``, ``_``, ``-``; up to 40."""
    value = value.strip()
    if not value:
        raise FieldProblem(field, "a code is required")
    if len(value) > MAX_CODE or not CODE.fullmatch(value):
        raise FieldProblem(
            field, f"use up to {MAX_CODE} letters, digits, '.', '_' or '-', got {value!r}"
        )
    return value


def code_from_name(value: str, field: str = "code") -> str:
    """The code of a thing another system names but does not code: accents dropped, upper
    case, each run of characters a code may not hold (spaces, apostrophes...) as one ``-``:
    ``HOLLY SPRINGS`` and ``Holly Springs`` give ``HOLLY-SPRINGS``."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Z0-9._-]+", "-", plain.upper()).strip("-._")
    if not code:
        raise FieldProblem(field, f"cannot make a code of {value.strip()!r}; give a code")
    return clean_code(code, field)


def code_and_name(value: str, field: str) -> tuple[str, str]:
    """(code, name) of a cell holding a code (``ATT``: kept as it is, and named by it) or a
    name (``HOLLY SPRINGS``: the code made by ``code_from_name``, the name kept)."""
    value = " ".join(value.split())
    if len(value) <= MAX_CODE and CODE.fullmatch(value):
        return value, value
    return code_from_name(value, field), clean_name(value, field)


def clean_name(value: str, field: str = "name", required: bool = True) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise FieldProblem(field, "a name is required")
    if len(value) > MAX_NAME:
        raise FieldProblem(field, f"at most {MAX_NAME} characters")
    return value


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def clean_timezone(value: str, field: str = "timezone") -> str:
    """An IANA time zone name such as ``Europe/Athens``; empty means UTC."""
    value = value.strip() or "UTC"
    if value not in _zones():
        raise FieldProblem(field, f"unknown time zone {value!r}; use a name like Europe/Athens")
    return value


def clean_coordinates(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    """A place in decimal degrees (WGS 84, as a map shows it: ``37.9838``, ``23.7275``); both
    empty means unknown, one without the other is a problem."""
    lat, lon = latitude.strip(), longitude.strip()
    if not lat and not lon:
        return None, None
    if not lat or not lon:
        field = "latitude" if not lat else "longitude"
        raise FieldProblem(field, "give both latitude and longitude, or neither")
    return _degrees(lat, "latitude", 90), _degrees(lon, "longitude", 180)


def _degrees(value: str, field: str, limit: int) -> float:
    try:
        degrees = float(value)
    except ValueError:
        raise FieldProblem(field, f"expected decimal degrees, got {value!r}") from None
    if not math.isfinite(degrees) or not -limit <= degrees <= limit:
        raise FieldProblem(field, f"use -{limit} to {limit} degrees")
    return degrees


def clean_language(value: str, field: str = "language", required: bool = True) -> str | None:
    value = value.strip()
    if not value and not required:
        return None
    if value not in LANGUAGES:
        raise FieldProblem(field, f"use one of {', '.join(LANGUAGES)}, got {value!r}")
    return value


def parse_clock(value: str, field: str) -> int:
    """``HH:MM`` (00:00 to 23:59) as minutes after midnight."""
    match = CLOCK.fullmatch(value.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise FieldProblem(field, f"use a time from 00:00 to 23:59, got {value.strip()!r}")
    return int(match[1]) * 60 + int(match[2])


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clean_shift(name: str, start: str, end: str) -> tuple[str, int, int]:
    """A named window; an end before the start wraps midnight (22:00 to 06:00)."""
    name = clean_name(name)
    if len(name) > MAX_CODE:
        raise FieldProblem("name", f"at most {MAX_CODE} characters")
    begin, finish = parse_clock(start, "start"), parse_clock(end, "end")
    if begin == finish:
        raise FieldProblem("end", "the end must differ from the start")
    return name, begin, finish


NAME_LANGUAGES = ("el", "pl", "fa")
"""The languages a shift is named in besides its default name (``name_el`` in forms and files)."""


def clean_names(names: dict[str, str]) -> dict[str, str]:
    """A shift's names in other languages: stripped, empty ones left out, each at most
    ``MAX_CODE`` characters (field ``name_el`` etc.)."""
    cleaned = {}
    for lang in NAME_LANGUAGES:
        text = " ".join((names.get(lang) or "").split())
        if len(text) > MAX_CODE:
            raise FieldProblem(f"name_{lang}", f"at most {MAX_CODE} characters")
        if text:
            cleaned[lang] = text
    return cleaned


def clean_minutes(value: str, field: str = "min_visit_minutes") -> int:
    try:
        minutes = int(value.strip())
    except ValueError:
        raise FieldProblem(field, f"expected a whole number, got {value.strip()!r}") from None
    if not 0 <= minutes <= 600:
        raise FieldProblem(field, "use 0 to 600 minutes")
    return minutes


def _spans(start: int, end: int) -> list[tuple[int, int]]:
    return [(start, end)] if start < end else [(start, 24 * 60), (0, end)]


def shifts_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two windows (start, end minutes; end before start wraps midnight) share a
    minute; back-to-back windows (06:00–14:00, 14:00–22:00) do not."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in _spans(*a) for s2, e2 in _spans(*b))
