"""Coverage read in SQL, for a chain's size: each branch's cells counted (the summary and the
paged list of head office's coverage page), and the branch × shift × weekday matrix of a few
branches (one page of it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from audits.tables import Shift, Visit
from audits.visits.coverage_summary import BranchCells
from audits.visits.plan_types import PlanBranch, PlanShift
from audits.visits.planning import Coverage, CoverageVisit, coverage

# The cells of planning.coverage (each active branch with the organisation's shifts and its own,
# or no shift when it has none, plus "no shift" where such visits were made or planned) with the
# visits planned and done in each over a window. Parameters: the window's start and end twice
# (no-shift cells, then counts). A query goes on from it with ``SELECT … FROM cell_counts``.
CELL_COUNTS = """
WITH cells AS (
    SELECT b.code AS branch, s.name AS shift
    FROM branch b JOIN shift s ON s.branch = b.id
    WHERE b.active
  UNION
    SELECT b.code, s.name FROM branch b CROSS JOIN shift s
    WHERE b.active AND s.branch IS NULL
  UNION
    SELECT b.code, NULL FROM branch b
    WHERE b.active AND NOT EXISTS (SELECT 1 FROM shift s WHERE s.branch = b.id)
      AND NOT EXISTS (SELECT 1 FROM shift s WHERE s.branch IS NULL)
  UNION
    SELECT b.code, NULL FROM visit v JOIN branch b ON v.branch = b.id
    WHERE b.active AND v.shift IS NULL AND v.status IN ('planned', 'done')
      AND v.window_start >= {} AND v.window_start <= {}
), counts AS (
    SELECT b.code AS branch, s.name AS shift,
           SUM(CASE WHEN v.status = 'planned' THEN 1 ELSE 0 END) AS planned,
           SUM(CASE WHEN v.status = 'done' THEN 1 ELSE 0 END) AS done
    FROM visit v JOIN branch b ON v.branch = b.id LEFT JOIN shift s ON v.shift = s.id
    WHERE v.window_start >= {} AND v.window_start <= {}
    GROUP BY b.code, s.name
), cell_counts AS (
    SELECT c.branch, c.shift, COALESCE(k.planned, 0) AS planned, COALESCE(k.done, 0) AS done
    FROM cells c LEFT JOIN counts k
      ON k.branch = c.branch AND (k.shift = c.shift OR (k.shift IS NULL AND c.shift IS NULL))
)
"""

# One row a branch: its cells, those a visit was done in, those with visits planned but none
# done, and its visits planned and done.
_BRANCH_CELLS = (
    CELL_COUNTS
    + """
SELECT b.code AS branch, b.name AS name, r.code AS region, COUNT(*) AS cells,
       SUM(CASE WHEN c.done > 0 THEN 1 ELSE 0 END) AS visited,
       SUM(CASE WHEN c.done = 0 AND c.planned > 0 THEN 1 ELSE 0 END) AS planned_only,
       SUM(c.planned) AS planned, SUM(c.done) AS done
FROM cell_counts c JOIN branch b ON b.code = c.branch LEFT JOIN region r ON b.region = r.id
GROUP BY b.code, b.name, r.code
ORDER BY b.code
"""
)


async def branch_cells_between(start: dt.date, end: dt.date) -> list[BranchCells]:
    """Every active branch's cells over the visits whose window starts from ``start`` to
    ``end``, in branch code order."""
    rows = await Visit.raw(_BRANCH_CELLS, start, end, start, end)
    return [
        BranchCells(
            r["branch"],
            r["name"],
            r["region"],
            int(r["cells"]),
            int(r["visited"]),
            int(r["planned_only"]),
            int(r["planned"]),
            int(r["done"]),
        )  # fmt: skip
        for r in rows
    ]


async def coverage_of(start: dt.date, end: dt.date, branches: Sequence[str]) -> Coverage:
    """:func:`planning.coverage` of ``branches`` alone (a page's few; in that order), over the
    visits whose window starts from ``start`` to ``end``."""
    if not branches:
        return Coverage([], [], 0)
    rows = await Visit.select(
        Visit.branch.code.as_alias("branch"),
        Visit.window_start,
        Visit.shift.name.as_alias("shift"),
        Visit.status,
    ).where(
        (Visit.window_start >= start)
        & (Visit.window_start <= end)
        & Visit.branch.code.is_in(list(branches))
    )
    visits = [CoverageVisit(r["branch"], r["window_start"], r["shift"], r["status"]) for r in rows]
    shifts = [
        PlanShift(r["name"], r["branch"])
        for r in await Shift.select(Shift.name, Shift.branch.code.as_alias("branch"))
        .where(Shift.branch.is_null() | Shift.branch.code.is_in(list(branches)))
        .order_by(Shift.start_minute)
    ]
    plan_branches = [PlanBranch(code) for code in branches]
    return coverage(visits, plan_branches, shifts)
