"""A chain for the coverage page: 100 branches (two and a half pages) in four regions with two
shifts; ten with no visit, ten with one planned, eighty visited on both shifts."""

from __future__ import annotations

import datetime as dt

from audits.org.org_import import import_csv
from audits.tables import Branch, ChecklistTemplate, Shift, Visit

BRANCHES = 100  # two and a half pages
REGIONS = ("NORTH", "SOUTH", "EAST", "WEST")
START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 29)  # four weeks from a Monday
BARE, PLANNED_ONLY = 10, 10  # the first ten branches have nothing; the next ten one planned visit


def code(i: int) -> str:
    return f"C{i:03d}"


async def make_chain() -> None:
    rows = [f"{code(i)},Shop {i},{REGIONS[i % 4]},Europe/Athens" for i in range(BRANCHES)]
    await import_csv("branches", "code,name,region,timezone\n" + "\n".join(rows) + "\n")
    if not await Shift.count():  # else the organisation's own (the ``org`` fixture's)
        await Shift.insert(
            Shift(name="morning", start_minute=420, end_minute=720),
            Shift(name="evening", start_minute=1020, end_minute=1320),
        )
    checklist = (await ChecklistTemplate.select(ChecklistTemplate.id).first())["id"]
    shifts = {r["name"]: r["id"] for r in await Shift.select(Shift.id, Shift.name)}
    ids = {r["code"]: r["id"] for r in await Branch.select(Branch.id, Branch.code)}
    visits = []
    for i in range(BARE, BRANCHES):
        day = START + dt.timedelta(days=i % 28)
        done = i >= BARE + PLANNED_ONLY
        for shift in ("morning", "evening") if done else ("morning",):
            visits.append(Visit(branch=ids[code(i)], checklist=checklist, window_start=day,
                                window_end=day, shift=shifts[shift],
                                status="done" if done else "planned"))  # fmt: skip
    await Visit.insert(*visits)
