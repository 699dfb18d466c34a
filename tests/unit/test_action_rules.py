"""The rules of corrective actions: what opens, severity and due dates, allowed steps,
overdue on the branch's calendar, and what the next visit's answer does."""

import datetime as dt

import pytest

from audits.actions.rules import (
    DUE_DAYS,
    Severity,
    State,
    Step,
    due_date,
    is_due_soon,
    is_overdue,
    openings,
    opens_action,
    recheck,
    severity_of,
    step_allowed,
)
from checklists.model import ActionRule, Checklist, Item, ItemType, Section
from checklists.scoring import score_audit

DAY = dt.date(2026, 3, 10)


def _doc() -> Checklist:
    def yes_no(key, **extra):
        return Item(key=key, type=ItemType.yes_no, text={"en": key}, **extra)

    items = [
        yes_no("always_item"),
        yes_no("heavy_item", weight=2.0),
        yes_no("only_if_critical", action=ActionRule.critical),
        yes_no("never_item", action=ActionRule.never),
        yes_no("critical_item", critical=True, action=ActionRule.critical),
        yes_no("na_item", na_allowed=True),
    ]
    return Checklist(slug="t", title={"en": "T"}, sections=[Section("s", {"en": "S"}, items)])


def _answers(**failed) -> dict:
    keys = [i.key for i in _doc().items()]
    return {k: not failed.get(k, False) for k in keys}


@pytest.mark.parametrize(
    "rule, critical_fail, opens",
    [
        (ActionRule.always, False, True),
        (ActionRule.always, True, True),
        (ActionRule.critical, False, False),
        (ActionRule.critical, True, True),
        (ActionRule.never, True, False),
    ],
)
def test_opens_action_follows_the_items_rule(rule, critical_fail, opens):
    assert opens_action(rule, critical_fail) is opens


def test_openings_without_critical_failure_skip_critical_and_never_rules():
    doc = _doc()
    score = score_audit(doc, _answers(always_item=True, only_if_critical=True, never_item=True))
    assert [o.item_key for o in openings(doc, score, frozenset())] == ["always_item"]


def test_openings_with_a_critical_failure_include_critical_rule_items():
    doc = _doc()
    score = score_audit(doc, _answers(critical_item=True, only_if_critical=True, never_item=True))
    opened = {o.item_key: o for o in openings(doc, score, frozenset())}
    assert set(opened) == {"only_if_critical", "critical_item"}
    assert (
        opened["critical_item"].severity is Severity.critical and opened["critical_item"].critical
    )


def test_recurring_item_opens_whatever_its_rule():
    doc = _doc()
    score = score_audit(doc, _answers(only_if_critical=True))
    assert [o.item_key for o in openings(doc, score, frozenset({"only_if_critical"}))] == [
        "only_if_critical"
    ]


@pytest.mark.parametrize(
    "critical, weight, severity",
    [
        (True, 1.0, Severity.critical),
        (False, 2.0, Severity.major),
        (False, 1.5, Severity.major),
        (False, 1.0, Severity.minor),
    ],
)
def test_severity_of_critical_then_weight(critical, weight, severity):
    assert severity_of(critical, weight) is severity


def test_due_date_is_sooner_for_more_severe():
    dues = [due_date(DAY, s) for s in (Severity.critical, Severity.major, Severity.minor)]
    assert dues == sorted(dues) and dues[0] == DAY + dt.timedelta(days=DUE_DAYS[Severity.critical])


@pytest.mark.parametrize(
    "state, today, overdue",
    [
        (State.open, DAY, False),  # due today is not late yet
        (State.open, DAY + dt.timedelta(days=1), True),
        (State.done, DAY + dt.timedelta(days=9), False),  # waits for head office, not the branch
        (State.verified, DAY + dt.timedelta(days=9), False),
    ],
)
def test_is_overdue_only_open_past_the_due_date(state, today, overdue):
    assert is_overdue(state, DAY, today) is overdue


def test_is_due_soon_today_and_tomorrow_only():
    assert is_due_soon("open", DAY, DAY) and is_due_soon("open", DAY + dt.timedelta(days=1), DAY)
    assert not is_due_soon("open", DAY + dt.timedelta(days=2), DAY)
    assert not is_due_soon("open", DAY - dt.timedelta(days=1), DAY)  # overdue, not due


def test_recheck_pass_verifies_fail_recurs_unanswered_leaves_alone():
    doc = _doc()
    score = score_audit(doc, {**_answers(always_item=True), "na_item": "na"})
    assert recheck(score, "always_item") is State.recurred
    assert recheck(score, "heavy_item") is State.verified_by_visit
    assert recheck(score, "na_item") is None
    assert recheck(score, "not_in_this_checklist") is None


@pytest.mark.parametrize(
    "step, allowed",
    [
        (Step.done, {State.open}),
        (Step.verify, {State.open, State.done}),
        (Step.reopen, {State.done, State.verified, State.verified_by_visit}),
        (Step.note, set(State)),
    ],
)
def test_step_allowed_from(step, allowed):
    assert {s for s in State if step_allowed(step, s)} == allowed
