"""The organisation as CSV files: the same columns ``org_import`` reads, so an export imported
into an empty database gives the same organisation back (region names aside: an import names a
new region by its code). Written through ``csv_guard``, the one way Evenly writes CSV."""

from __future__ import annotations

import io
import json
from typing import Any

from audits.boundary.csv_guard import GuardedWriter
from audits.org.csv_files import COLUMNS
from audits.org.fields import NAME_LANGUAGES, format_clock
from audits.tables import Branch, Shift, Staff


async def _branches() -> list[list[Any]]:
    rows = await Branch.select(
        Branch.code,
        Branch.name,
        Branch.region.code.as_alias("region"),
        Branch.timezone,
        Branch.address,
        Branch.latitude,
        Branch.longitude,
    ).order_by(Branch.code)
    return [
        [
            r["code"],
            r["name"],
            r["region"] or "",
            r["timezone"],
            r["address"],
            _degrees(r["latitude"]),
            _degrees(r["longitude"]),
        ]
        for r in rows
    ]


def _degrees(value: float | None) -> str:
    """Decimal degrees as the import reads them (``repr``: every digit back); empty when
    unknown."""
    return "" if value is None else repr(value)


async def _staff() -> list[list[Any]]:
    rows = await Staff.select(
        Staff.branch.code.as_alias("branch"), Staff.code, Staff.name
    ).order_by(Staff.branch.code, Staff.code)
    return [[r["branch"], r["code"], r["name"]] for r in rows]


async def _shifts() -> list[list[Any]]:
    rows = await Shift.select(
        Shift.name,
        Shift.start_minute,
        Shift.end_minute,
        Shift.branch.code.as_alias("branch"),
        Shift.names,
    )
    # The organisation's shifts first, then each branch's, each by start time.
    rows.sort(key=lambda r: (r["branch"] is not None, r["branch"] or "", r["start_minute"]))
    return [
        [
            r["name"],
            format_clock(r["start_minute"]),
            format_clock(r["end_minute"]),
            r["branch"] or "",
            *(_names(r["names"]).get(lang, "") for lang in NAME_LANGUAGES),
        ]
        for r in rows
    ]


def _names(stored: object) -> dict[str, str]:
    value = json.loads(stored) if isinstance(stored, str | bytes) else stored
    return value if isinstance(value, dict) else {}


async def export_csv(kind: str) -> str:
    """``branches``, ``staff`` or ``shifts`` as CSV text, header first."""
    rows = await {"branches": _branches, "staff": _staff, "shifts": _shifts}[kind]()
    out = io.StringIO()
    writer = GuardedWriter(out, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    writer.writerows(rows)
    return out.getvalue()
