"""Audit history from a CSV file (pure): read the header and every row, report every problem.

One row per audit. Rows are numbered as a spreadsheet shows them (the header is row 1) and a
problem names its row and column, as in ``audits.org.csv_files``. A file with any problem is
rejected as a whole. What needs the database (do the branches exist? was this audit imported
before?) is checked afterwards, by ``import_plan``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any

import msgspec

from audits.boundary.csv_guard import unguard_cell
from audits.org.csv_files import CsvProblem, OrgCsvError
from audits.org.fields import FieldProblem, clean_code, code_and_name
from checklists.model import Checklist, Item, ItemType
from checklists.scoring import NA, restrict, validate_answers

COLUMNS = (
    "audit_ref",
    "visited_at",
    "branch",
    "region",
    "channel",
    "shift",
    "staff",
    "auditor",
    "calibration_of",
    "score",
)
REQUIRED = ("audit_ref", "visited_at", "branch", "auditor")
ITEM = "item:"
CHANNELS = ("in_person", "phone", "website", "delivery")
"""``audits.tables.Channel``, which a pure module cannot import (a test keeps them equal)."""
MAX_REF, MAX_USERNAME, MAX_SHIFT = 120, 100, 40


class AuditCsvError(OrgCsvError):
    """Every problem of an audit file, in file order; the message is the first one."""


class AuditRow(msgspec.Struct, frozen=True):
    """One audit as the file gives it. ``visited_at`` without an offset is branch-local;
    ``timed`` is False when the file gave a date only (such an audit gets no shift)."""

    row: int
    ref: str
    visited_at: dt.datetime
    timed: bool
    branch: str
    auditor: str
    region: str = ""
    channel: str = "in_person"
    shift: str = ""
    staff: str = ""
    calibration_of: str = ""
    score: float | None = None
    answers: dict[str, Any] = {}


def _read(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    try:
        rows = [[unguard_cell(cell) for cell in row] for row in reader]  # our exports' guard
    except csv.Error as error:
        raise AuditCsvError([CsvProblem(reader.line_num, "", f"not a CSV file: {error}")]) from None
    if not rows:
        raise AuditCsvError([CsvProblem(1, "", f"empty file; expected {','.join(REQUIRED)},...")])
    return rows


def _header_problems(header: list[str], doc: Checklist | None) -> list[CsvProblem]:
    expected = f"expected {', '.join(COLUMNS)} or item:<key>"
    problems = [
        CsvProblem(1, name, f"unknown column; {expected}")
        for name in header
        if name not in COLUMNS and not name.startswith(ITEM)
    ]
    problems += [
        CsvProblem(1, n, "required column is missing") for n in REQUIRED if n not in header
    ]
    problems += [
        CsvProblem(1, name, "column given twice")
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    items = [name for name in header if name.startswith(ITEM)]
    if "score" in header and items:
        problems.append(CsvProblem(1, "score", "use either score or item:<key> columns, not both"))
    elif "score" not in header and not items:
        problems.append(CsvProblem(1, "score", "a score column or item:<key> columns are required"))
    elif items and doc is None:
        problems.append(
            CsvProblem(1, items[0], "item columns need a checklist to score them (--checklist)")
        )
    elif "score" in header and doc is not None:
        message = "a score column takes no checklist; scores import as the imported-score checklist"
        problems.append(CsvProblem(1, "score", message))
    elif doc is not None:
        problems += _item_header_problems(items, doc)
    return problems


def _item_header_problems(columns: list[str], doc: Checklist) -> list[CsvProblem]:
    keys = {item.key: item for item in doc.items()}
    problems = [
        CsvProblem(1, name, f"no item `{name[len(ITEM) :]}` in checklist {doc.slug}")
        for name in columns
        if name[len(ITEM) :] not in keys
    ]
    problems += [
        CsvProblem(1, f"{ITEM}{key}", f"photos cannot be imported; leave out item `{key}`")
        for key, item in keys.items()
        if item.type is ItemType.photo and f"{ITEM}{key}" in columns
    ]
    problems += [
        CsvProblem(1, f"{ITEM}{key}", "required column is missing: the item must be answered")
        for key, item in keys.items()
        if item.required and item.condition is None and item.type is not ItemType.photo
        if f"{ITEM}{key}" not in columns
    ]
    return problems


def _visited_at(value: str) -> tuple[dt.datetime, bool]:
    value = value.strip()
    try:
        if "T" not in value and " " not in value:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time()), False
        return dt.datetime.fromisoformat(value), True
    except ValueError:
        raise FieldProblem(
            "visited_at",
            f"expected an ISO 8601 date and time such as 2026-03-14T09:30, got {value!r}",
        ) from None


def _score(value: str) -> float:
    try:
        score = float(value.strip())
    except ValueError:
        score = math.nan
    if not 0 <= score <= 100:  # NaN too
        raise FieldProblem("score", f"expected a score from 0 to 100, got {value.strip()!r}")
    return score


def _text(cells: dict[str, str], name: str, limit: int, what: str) -> str:
    value = cells.get(name, "").strip()
    if len(value) > limit:
        raise FieldProblem(name, f"{what} of at most {limit} characters, got {len(value)}")
    return value


def _username(value: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_USERNAME or value.split() != [value]:
        raise FieldProblem("auditor", f"a username without spaces, up to {MAX_USERNAME} characters")
    return value


def _answer(item: Item, raw: str) -> Any:
    """A cell as the answer the API would take; what cannot be read stays text, for
    ``validate_answers`` to name."""
    raw = raw.strip()
    if raw.lower() == NA:
        return NA
    if item.type is ItemType.yes_no:
        return {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(
            raw.lower(), raw
        )
    if item.type is ItemType.scale:
        return int(raw) if raw.lstrip("-").isdigit() else raw
    if item.type is ItemType.number:
        try:
            return float(raw)
        except ValueError:
            return raw
    return raw


def _answers(cells: dict[str, str], doc: Checklist) -> dict[str, Any]:
    answers = {}
    for item in doc.items():
        raw = cells.get(f"{ITEM}{item.key}", "")
        if raw.strip():
            answers[item.key] = _answer(item, raw)
    if errors := validate_answers(doc, answers):
        key, message = next(iter(errors.items()))
        raise FieldProblem(f"{ITEM}{key}", message)
    return answers


def _row(number: int, cells: dict[str, str], doc: Checklist | None) -> AuditRow:
    ref = _text(cells, "audit_ref", MAX_REF, "an id")
    if not ref:
        raise FieldProblem("audit_ref", "an audit_ref is required")
    visited_at, timed = _visited_at(cells.get("visited_at", ""))
    channel = cells.get("channel", "").strip() or "in_person"
    if channel not in CHANNELS:
        raise FieldProblem("channel", f"expected one of {', '.join(CHANNELS)}, got {channel!r}")
    calibration_of = _text(cells, "calibration_of", MAX_REF, "an audit_ref")
    if calibration_of == ref:
        raise FieldProblem("calibration_of", "an audit cannot be its own calibration pair")
    region, staff = cells.get("region", "").strip(), cells.get("staff", "").strip()
    return AuditRow(
        row=number,
        ref=ref,
        visited_at=visited_at,
        timed=timed,
        branch=clean_code(cells.get("branch", ""), "branch"),
        auditor=_username(cells.get("auditor", "")),
        region=code_and_name(region, "region")[0] if region else "",  # "HOLLY SPRINGS" too
        channel=channel,
        shift=_text(cells, "shift", MAX_SHIFT, "a shift name"),
        staff=clean_code(staff, "staff") if staff else "",
        calibration_of=calibration_of,
        score=_score(cells.get("score", "")) if doc is None else None,
        answers=_answers(cells, doc) if doc is not None else {},
    )


def parse_audits(text: str, doc: Checklist | None = None) -> list[AuditRow]:
    """Rows of audits with a ``score`` column, or with ``item:<key>`` columns answering
    ``doc`` (the checklist the audits were filed against). Raises ``AuditCsvError``."""
    rows = _read(text)
    header = [cell.strip() for cell in rows[0]]
    header = [name if name.startswith(ITEM) else name.lower() for name in header]
    if problems := _header_problems(header, doc):
        raise AuditCsvError(problems)
    if doc is not None:  # photos cannot come in a CSV file: a required one is not missing
        doc = restrict(doc, [i.key for i in doc.items() if i.type is not ItemType.photo])
    problems = []
    parsed: list[AuditRow] = []
    seen: dict[str, int] = {}  # ref -> the row it is on
    for number, cells in enumerate(rows[1:], start=2):
        if not "".join(cells).strip():
            continue
        if len(cells) > len(header):
            problems.append(CsvProblem(number, "", f"{len(cells)} cells, {len(header)} columns"))
            continue
        try:
            row = _row(number, dict(zip(header, cells, strict=False)), doc)
        except FieldProblem as problem:
            problems.append(CsvProblem(number, problem.field, problem.message))
            continue
        if row.ref in seen:
            message = f"{row.ref!r} is already on row {seen[row.ref]}"
            problems.append(CsvProblem(number, "audit_ref", message))
            continue
        seen[row.ref] = number
        parsed.append(row)
    if problems:
        raise AuditCsvError(problems)
    return parsed
