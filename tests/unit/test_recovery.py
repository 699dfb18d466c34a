"""Recovery figures over plain facts: counts, median days to close, recurrence rate."""

import datetime as dt

from audits.actions.rules import ActionFact, State
from reports.recovery import recovery_figures, recovery_row

D = dt.date(2026, 1, 1)


def fact(
    branch="B1", item="a", state=State.open, opened=0, closed=None, overdue=False, rechecked=False
):
    return ActionFact(
        branch=branch,
        item_key=item,
        state=state,
        opened_on=D + dt.timedelta(days=opened),
        closed_on=None if closed is None else D + dt.timedelta(days=closed),
        overdue=overdue,
        rechecked=rechecked,
    )


def test_recovery_row_of_nothing_has_no_rates():
    row = recovery_row("x", [])
    assert (row.total, row.open, row.median_days_to_close, row.recurrence_rate) == (
        0,
        0,
        None,
        None,
    )


def test_recovery_row_counts_open_overdue_and_median_of_fixed_only():
    facts = [
        fact(state=State.open, overdue=True),
        fact(state=State.done),
        fact(state=State.verified, opened=0, closed=4),
        fact(state=State.verified_by_visit, opened=2, closed=12, rechecked=True),
        fact(state=State.verified, opened=1, closed=7, rechecked=True),
        fact(state=State.recurred, opened=0, closed=30, rechecked=True),  # not a fix
    ]
    row = recovery_row("all", facts)
    assert (row.total, row.open, row.overdue, row.closed_fixed) == (6, 2, 1, 3)
    assert row.median_days_to_close == 6.0  # of 4, 10, 6
    assert (row.rechecked, row.recurred) == (3, 1)
    assert row.recurrence_rate == 1 / 3


def test_recovery_figures_group_by_branch_and_item_sorted():
    facts = [
        fact("B2", "b", State.recurred, rechecked=True),
        fact("B1", "b", State.verified_by_visit, 0, 3, rechecked=True),
        fact("B1", "a"),
    ]
    figures = recovery_figures(facts)
    assert [r.key for r in figures.branches] == ["B1", "B2"]
    assert [r.key for r in figures.items] == ["a", "b"]
    assert figures.branches[1].recurrence_rate == 1.0 and figures.branches[0].recurrence_rate == 0
    assert figures.items[1].recurrence_rate == 0.5 and figures.total.total == 3
