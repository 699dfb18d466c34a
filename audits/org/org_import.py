"""CSV imports of branches, staff and shifts: upsert by code (a shift: by name), all rows or none.

Re-importing the same file changes nothing; a row that refers to an unknown branch fails the
whole file, naming the row and column (see ``csv_files`` for the checks of the file itself).
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from audits.org.csv_files import (
    BranchRow,
    CsvProblem,
    OrgCsvError,
    ShiftRow,
    StaffRow,
    overlap_problems,
    parse_branches,
    parse_shifts,
    parse_staff,
)
from audits.tables import Branch, Region, Shift, Staff

CHUNK = 200  # rows per INSERT: SQLite limits the variables of one statement


class ImportCounts(msgspec.Struct, frozen=True):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    regions_created: int = 0


async def _insert_all(table, rows: list) -> None:
    for start in range(0, len(rows), CHUNK):
        await table.insert(*rows[start : start + CHUNK])


async def _region_ids(names: dict[str, str]) -> tuple[dict[str, int], int]:
    """Region ids by code; regions of the file (code: name) that do not exist yet are
    created."""
    known = {r["code"]: r["id"] for r in await Region.select(Region.id, Region.code)}
    missing = sorted(set(names) - set(known) - {""})
    if missing:
        await _insert_all(Region, [Region(code=code, name=names[code]) for code in missing])
        known = {r["code"]: r["id"] for r in await Region.select(Region.id, Region.code)}
    return known, len(missing)


async def import_branches(rows: list[BranchRow]) -> ImportCounts:
    """Create the branches whose codes are new, update those that differ."""
    async with Branch._meta.db.transaction():
        regions, regions_created = await _region_ids(
            {row.region: row.region_name or row.region for row in rows}
        )
        existing = {
            b["code"]: b
            for b in await Branch.select(
                Branch.id,
                Branch.code,
                Branch.name,
                Branch.region,
                Branch.timezone,
                Branch.address,
                Branch.latitude,
                Branch.longitude,
            )
        }
        new, updated, unchanged = [], 0, 0
        for row in rows:
            values: dict[str, Any] = {
                "name": row.name,
                "region": regions.get(row.region),
                "timezone": row.timezone,
                "address": row.address,
                "latitude": row.latitude,
                "longitude": row.longitude,
            }
            current = existing.get(row.code)
            if current is None:
                new.append(Branch(code=row.code, **values))
            elif any(current[key] != value for key, value in values.items()):
                await Branch.update(**values).where(Branch.id == current["id"])
                updated += 1
            else:
                unchanged += 1
        await _insert_all(Branch, new)
    return ImportCounts(len(new), updated, unchanged, regions_created)


async def _branch_ids(rows: list[StaffRow]) -> dict[str, int]:
    codes = sorted({row.branch for row in rows})
    found = {
        b["code"]: b["id"]
        for b in await Branch.select(Branch.id, Branch.code).where(Branch.code.is_in(codes or [""]))
    }
    problems = [
        CsvProblem(row.row, "branch", f"no branch with code {row.branch!r}")
        for row in rows
        if row.branch not in found
    ]
    if problems:
        raise OrgCsvError(problems)
    return found


async def import_staff(rows: list[StaffRow]) -> ImportCounts:
    """Create staff whose (branch, code) is new and rename those whose name differs."""
    branches = await _branch_ids(rows)
    async with Staff._meta.db.transaction():
        existing = {
            (s["branch"], s["code"]): s
            for s in await Staff.select(Staff.id, Staff.branch, Staff.code, Staff.name).where(
                Staff.branch.is_in(list(branches.values()) or [0])
            )
        }
        new, updated, unchanged = [], 0, 0
        for row in rows:
            current = existing.get((branches[row.branch], row.code))
            if current is None:
                new.append(Staff(branch=branches[row.branch], code=row.code, name=row.name))
            elif current["name"] != row.name:
                await Staff.update({Staff.name: row.name}).where(Staff.id == current["id"])
                updated += 1
            else:
                unchanged += 1
        await _insert_all(Staff, new)
    return ImportCounts(len(new), updated, unchanged)


async def _shift_branch_ids(rows: list[ShiftRow]) -> dict[str, int]:
    codes = sorted({row.branch for row in rows} - {""})
    found = {
        b["code"]: b["id"]
        for b in await Branch.select(Branch.id, Branch.code).where(Branch.code.is_in(codes or [""]))
    }
    problems = [
        CsvProblem(row.row, "branch", f"no branch with code {row.branch!r}")
        for row in rows
        if row.branch and row.branch not in found
    ]
    if problems:
        raise OrgCsvError(problems)
    return found


async def import_shifts(rows: list[ShiftRow]) -> ImportCounts:
    """Create the shifts whose (branch, name) is new, change the hours (or the spelling of the
    name) of those that differ. A stored shift the file does not name stays, and a row may not
    overlap it: the checks of the admin page's form, for the whole file at once."""
    branches = await _shift_branch_ids(rows)
    async with Shift._meta.db.transaction():
        stored = await Shift.select(
            Shift.id,
            Shift.name,
            Shift.start_minute,
            Shift.end_minute,
            Shift.names,
            Shift.branch.code.as_alias("branch"),
        )
        by_key = {(s["branch"] or "", s["name"].lower()): s for s in stored}
        named = {(row.branch, row.name.lower()) for row in rows}
        kept = [
            ShiftRow(0, s["name"], s["start_minute"], s["end_minute"], s["branch"] or "")
            for key, s in by_key.items()
            if key not in named
        ]
        if problems := overlap_problems(kept + rows):
            raise OrgCsvError(problems)
        new, updated, unchanged = [], 0, 0
        for row in rows:
            values: dict[str, Any] = {
                "name": row.name,
                "start_minute": row.start,
                "end_minute": row.end,
            }
            current = by_key.get((row.branch, row.name.lower()))
            # a language's empty cell keeps the stored name in it
            values["names"] = {**_json_dict(current["names"] if current else None), **row.names}
            if current is None:
                new.append(Shift(branch=branches.get(row.branch), **values))
            elif any(
                (_json_dict(current[key]) if key == "names" else current[key]) != value
                for key, value in values.items()
            ):
                await Shift.update(**values).where(Shift.id == current["id"])
                updated += 1
            else:
                unchanged += 1
        await _insert_all(Shift, new)
    return ImportCounts(len(new), updated, unchanged)


def _json_dict(stored: object) -> dict[str, str]:
    value = json.loads(stored) if isinstance(stored, str | bytes) else stored
    return value if isinstance(value, dict) else {}


async def import_csv(kind: str, text: str) -> ImportCounts:
    """Parse and import a CSV file of ``branches``, ``staff`` or ``shifts``; raises
    ``OrgCsvError``."""
    if kind == "branches":
        return await import_branches(parse_branches(text))
    if kind == "shifts":
        return await import_shifts(parse_shifts(text))
    return await import_staff(parse_staff(text))
