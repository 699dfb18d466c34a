"""Visit plans as pure functions: no database, no clock (pass ``today``) and a seed.

``generate_plan`` spreads each branch's visits over its shift × weekday cells (every cell once
before any cell twice) and over the period, then gives each visit a shopper: the least loaded one
the rules allow, preferring their home region and the branches they have seen least. Two repair
passes follow: moves from the busiest to the idlest shopper until loads differ by at most one, and
swaps that join the shopper × branch graph into one piece, so that a shopper's strictness and a
branch's quality can be told apart. ``coverage`` counts visits per branch × shift × weekday.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

import msgspec

from audits.visits.plan_design import Assignments, components
from audits.visits.plan_types import (
    Plan,
    PlanBranch,
    PlannedVisit,
    PlanRules,
    PlanShift,
    PlanShopper,
)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def plan_days(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """The days of the period that are not past."""
    first = max(start, today)
    return [first + dt.timedelta(days=n) for n in range((end - first).days + 1)]


def branch_counts(
    branches: Sequence[PlanBranch], per_branch: int | None, total: int | None, seed: int
) -> dict[str, int]:
    """Visits per branch: ``per_branch`` each, or ``total`` shared out (±1, the extra ones to
    branches drawn by the seed)."""
    if per_branch is not None:
        return {b.code: per_branch for b in branches}
    if not branches or not total:
        return {b.code: 0 for b in branches}
    base, extra = divmod(total, len(branches))
    lucky = set(random.Random(seed).sample([b.code for b in branches], extra))
    return {b.code: base + (b.code in lucky) for b in branches}


def shifts_of(branch: str, shifts: Sequence[PlanShift]) -> list[str | None]:
    """The organisation's shifts and the branch's own; ``[None]`` when there are none."""
    names = [s.name for s in shifts if s.branch in (None, branch)]
    return list(dict.fromkeys(names)) or [None]


def branch_slots(
    shift_names: Sequence[str | None],
    days: Sequence[dt.date],
    count: int,
    rng: random.Random,
    phase: float = 0.5,
    full: Callable[[dt.date, str | None], bool] = lambda date, shift: False,
) -> list[tuple[dt.date, str | None]]:
    """``count`` (date, shift) slots: every shift × weekday cell once before any twice, the
    first ones spread over weekdays and shifts alike, and all of them over the period. A slot
    that is ``full`` (every shopper has one then) is taken only when its weekday has no other."""
    weekdays = sorted({d.weekday() for d in days})
    if not weekdays or count <= 0:
        return []
    rng.shuffle(weekdays)
    names = list(shift_names)
    rng.shuffle(names)
    # A diagonal walk: step r takes weekday r % W and shift (r // W + r % W) % S, a bijection
    # on the W × S cells, so any W consecutive steps see every weekday and the shifts evenly.
    width, cells = len(weekdays), len(weekdays) * len(names)
    offset = rng.randrange(cells)
    order = [
        (weekdays[r % width], names[(r // width + r % width) % len(names)])
        for r in ((step + offset) % cells for step in range(cells))
    ]
    # Step k aims at the k-th of ``count`` equal stretches of the period (at ``phase`` through
    # it, staggered across branches): the nearest day of its weekday, so a branch's visits
    # spread over the whole period and branches do not all fall on the same days.
    slots = []
    for k in range(count):
        weekday, shift = order[k % cells]
        target = days[0] + dt.timedelta(days=(k + phase) * len(days) / count)
        dates = [d for d in days if d.weekday() == weekday]
        date = min(dates, key=lambda d: (full(d, shift), abs((d - target).days), d))
        slots.append((date, shift))
    return slots


def _all_slots(
    branches: Sequence[PlanBranch],
    shifts: Sequence[PlanShift],
    days: Sequence[dt.date],
    counts: Mapping[str, int],
    rng: random.Random,
    people: int,
    rules: PlanRules,
) -> list[tuple[dt.date, str, float, str]]:
    """Every branch's slots in date order, branches staggered over the period; a day or shift
    already taken by as many visits as the shoppers can do is avoided where the weekday allows."""
    taken: Counter[tuple[dt.date, str | None]] = Counter()

    def full(date: dt.date, shift: str | None) -> bool:
        day_full = taken[date, "*"] >= people * rules.daily_cap
        return day_full or (shift is not None and taken[date, shift] >= people)

    slots = []
    for n, branch in enumerate(rng.sample(list(branches), len(branches))):
        names = shifts_of(branch.code, shifts)
        phase = (n + 0.5) / len(branches)
        for date, shift in branch_slots(names, days, counts[branch.code], rng, phase, full):
            taken[date, shift] += 1
            taken[date, "*"] += 1
            slots.append((date, shift or "", rng.random(), branch.code))
    return sorted(slots)


def generate_plan(
    branches: Sequence[PlanBranch],
    shifts: Sequence[PlanShift],
    shoppers: Sequence[PlanShopper],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    visits_per_branch: int | None = None,
    total: int | None = None,
    rules: PlanRules | None = None,
    seed: int = 0,
    counts: Mapping[str, int] | None = None,
) -> Plan:
    """Plan visits from ``max(start, today)`` to ``end``; the same arguments give the same plan.
    ``counts`` (visits per branch, e.g. from ``precision.allocate``) overrides
    ``visits_per_branch`` and ``total``."""
    rules = rules or PlanRules()
    rng = random.Random(seed)
    if counts is None:
        counts = branch_counts(branches, visits_per_branch, total, seed)
    counts = {b.code: counts.get(b.code, 0) for b in branches}
    slots = _all_slots(
        branches, shifts, plan_days(start, end, today), counts, rng, len(shoppers) or 1, rules
    )
    design = Assignments(shoppers, rules)
    regions = {b.code: b.region for b in branches}
    for index, (date, shift, _, branch) in enumerate(slots):
        design.assign_best(index, branch, date, shift or None, regions[branch], rng)
    design.fill()
    design.balance()
    design.rotate()
    design.connect()
    visits = [
        PlannedVisit(branch, date, shift or None, design.shopper_of(index))
        for index, (date, shift, _, branch) in enumerate(slots)
    ]
    unassigned = sum(v.shopper is None for v in visits)
    return Plan(visits, unassigned, len(components(design.edges())) <= 1)


class CoverageVisit(msgspec.Struct, frozen=True):
    branch: str
    date: dt.date
    shift: str | None
    status: str = "planned"


class CoverageRow(msgspec.Struct, frozen=True):
    """One branch × shift: planned and done visits per weekday, Monday first."""

    branch: str
    shift: str | None
    planned: list[int]
    done: list[int]


class Gap(msgspec.Struct, frozen=True):
    branch: str
    shift: str | None
    weekday: int


class Coverage(msgspec.Struct, frozen=True):
    rows: list[CoverageRow]
    gaps: list[Gap]
    most: int
    """The largest cell total, for the colour scale."""


def coverage(
    visits: Iterable[CoverageVisit],
    branches: Sequence[PlanBranch],
    shifts: Sequence[PlanShift],
    weekday_gaps: bool = True,
) -> Coverage:
    """Count planned and done visits per branch × shift × weekday (cancelled ones do not count;
    a visit without a shift counts in its branch's row without a shift) and list the empty
    cells of the branches' shifts (unless ``weekday_gaps`` is false: a chain's 15,000 cells
    make 100,000 of them, which a reader of whole cells, such as the home page, never needs)."""
    counts: dict[tuple[str, str | None, str], list[int]] = defaultdict(lambda: [0] * 7)
    for visit in visits:
        if visit.status in ("planned", "done"):
            counts[visit.branch, visit.shift, visit.status][visit.date.weekday()] += 1
    rows, gaps = [], []
    for branch in branches:
        names = shifts_of(branch.code, shifts)
        if None not in names and any((branch.code, None, s) in counts for s in ("planned", "done")):
            names.append(None)
        for name in names:
            planned = list(counts.get((branch.code, name, "planned"), [0] * 7))
            done = list(counts.get((branch.code, name, "done"), [0] * 7))
            rows.append(CoverageRow(branch.code, name, planned, done))
            if weekday_gaps and (name is not None or names == [None]):
                gaps += [Gap(branch.code, name, d) for d in range(7) if not planned[d] + done[d]]
    most = max((p + d for r in rows for p, d in zip(r.planned, r.done, strict=True)), default=0)
    return Coverage(rows, gaps, most)


class CellGap(msgspec.Struct, frozen=True):
    """A branch × shift with no visit done in the period, and how many are planned there."""

    branch: str
    shift: str | None
    planned: int


def unvisited_cells(cover: Coverage) -> list[CellGap]:
    """The branch × shift cells of ``cover`` that no visit has reached yet, those with nothing
    even planned first."""
    gaps = [CellGap(r.branch, r.shift, sum(r.planned)) for r in cover.rows if not sum(r.done)]
    return sorted(gaps, key=lambda g: (g.planned > 0, g.branch, g.shift or ""))


class Window(msgspec.Struct, frozen=True):
    """A visit's branch and date window, as the claim rules see it."""

    branch: str
    start: dt.date
    end: dt.date


def claim_conflict(wanted: Window, theirs: Sequence[Window], rules: PlanRules) -> str | None:
    """Why a shopper may not take ``wanted`` given the visits they already hold, or None.

    The generator's rules, applied to a claim: another visit to the same branch whose window
    comes closer than ``min_days_apart`` days, or (for a one-day window) ``daily_cap`` visits
    already fixed on that day."""
    for other in theirs:
        if other.branch != wanted.branch or not rules.min_days_apart:
            continue
        gap = max((wanted.start - other.end).days, (other.start - wanted.end).days, 0)
        if gap < rules.min_days_apart:
            return (
                f"You already have a visit to {other.branch} from {other.start} to "
                f"{other.end}; one shopper's visits to a branch are at least "
                f"{rules.min_days_apart} days apart."
            )
    if wanted.start == wanted.end:
        same_day = sum(o.start == o.end == wanted.start for o in theirs)
        if same_day >= rules.daily_cap:
            return (
                f"You already have {same_day} visit(s) on {wanted.start}; "
                f"at most {rules.daily_cap} a day."
            )
    return None


def visit_state(status: str, window_start: dt.date, window_end: dt.date, today: dt.date) -> str:
    """What a visit is to its shopper on ``today`` (the branch's local date): ``done``,
    ``cancelled``, ``overdue`` (the window has passed), ``due`` (it is open today) or
    ``upcoming``."""
    if status in ("done", "cancelled"):
        return status
    if today > window_end:
        return "overdue"
    return "due" if today >= window_start else "upcoming"
