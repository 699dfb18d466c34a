"""Checking an audit import that creates its people grows linearly with the file.

    python bench/import_plan.py

``plan_import`` (pure) over files of 10,000, 30,000 and 90,000 score-only rows, every row with a
new staff member and 600 new auditors, ``--create-missing``: prints the time and µs per row of
each, and the ratio of each time to the previous (≈ 3 for 3 × the rows when linear; the check
against a list of new staff made it ≈ 9: 30,000 rows took 16.9 s, now 0.9 s).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audits.fieldwork.import_csv import AuditRow  # noqa: E402
from audits.fieldwork.import_plan import Known, plan_import  # noqa: E402

BRANCHES = 500
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def seconds(n: int) -> float:
    rows = [
        AuditRow(
            row=i + 2,
            ref=f"r{i}",
            visited_at=dt.datetime(2026, 1, 1, 12),
            timed=True,
            branch=f"B{i % BRANCHES}",
            auditor=f"a{i % 600}",
            staff=f"S{i}",
            score=80.0,
        )
        for i in range(n)
    ]
    branches = {f"B{b}": (b + 1, "UTC") for b in range(BRANCHES)}
    known = Known(branches=branches, staff=set(), auditors=set(), shifts={}, stored={})
    start = time.perf_counter()
    plan = plan_import(rows, known, doc=None, create_missing=True, now=NOW)
    elapsed = time.perf_counter() - start
    assert len(plan.staff) == n and len(plan.audits) == n
    return elapsed


def main() -> None:
    previous = None
    for n in (10_000, 30_000, 90_000):
        elapsed = seconds(n)
        ratio = f"  × {elapsed / previous:.1f} the previous" if previous else ""
        print(f"{n:>7,} rows: {elapsed:6.2f} s, {elapsed / n * 1e6:5.1f} µs a row{ratio}")
        previous = elapsed


if __name__ == "__main__":
    main()
