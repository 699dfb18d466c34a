"""Turn the public inspection files into Evenly import CSVs (run by hand, not by the tests).

    python tests/data/real/convert.py /path/to/shared/data/real

writes ``{wake,la,chicago}_branches.csv`` (for ``evenly org import branches``) and
``{wake,la,chicago}_audits.csv`` (for ``evenly import audits``) next to this script. The project
never reads the source folder when it runs or tests; these small derived files are checked in.
See README.md here for what is kept, what is changed and why.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
AUDIT_COLUMNS = ("audit_ref", "visited_at", "branch", "region", "channel", "auditor", "score")
BRANCH_COLUMNS = ("code", "name", "region", "timezone")


def region_code(city: str) -> str:
    """A city as a region code: upper case, runs of other characters as one hyphen."""
    code = re.sub(r"[^A-Z0-9]+", "-", city.strip().upper()).strip("-")
    return "" if code in ("", "NA") else code[:40]


def number(text: str) -> str:
    """``1337708.0`` → ``1337708`` (the Chicago export writes ids as floats)."""
    return str(int(float(text)))


def chicago_score(critical: str, serious: str, minor: str) -> float:
    """100 less 10 points per critical, 5 per serious and 1 per minor violation, at least 0."""
    lost = 10 * float(critical) + 5 * float(serious) + float(minor)
    return max(0.0, 100.0 - lost)


def score_text(r: dict[str, str]) -> str:
    return f"{chicago_score(r['criticalCount'], r['seriousCount'], r['minorCount']):g}"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(name: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def branches(rows: list[dict[str, str]], timezone: str) -> list[dict[str, str]]:
    """One branch per code, named and placed as its first audit says."""
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        name = row.pop("_name") or row["branch"]
        if row["branch"] not in seen:
            seen[row["branch"]] = {
                "code": row["branch"],
                "name": name,
                "region": row["region"],
                "timezone": timezone,
            }
    return sorted(seen.values(), key=lambda b: b["code"])


def wake(source: Path) -> None:
    rows = []
    for r in read(source / "wake_county_inspections.csv"):
        rows.append(
            {
                "audit_ref": f"wake-{r['OBJECTID']}",
                # Local midnight written as UTC (T04:00Z / T05:00Z): the date part is local.
                "visited_at": r["DATE_"][:10],
                "branch": f"W{r['HSISID']}",
                "region": region_code(r["CITY"]),
                "channel": "in_person",
                "auditor": r["INSPECTOR"],
                "score": r["SCORE"],
                "_name": r["NAME"].strip()[:200],
            }
        )
    emit("wake", rows, "America/New_York")


def la(source: Path) -> None:
    rows = []
    for r in read(source / "la_county_inspections_sample.csv"):
        rows.append(
            {
                "audit_ref": f"la-{r['serial_number']}",
                "visited_at": r["activity_date"][:10],
                "branch": r["facility_id"],
                "region": region_code(r["facility_city"]),
                "channel": "in_person",
                "auditor": r["employee_id"],
                "score": r["score"],
                "_name": r["facility_name"].strip()[:200],
            }
        )
    emit("la", rows, "America/Los_Angeles")


def chicago(source: Path) -> None:
    names = {
        number(r["License"]): r["DBA_Name"].strip()
        for r in read(source / "chicago_food_inspections_with_inspector_group.csv")
        if r["License"]
    }
    rows, seen = [], set()
    for r in read(source / "chicago_2014_sep_oct_pseudonymised_inspector.csv"):
        ref = f"chi-{number(r['Inspection_ID'])}"
        if ref in seen:  # the join repeated ten inspections row for row; keep one
            continue
        seen.add(ref)
        licence = number(r["License"])
        rows.append(
            {
                "audit_ref": ref,
                "visited_at": r["Inspection_Date"][:10],
                "branch": f"C{licence}",
                "region": f"ZIP-{number(r['Zip'])}" if r["Zip"] else "",
                "channel": "in_person",
                "auditor": r["inspector_code"],
                "score": score_text(r),
                "_name": names.get(licence, "")[:200],
            }
        )
    emit("chicago", rows, "America/Chicago")


def emit(prefix: str, rows: list[dict[str, str]], timezone: str) -> None:
    write(f"{prefix}_branches.csv", BRANCH_COLUMNS, branches(rows, timezone))
    write(f"{prefix}_audits.csv", AUDIT_COLUMNS, rows)


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/real")
    wake(folder)
    la(folder)
    chicago(folder)
