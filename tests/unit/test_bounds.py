"""The bounds in one place (audits.boundary.bounds, web.input_guard) and the answer bounds of
scoring."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from audits.boundary.bounds import ID_MAX, date_problem, field_error
from audits.fieldwork.schemas import AuditCreate
from checklists.model import Item, ItemType
from checklists.scoring import MAX_NUMBER, MAX_TEXT, _value_error
from web.input_guard import MAX_DEPTH, json_problems

BODY = {"id": "6f1c0c1e-1a1a-4a4a-9a9a-111111111111", "branch": "B1", "checklist": "c"}


@pytest.mark.parametrize(
    ("value", "inside"),
    [
        (dt.date(2000, 1, 1), True),
        (dt.date(2100, 12, 31), True),
        (dt.date(1999, 12, 31), False),
        (dt.datetime(9999, 12, 31, 23, 59), False),
        (dt.datetime(1, 1, 1), False),
    ],
)
def test_date_problem_calendar_window(value, inside):
    assert (date_problem(value) is None) is inside


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"visited_at": "0001-01-01T00:00:00+05:00"}, "visited_at"),
        ({"visited_at": "2026-01-01T10:00:00", "visit": ID_MAX + 1}, "visit"),
        ({"visited_at": "2026-01-01T10:00:00", "visit_minutes": -1}, "visit_minutes"),
        ({"visited_at": "2026-01-01T10:00:00", "staff_description": "a\x00"}, "staff_description"),
        ({"visited_at": "2026-01-01T10:00:00", "branch": "B" * 41}, "branch"),
    ],
)
def test_audit_create_out_of_bounds_names_the_field(changes, field):
    with pytest.raises(msgspec.ValidationError) as raised:
        msgspec.convert({**BODY, **changes}, AuditCreate)
    assert field_error(raised.value)[0] == field


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"a": {"b": "x\x00"}}, "a.b"),
        ({"a\x00": 1}, "a\\0"),
        ({"n": [1, float("inf")]}, "n.1"),
        ({"n": 2**63}, "n"),
        ([[[[]]]] * 2, None),
    ],
)
def test_json_problems_names_the_path(value, path):
    problems = json_problems(value)
    assert [p for p, _ in problems] == ([path] if path else [])


def test_json_problems_refuses_nesting_past_the_limit():
    deep: list = []
    for _ in range(MAX_DEPTH + 1):
        deep = [deep]
    assert json_problems(deep)[0][1].startswith("Nested too deeply")


@pytest.mark.parametrize(
    ("kind", "answer", "ok"),
    [
        (ItemType.number, MAX_NUMBER, True),
        (ItemType.number, 10**400, False),
        (ItemType.number, float("nan"), False),
        (ItemType.text, "x" * MAX_TEXT, True),
        (ItemType.text, "x" * (MAX_TEXT + 1), False),
        (ItemType.text, "Anna\x00", False),
    ],
)
def test_answer_bounds(kind, answer, ok):
    item = Item(key="q", type=kind, text={"en": "Q"})
    assert (_value_error(item, answer) is None) is ok
