"""The visit plan generator and coverage: rules, even cells, balanced and connected designs."""

import asyncio
import datetime as dt
from collections import Counter
from pathlib import Path

import msgspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audits.visits.plan_design import components
from audits.visits.plan_requests import PlanForm, propose_plan, shopper_loads
from audits.visits.plan_types import (
    Plan,
    PlanBranch,
    PlannedVisit,
    PlanRules,
    PlanShift,
    PlanShopper,
)
from audits.visits.planning import (
    CoverageVisit,
    Window,
    branch_counts,
    claim_conflict,
    coverage,
    generate_plan,
    plan_days,
)
from audits.visits.schemas import VisitError
from tests.unit.test_architecture import _imports

MONDAY = dt.date(2026, 3, 2)
SHIFTS = [PlanShift("morning"), PlanShift("afternoon"), PlanShift("evening")]


def _branches(n: int) -> list[PlanBranch]:
    return [PlanBranch(f"B{i:02d}", "north" if i % 2 else "south") for i in range(1, n + 1)]


def _shoppers(n: int, barred: dict[int, tuple[str, ...]] | None = None) -> list[PlanShopper]:
    barred = barred or {}
    return [PlanShopper(f"s{i}", ("north",), barred.get(i, ())) for i in range(n)]


def _plan(branches, shoppers, days=28, per_branch=6, rules=None, seed=1, **kwargs):
    return generate_plan(
        branches,
        kwargs.pop("shifts", SHIFTS),
        shoppers,
        start=MONDAY,
        end=MONDAY + dt.timedelta(days=days - 1),
        today=kwargs.pop("today", MONDAY),
        visits_per_branch=per_branch,
        rules=rules,
        seed=seed,
        **kwargs,
    )


def _broken_rules(plan, shoppers, rules) -> list[str]:
    barred = {s.name: set(s.barred) for s in shoppers}
    broken = []
    mine = [v for v in plan.visits if v.shopper]
    for shopper, date in Counter((v.shopper, v.date) for v in mine).items():
        if date > rules.daily_cap:
            broken.append(f"daily cap {shopper}")
    if len({(v.shopper, v.date, v.shift) for v in mine}) < len(mine):
        broken.append("two visits in one shift")
    for v in mine:
        if v.branch in barred[v.shopper]:
            broken.append(f"barred {v}")
        for w in mine:
            same = (w.shopper, w.branch) == (v.shopper, v.branch) and w is not v
            if same and abs((w.date - v.date).days) < rules.min_days_apart:
                broken.append(f"too close {v} {w}")
    return broken


plans = st.fixed_dictionaries(
    {
        "branches": st.integers(1, 8),
        "shoppers": st.integers(1, 8),
        "days": st.integers(1, 40),
        "per_branch": st.integers(0, 25),
        "gap": st.integers(0, 20),
        "cap": st.integers(1, 3),
        "seed": st.integers(0, 10_000),
        "bars": st.dictionaries(st.integers(0, 7), st.sets(st.integers(1, 8), max_size=4)),
    }
)


def _draw(case):
    branches = _branches(case["branches"])
    bars = {i: tuple(f"B{b:02d}" for b in sorted(codes)) for i, codes in case["bars"].items()}
    shoppers = _shoppers(case["shoppers"], bars)
    rules = PlanRules(min_days_apart=case["gap"], daily_cap=case["cap"])
    plan = _plan(branches, shoppers, case["days"], case["per_branch"], rules, case["seed"])
    return branches, shoppers, rules, plan


@settings(max_examples=150, deadline=None)
@given(plans)
def test_generate_plan_any_input_never_breaks_a_rule(case):
    _, shoppers, rules, plan = _draw(case)
    assert _broken_rules(plan, shoppers, rules) == []
    assert plan.unassigned == sum(v.shopper is None for v in plan.visits)


@settings(max_examples=150, deadline=None)
@given(plans)
def test_generate_plan_any_input_spreads_each_branch_over_its_cells_evenly(case):
    branches, _, _, plan = _draw(case)
    assert len(plan.visits) == case["per_branch"] * case["branches"]
    for branch in branches:
        cells = Counter((v.date.weekday(), v.shift) for v in plan.visits if v.branch == branch.code)
        possible = min(case["days"], 7) * len(SHIFTS)
        if case["per_branch"] >= possible:
            assert len(cells) == possible
        elif cells:
            assert max(cells.values()) == 1


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 8), st.integers(2, 10), st.integers(7, 35), st.integers(1, 8), st.integers(0, 99)
)
def test_generate_plan_no_bars_balances_loads_within_one(branches, shoppers, days, per, seed):
    people = _shoppers(shoppers)
    plan = _plan(_branches(branches), people, days, per, PlanRules(0, 3), seed)
    if plan.unassigned == 0:
        loads = Counter(v.shopper for v in plan.visits)
        counts = [loads[s.name] for s in people]
        assert max(counts) - min(counts) <= 1


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 10), st.integers(3, 8), st.integers(2, 6), st.integers(0, 999))
def test_generate_plan_enough_visits_is_connected_and_rotates(branches, shoppers, per, seed):
    # A connected design needs edges for a spanning tree; two visits a shopper make it roomy.
    assume(branches * per >= 2 * shoppers)
    plan = _plan(_branches(branches), _shoppers(shoppers), 28, per, PlanRules(2, 2), seed)
    assume(plan.unassigned == 0)  # near capacity a visit may stay open; see the test below
    edges = [(v.shopper, v.branch) for v in plan.visits]
    assert plan.connected and len(components(edges)) == 1
    for branch in _branches(branches):
        seen = {v.shopper for v in plan.visits if v.branch == branch.code}
        assert len(seen) >= min(2, shoppers)


@pytest.mark.parametrize("seed", range(10))
def test_generate_plan_demo_sized_month_leaves_nothing_open_and_is_balanced(seed):
    shoppers = _shoppers(12)
    plan = _plan(_branches(24), shoppers, 28, 6, PlanRules(14, 1), seed)
    loads = Counter(v.shopper for v in plan.visits)
    assert plan.unassigned == 0 and plan.connected
    assert {loads[s.name] for s in shoppers} == {12}


def test_generate_plan_same_seed_same_plan_other_seed_other_plan():
    branches, shoppers = _branches(6), _shoppers(5)
    assert _plan(branches, shoppers, seed=3) == _plan(branches, shoppers, seed=3)
    assert _plan(branches, shoppers, seed=3) != _plan(branches, shoppers, seed=4)


def test_generate_plan_cells_at_least_visits_covers_every_cell():
    branches = _branches(4)
    plan = _plan(branches, _shoppers(6), days=28, per_branch=21)
    result = coverage(
        [CoverageVisit(v.branch, v.date, v.shift) for v in plan.visits], branches, SHIFTS
    )
    assert result.gaps == [] and result.most == 1


def test_generate_plan_period_partly_past_plans_from_today():
    plan = _plan(_branches(3), _shoppers(3), today=MONDAY + dt.timedelta(days=10))
    assert min(v.date for v in plan.visits) >= MONDAY + dt.timedelta(days=10)


def test_generate_plan_barred_everywhere_leaves_visits_open():
    shoppers = [PlanShopper("only", barred=("B01",))]
    plan = _plan(_branches(2), shoppers, per_branch=2, rules=PlanRules(0, 1))
    assert {v.shopper for v in plan.visits if v.branch == "B01"} == {None}
    assert plan.unassigned == 2


def test_generate_plan_home_region_preferred_when_loads_allow():
    branches = [PlanBranch("N1", "north"), PlanBranch("S1", "south")]
    shoppers = [PlanShopper("n", ("north",)), PlanShopper("s", ("south",))]
    plan = _plan(branches, shoppers, days=7, per_branch=1)
    assert {(v.shopper, v.branch) for v in plan.visits} == {("n", "N1"), ("s", "S1")}


def test_generate_plan_branch_shift_only_at_that_branch():
    shifts = [*SHIFTS, PlanShift("night", "B01")]
    plan = _plan(_branches(2), _shoppers(4), per_branch=28, shifts=shifts)
    assert {v.branch for v in plan.visits if v.shift == "night"} == {"B01"}


@pytest.mark.parametrize(
    ("per_branch", "total", "expected"),
    [(3, None, [3, 3, 3]), (None, 7, [2, 2, 3]), (None, 2, [0, 1, 1]), (None, 0, [0, 0, 0])],
)
def test_branch_counts_per_branch_or_total_shares_evenly(per_branch, total, expected):
    counts = branch_counts(_branches(3), per_branch, total, seed=5)
    assert sorted(counts.values()) == expected


def test_plan_days_past_period_is_empty():
    assert plan_days(MONDAY, MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=9)) == []


def test_coverage_counts_planned_and_done_skips_cancelled_lists_gaps():
    branches = _branches(1)
    visits = [
        CoverageVisit("B01", MONDAY, "morning"),
        CoverageVisit("B01", MONDAY + dt.timedelta(days=7), "morning", "done"),
        CoverageVisit("B01", MONDAY, "evening", "cancelled"),
        CoverageVisit("B01", MONDAY, None),
    ]
    result = coverage(visits, branches, SHIFTS)
    morning = next(r for r in result.rows if r.shift == "morning")
    assert morning.planned[0] == 1 and morning.done[0] == 1 and result.most == 2
    assert [r.shift for r in result.rows] == ["morning", "afternoon", "evening", None]
    assert len(result.gaps) == 3 * 7 - 1
    assert all(gap.shift is not None for gap in result.gaps)


@pytest.mark.parametrize(
    "module",
    ["audits/visits/planning.py", "audits/visits/plan_design.py", "audits/visits/plan_types.py"],
)
def test_planning_module_imports_neither_piccolo_nor_litestar(module):
    root = Path(__file__).resolve().parents[2]
    assert _imports(root / module) & {"piccolo", "litestar"} == set()


D = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    "held, wanted, conflict",
    [
        ([], Window("B1", D, D), False),
        ([Window("B1", D, D)], Window("B1", D + dt.timedelta(days=13), D + dt.timedelta(13)), True),
        (
            [Window("B1", D, D)],
            Window("B1", D + dt.timedelta(days=14), D + dt.timedelta(14)),
            False,
        ),
        # windows: the gap is between the end of one and the start of the other
        (
            [Window("B1", D, D + dt.timedelta(6))],
            Window("B1", D + dt.timedelta(19), D + dt.timedelta(25)),
            True,
        ),
        ([Window("B1", D, D)], Window("B2", D + dt.timedelta(1), D + dt.timedelta(1)), False),
        # a second fixed visit on the same day breaks the daily cap of 1, at any branch
        ([Window("B2", D, D)], Window("B1", D, D), True),
        # a window of several days leaves the shopper room to pick another day
        ([Window("B2", D, D)], Window("B1", D, D + dt.timedelta(2)), False),
    ],
)
def test_claim_conflict_applies_the_generator_rules(held, wanted, conflict):
    reason = claim_conflict(wanted, held, PlanRules())
    assert (reason is not None) is conflict


def test_claim_conflict_message_names_the_rule():
    reason = claim_conflict(Window("B1", D, D), [Window("B1", D, D)], PlanRules(min_days_apart=7))
    assert "B1" in reason and "7 days apart" in reason
    assert (
        claim_conflict(Window("B1", D, D), [Window("B1", D, D)], PlanRules(0, daily_cap=2)) is None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "1st of May"}, "Period"),
        ({"start": "2026-06-01", "end": "2026-05-01"}, "Period"),
        ({"min_days_apart": "-1"}, "Days apart"),
        ({"daily_cap": "0"}, "Daily cap"),
        ({"visits_per_branch": "many"}, "Visits per branch"),
    ],
)
def test_proposed_plan_names_the_setting_that_is_wrong(change, field):
    form = msgspec.structs.replace(PlanForm.default(dt.date(2026, 4, 10)), **change)
    with pytest.raises(VisitError, match=f"^{field}: "):
        asyncio.run(propose_plan(form, dt.date(2026, 4, 10)))


def test_default_plan_form_is_next_month():
    form = PlanForm.default(dt.date(2026, 12, 20))
    assert (form.start, form.end, form.label) == ("2027-01-01", "2027-01-31", "2027-01")


def test_shopper_loads_count_each_shoppers_visits_and_leave_open_ones_out():
    visits = [
        PlannedVisit("B1", dt.date(2026, 5, 4), "morning", "zoe"),
        PlannedVisit("B2", dt.date(2026, 5, 5), "evening", "ann"),
        PlannedVisit("B1", dt.date(2026, 5, 6), "evening", "zoe"),
        PlannedVisit("B3", dt.date(2026, 5, 7), "morning", None),
    ]
    plan = Plan(visits=visits, unassigned=1, connected=True)
    assert shopper_loads(plan) == [("ann", 1), ("zoe", 2)]
