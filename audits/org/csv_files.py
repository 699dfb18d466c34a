"""Branches, staff and shifts from CSV files (pure): read, check every row, report every problem.

Rows are numbered as a spreadsheet shows them: the header is row 1. A file with any problem
is rejected as a whole, so an import writes all of its rows or none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import msgspec

from audits.boundary.csv_guard import unguard_cell
from audits.org.fields import (
    NAME_LANGUAGES,
    FieldProblem,
    clean_code,
    clean_coordinates,
    clean_name,
    clean_names,
    clean_shift,
    clean_timezone,
    code_and_name,
    code_from_name,
    format_clock,
    shifts_overlap,
)

BRANCH_COLUMNS = ("code", "name", "region", "timezone", "address", "latitude", "longitude")
STAFF_COLUMNS = ("branch", "code", "name")
SHIFT_COLUMNS = ("name", "start", "end", "branch", "name_el", "name_pl", "name_fa")
COLUMNS = {"branches": BRANCH_COLUMNS, "staff": STAFF_COLUMNS, "shifts": SHIFT_COLUMNS}
KINDS = tuple(COLUMNS)  # what the organisation's CSV files hold
REQUIRED = {
    "branches": ("name",),  # no code: made from the name
    "staff": ("branch", "code"),
    "shifts": ("name", "start", "end"),
}


class CsvProblem(msgspec.Struct, frozen=True):
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        place = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{place}: {self.message}"


class OrgCsvError(ValueError):
    """Every problem of a file, in file order; the message is the first one."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


class BranchRow(msgspec.Struct, frozen=True):
    row: int
    code: str
    name: str
    region: str = ""
    timezone: str = "UTC"
    address: str = ""
    region_name: str = ""  # a new region's name: the file's cell, or the code
    latitude: float | None = None
    longitude: float | None = None


class StaffRow(msgspec.Struct, frozen=True):
    row: int
    branch: str
    code: str
    name: str = ""


class ShiftRow(msgspec.Struct, frozen=True):
    """A shift; ``start`` and ``end`` are minutes after local midnight, ``branch`` empty means
    the organisation's (every branch's) shift."""

    row: int
    name: str
    start: int
    end: int
    branch: str = ""
    names: dict[str, str] = {}  # the name in other languages, from ``name_el`` etc.

    @property
    def window(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"


def _records(text: str, kind: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by column) of the non-empty rows; header problems raise at once."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    try:
        rows = [[unguard_cell(cell) for cell in row] for row in reader]  # our exports' guard
    except csv.Error as error:
        raise OrgCsvError([CsvProblem(reader.line_num, "", f"not a CSV file: {error}")]) from None
    if not rows:
        raise OrgCsvError([CsvProblem(1, "", f"empty file; expected {','.join(columns)}")])
    header = [cell.strip().lower() for cell in rows[0]]
    problems = [
        CsvProblem(1, name, f"unknown column; expected {', '.join(columns)}")
        for name in header
        if name not in columns
    ]
    problems += [
        CsvProblem(1, name, "required column is missing")
        for name in REQUIRED[kind]
        if name not in header
    ]
    problems += [CsvProblem(1, name, "column given twice") for name in _twice(header)]
    if problems:
        raise OrgCsvError(problems)
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise OrgCsvError(
                [CsvProblem(number, "", f"{len(cells)} cells, {len(header)} columns")]
            )
        records.append((number, dict(zip(header, cells, strict=False))))
    return records


def _twice(header: list[str]) -> list[str]:
    return sorted({name for name in header if header.count(name) > 1})


def _parse(
    text: str,
    kind: str,
    columns: tuple[str, ...],
    make: Callable,
    key: Callable,
    key_column: str = "code",
) -> list:
    problems: list[CsvProblem] = []
    seen: dict[tuple[str, ...], int] = {}
    parsed = []
    for number, cells in _records(text, kind, columns):
        try:
            row = make(number, {name: cells.get(name, "") for name in columns})
        except FieldProblem as problem:
            problems.append(CsvProblem(number, problem.field, problem.message))
            continue
        if key(row) in seen:
            message = f"{getattr(row, key_column)!r} is already on row {seen[key(row)]}"
            problems.append(CsvProblem(number, key_column, message))
            continue
        seen[key(row)] = number
        parsed.append(row)
    if problems:
        raise OrgCsvError(problems)
    return parsed


def _branch(number: int, cells: dict[str, str]) -> BranchRow:
    """A branch; other systems' exports name more than they code, so a branch without a code
    gets one made from its name, and a region given by name (``HOLLY SPRINGS``) one made from
    that (``HOLLY-SPRINGS``)."""
    name = clean_name(cells["name"])
    code = clean_code(cells["code"]) if cells["code"].strip() else code_from_name(name)
    region, region_name = (
        code_and_name(cells["region"], "region") if cells["region"].strip() else ("", "")
    )
    latitude, longitude = clean_coordinates(cells["latitude"], cells["longitude"])
    return BranchRow(
        row=number,
        code=code,
        name=name,
        region=region,
        timezone=clean_timezone(cells["timezone"]),
        address=cells["address"].strip(),
        region_name=region_name,
        latitude=latitude,
        longitude=longitude,
    )


def _staff(number: int, cells: dict[str, str]) -> StaffRow:
    return StaffRow(
        row=number,
        branch=clean_code(cells["branch"], "branch"),
        code=clean_code(cells["code"]),
        name=clean_name(cells["name"], required=False),
    )


def parse_branches(text: str) -> list[BranchRow]:
    """Columns ``code,name,region,timezone,address,latitude,longitude`` (name required, any
    order; latitude and longitude in decimal degrees, both or neither)."""
    return _parse(text, "branches", BRANCH_COLUMNS, _branch, lambda r: (r.code,))


def parse_staff(text: str) -> list[StaffRow]:
    """Columns ``branch,code,name`` (branch and code required, any order)."""
    return _parse(text, "staff", STAFF_COLUMNS, _staff, lambda r: (r.branch, r.code))


def _shift(number: int, cells: dict[str, str]) -> ShiftRow:
    name, start, end = clean_shift(cells["name"], cells["start"], cells["end"])
    branch = clean_code(cells["branch"], "branch") if cells["branch"].strip() else ""
    names = clean_names({lang: cells[f"name_{lang}"] for lang in NAME_LANGUAGES})
    return ShiftRow(row=number, name=name, start=start, end=end, branch=branch, names=names)


def overlap_problems(rows: list[ShiftRow]) -> list[CsvProblem]:
    """Rows whose window shares a minute with an earlier row of the same place (a branch, or
    the organisation), so that a visit time falls in at most one shift there. A row numbered
    0 is a stored shift: it is named as such, and its own overlaps are not reported."""
    problems = []
    for index, row in enumerate(rows):
        if not row.row:
            continue
        for other in rows[:index]:
            if other.branch == row.branch and shifts_overlap(
                (row.start, row.end), (other.start, other.end)
            ):
                place = f"on row {other.row}" if other.row else "(stored)"
                message = f"overlaps {other.name} ({other.window}) {place}"
                problems.append(CsvProblem(row.row, "start", message))
                break
    return problems


def parse_shifts(text: str) -> list[ShiftRow]:
    """Columns ``name,start,end,branch,name_el,name_pl,name_fa`` (name, start and end
    required, any order; ``name_el`` etc. the shift's name in Greek, Polish, Persian); times are
    ``HH:MM`` local to the branch, an end before the start wraps midnight; an empty branch
    means the organisation's shift. Names are unique (ignoring case) and windows do not overlap
    within a branch or within the organisation's shifts."""
    rows = _parse(
        text,
        "shifts",
        SHIFT_COLUMNS,
        _shift,
        lambda r: (r.branch, r.name.lower()),
        key_column="name",
    )
    if problems := overlap_problems(rows):
        raise OrgCsvError(problems)
    return rows
