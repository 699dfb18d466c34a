"""A chain past the head-office report's summary threshold: 120 branches in four regions,
four published visits each (score-only imports), the first ``LOW`` far below the standard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from audits.fieldwork.imports import import_audits
from audits.org.org_import import import_csv

from ..conftest import run

BRANCHES = 120
REGIONS = ("NORTH", "SOUTH", "EAST", "WEST")
LOW = 12  # branches whose every visit scores far below the standard


def code(i: int) -> str:
    return f"H{i:03d}"


def branches_file() -> str:
    rows = [f"{code(i)},Shop {i},{REGIONS[i % 4]},Europe/Athens" for i in range(BRANCHES)]
    return "code,name,region,timezone\n" + "\n".join(rows) + "\n"


def scores_file() -> str:
    """Four visits a branch by six shoppers; the first ``LOW`` branches score about 35."""
    rng = random.Random(18)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["audit_ref", "visited_at", "branch", "staff", "auditor", "score"])
    start = dt.datetime(2026, 3, 2, 10, 30)
    for i in range(BRANCHES):
        level = 35 if i < LOW else rng.uniform(88, 96)
        for k in range(4):
            when = start + dt.timedelta(days=7 * k + i % 5, hours=4 * (k % 3))
            score = min(100, max(0, round(rng.gauss(level, 4), 1)))
            writer.writerow(
                [f"c-{i}-{k}", when.isoformat(timespec="minutes"), code(i),
                 f"{code(i)}-S{k % 2}", f"aud{(i + k) % 6}", score]
            )  # fmt: skip
    return out.getvalue()


def import_chain() -> None:
    """The chain's branches and visits, imported as ``evenly org import`` and ``evenly import
    audits`` do (the organisation fixture ``org`` first: shifts, users, the checklist)."""
    run(import_csv("branches", branches_file()))
    result = run(import_audits(scores_file(), create_missing=True))
    assert result.new == 4 * BRANCHES
