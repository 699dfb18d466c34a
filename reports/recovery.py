"""Recovery figures of corrective actions, as pure functions over plain facts.

The facts come from ``audits.actions.selectors.recovery_facts(user, now=...)``; the figures are
what the actions pages and the branch and head-office reports show:

- **open**: actions still waiting (open, or done and waiting for head office);
- **overdue**: open past their due date on the branch's calendar;
- **median days to close**: over actions closed as fixed (verified by head office or by a
  visit), from the day it opened to the day it closed;
- **recurrence rate**: of the actions a later visit re-checked, the share where the item failed
  again (None when no visit re-checked any).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable

import msgspec

from audits.actions.rules import ACTIVE, FIXED, ActionFact, State


class RecoveryRow(msgspec.Struct, frozen=True):
    """The figures of one group of actions (a branch, an item, or all)."""

    key: str
    total: int
    open: int
    overdue: int
    closed_fixed: int
    median_days_to_close: float | None
    rechecked: int
    recurred: int
    recurrence_rate: float | None


class RecoveryFigures(msgspec.Struct, frozen=True):
    total: RecoveryRow
    branches: list[RecoveryRow]
    items: list[RecoveryRow]


def recovery_row(key: str, facts: Iterable[ActionFact]) -> RecoveryRow:
    facts = list(facts)
    days = [
        (f.closed_on - f.opened_on).days
        for f in facts
        if f.state in FIXED and f.closed_on is not None
    ]
    rechecked = sum(1 for f in facts if f.rechecked)
    recurred = sum(1 for f in facts if f.state is State.recurred)
    return RecoveryRow(
        key=key,
        total=len(facts),
        open=sum(1 for f in facts if f.state in ACTIVE),
        overdue=sum(1 for f in facts if f.overdue),
        closed_fixed=len(days),
        median_days_to_close=float(statistics.median(days)) if days else None,
        rechecked=rechecked,
        recurred=recurred,
        recurrence_rate=recurred / rechecked if rechecked else None,
    )


def _grouped(facts: list[ActionFact], key: Callable[[ActionFact], str]) -> list[RecoveryRow]:
    groups: dict[str, list[ActionFact]] = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    return [recovery_row(name, groups[name]) for name in sorted(groups)]


def recovery_figures(facts: Iterable[ActionFact]) -> RecoveryFigures:
    """Figures for all the facts, per branch (by code) and per item (by key), sorted by key."""
    facts = list(facts)
    return RecoveryFigures(
        total=recovery_row("all", facts),
        branches=_grouped(facts, lambda f: f.branch),
        items=_grouped(facts, lambda f: f.item_key),
    )
