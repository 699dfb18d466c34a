"""Bounds on every value that crosses the boundary, defined once: body Structs use these types,
path and query parameters ``web.params`` (Litestar's form of the same bounds), and the web
layer's input guard (``web.input_guard``) adds what no type can say.

The limits are the smallest that every supported database holds: ids fit PostgreSQL's
``integer``; dates stay far enough from the calendar's ends that moving a time between time
zones can never overflow; text has a length and never a NUL character (PostgreSQL's text
columns refuse it).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

ID_MAX = 2**31 - 1
"""PostgreSQL's ``integer``: the largest id any table has."""

Id = Annotated[int, msgspec.Meta(ge=1, le=ID_MAX, description="A database id.")]
Minutes = Annotated[int, msgspec.Meta(ge=0, le=24 * 60, description="Minutes, at most a day.")]

NO_NUL = "^[^\x00]*$"
NUL_MESSAGE = "Remove the NUL character."


def _text(max_length: int) -> msgspec.Meta:
    """A string's bounds: at most ``max_length`` characters, no NUL."""
    return msgspec.Meta(max_length=max_length, pattern=NO_NUL)


# Written out as aliases (not made by a function) so that type checkers read them as `str`.
Code = Annotated[str, _text(40)]
"""Branch, staff and checklist codes (see "Organisation CSV files")."""
Name = Annotated[str, _text(200)]
ItemKey = Annotated[str, _text(200)]
Description = Annotated[str, _text(500)]
Comment = Annotated[str, _text(2000)]
UuidText = Annotated[str, _text(36)]

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class OutOfBounds(ValueError):
    """A value outside its bounds; ``field`` names it. msgspec reports it as a validation
    error when it decodes a Struct, a form handler shows it beside the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def date_problem(value: dt.date | dt.datetime) -> str | None:
    """Why a date (or a date and time) lies outside the calendar Evenly keeps; None when it
    is inside."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if EARLIEST <= day <= LATEST:
        return None
    return f"Choose a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


class WithinCalendar(msgspec.Struct):
    """A Struct whose dates and times must lie within ``EARLIEST`` .. ``LATEST``."""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, dt.date) and (problem := date_problem(value)):
                raise OutOfBounds(name, problem)


def field_error(error: msgspec.ValidationError) -> tuple[str, str]:
    """The field a msgspec validation error is about and its message, for a form to show beside
    the field: ``Expected `int` <= 1440 - at `$.visit_minutes``` or ``visited_at: ...``."""
    text_, _, where = str(error).partition(" - at `$")
    if where:
        field = where.strip("`.").split("[")[0].split(".")[0]
        return field, NUL_MESSAGE if "matching regex" in text_ else text_  # NO_NUL
    field, _, message = text_.partition(": ")
    return (field, message) if message else ("body", text_)
