"""Precision planning: the budget kept, decisions bought where they are cheap, the least known
branches first after that, within the generator's rules; what a plan is expected to buy."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audits.visits.plan_types import PlanRules
from audits.visits.precision import (
    Z95,
    BranchKnowledge,
    Knowledge,
    allocate,
    outlook,
    uniform_counts,
    visits_for_decision,
    weights,
)
from tests.unit.test_planning import _branches, _broken_rules, _plan, _shoppers

STANDARD = 80.0
NOISE = 81.0  # one visit's variance around its branch's level: a 9-point spread


def _knowledge(*branches: tuple[str, float, float]) -> Knowledge:
    return Knowledge([BranchKnowledge(c, level, se) for c, level, se in branches], STANDARD, NOISE)


knowledge_cases = st.lists(
    st.tuples(st.floats(40, 100), st.floats(0.5, 15)), min_size=1, max_size=30
).map(lambda rows: _knowledge(*((f"B{n:02d}", lv, se) for n, (lv, se) in enumerate(rows))))


@settings(max_examples=200, deadline=None)
@given(knowledge_cases, st.integers(0, 400), st.integers(0, 3))
def test_allocate_spends_exactly_the_budget_and_the_minimum_first(knowledge, budget, minimum):
    counts = allocate(budget, knowledge, minimum=minimum)
    assert sum(counts.values()) == budget
    assert set(counts) == {b.code for b in knowledge.branches}
    if budget >= minimum * len(knowledge.branches):
        assert min(counts.values()) >= minimum


def test_allocate_weighs_the_standard_and_crowded_ranks_and_caps_any_bet():
    knowledge = _knowledge(
        ("at_standard", 80.5, 4.0),  # a verdict still open, in the crowd
        ("crowd1", 79.0, 4.0),
        ("crowd2", 81.5, 4.0),
        ("alone", 45.0, 4.0),  # as uncertain, but far from the standard and from everyone
    )
    worth = weights(knowledge)
    assert worth["at_standard"] > worth["crowd1"] > worth["alone"] >= 1
    counts = allocate(20, knowledge)
    assert counts["at_standard"] > counts["alone"] >= 1
    assert max(counts.values()) <= 2 * 20 / 4  # never more than twice an even share


def test_allocate_past_every_cap_still_spends_the_budget():
    knowledge = _knowledge(("a", 80.0, 3.0), ("b", 60.0, 3.0))
    assert sum(allocate(9, knowledge).values()) == 9


def test_allocate_gives_the_rest_to_the_least_known_branches():
    knowledge = _knowledge(("old", 60.0, 2.0), ("new", 60.0, 8.0), ("mid", 60.0, 4.0))
    counts = allocate(9, knowledge)
    assert counts["new"] > counts["mid"] > counts["old"] >= 1


def test_allocate_same_inputs_same_counts():
    knowledge = _knowledge(*((f"B{n}", 70 + n, 3 + n % 4) for n in range(12)))
    assert allocate(50, knowledge) == allocate(50, knowledge)


@pytest.mark.parametrize(("level", "se"), [(86.0, 4.0), (74.0, 6.0), (83.0, 3.0), (60.0, 9.0)])
def test_visits_for_decision_is_the_first_count_that_clears_the_standard(level, se):
    knowledge = _knowledge(("B", level, se))
    need = visits_for_decision(knowledge.branches[0], knowledge)
    assert need is not None

    def clear(k: int) -> bool:
        after = outlook(knowledge, {"B": k}).branches[0]
        return Z95 * after.se_after < abs(level - STANDARD)

    assert clear(need) and (need == 0 or not clear(need - 1))


def test_visits_for_decision_on_the_standard_is_none():
    knowledge = _knowledge(("B", STANDARD, 3.0))
    assert visits_for_decision(knowledge.branches[0], knowledge) is None


def test_outlook_narrows_every_interval_and_decides_more_with_more_visits():
    knowledge = _knowledge(("a", 86.0, 4.0), ("b", 74.0, 5.0), ("c", 80.5, 3.0))
    before = outlook(knowledge, {})
    after = outlook(knowledge, allocate(30, knowledge))
    assert before.decided_after == pytest.approx(before.decided_before)
    assert after.decided_after > before.decided_after
    for b in after.branches:
        assert b.se_after < b.se_before and b.half_width_after == pytest.approx(Z95 * b.se_after)
    assert after.mean_half_width < before.mean_half_width_before


def test_precision_plan_beats_an_even_plan_on_the_expected_decisions():
    knowledge = _knowledge(*((f"B{n:02d}", 68 + 2.5 * n, 3.0 + (n % 3)) for n in range(10)))
    budget = 40
    precise = outlook(knowledge, allocate(budget, knowledge))
    even = outlook(knowledge, uniform_counts(budget, [b.code for b in knowledge.branches]))
    assert precise.visits == even.visits == budget
    assert precise.decided_after > even.decided_after
    assert precise.worst_half_width <= even.worst_half_width


def test_generated_plan_with_precision_counts_keeps_every_rule():
    branches, shoppers = _branches(6), _shoppers(4)
    knowledge = _knowledge(*((b.code, 70 + 3 * n, 2 + n) for n, b in enumerate(branches)))
    counts = allocate(30, knowledge)
    rules = PlanRules(min_days_apart=7, daily_cap=1)
    plan = _plan(branches, shoppers, rules=rules, counts=counts)
    assert _broken_rules(plan, shoppers, rules) == []
    planned = {b.code: sum(v.branch == b.code for v in plan.visits) for b in branches}
    assert planned == counts
    assert plan.connected


def test_uniform_counts_share_the_budget_evenly():
    assert uniform_counts(10, ["a", "b", "c"]) == {"a": 4, "b": 3, "c": 3}
    assert uniform_counts(0, []) == {}
