"""The form's pure rules of issue 17: which answers fail an item (the scoring's own rule, as
the page's script receives it), what a failure asks for, and the visit time a planned visit
proposes."""

from __future__ import annotations

import datetime as dt

import msgspec

from audits.fieldwork.filing import on_fail_errors
from audits.fieldwork.rules import ShiftWindow, proposed_visit_time
from audits.fieldwork.schemas import AuditCreate
from checklists.model import Ask, Checklist, OnFail
from checklists.scoring import score_audit
from web.audit_form import answer_from_field, form_rules

DOC = msgspec.convert(
    {
        "slug": "t",
        "title": {"en": "T"},
        "sections": [
            {
                "key": "s",
                "title": {"en": "S"},
                "items": [
                    {
                        "key": "yn",
                        "type": "yes_no",
                        "text": {"en": "?"},
                        "on_fail": {"comment": "required", "photo": "required"},
                    },
                    {"key": "sc", "type": "scale", "text": {"en": "?"}, "pass_mark": 0.6},
                    {
                        "key": "wait",
                        "type": "number",
                        "text": {"en": "?"},
                        "target": {"full_at": 2, "zero_at": 12},
                    },
                    {"key": "note", "type": "text", "text": {"en": "?"}, "required": False},
                ],
            }
        ],
    },
    Checklist,
)


def _rule(key: str) -> dict:
    return next(r for r in form_rules(DOC)["items"] if r["key"] == key)


def test_form_rules_fail_exactly_where_scoring_fails():
    for key in ("yn", "sc"):
        item = DOC.item(key)
        for value in _rule(key)["answers"]:
            answer = answer_from_field(item, value)
            failed = {f.key for f in score_audit(DOC, {key: answer}).failed}
            assert (value in _rule(key)["fails"]) == (key in failed), (key, value)
    assert _rule("yn")["on_fail"] == {"comment": "required", "photo": "required"}
    assert _rule("sc")["on_fail"] == {"comment": "offered", "photo": "offered"}
    assert "fails" not in _rule("note")


def test_number_passes_within_the_range_scoring_passes():
    low, high = _rule("wait")["passes"]
    assert low is None and high == 7.0  # lower is better: half-way to zero points
    for value in (6.9, 7.0, 7.1, 11):
        failed = bool(score_audit(DOC, {"wait": value}).failed)
        assert failed == (value > high)


def test_on_fail_names_the_missing_comment_and_photo():
    audit = AuditCreate(
        id="5d9a0c3e-8f5b-4c1e-9a7d-2b6e4f1a3c5d",
        branch="B",
        checklist="t",
        visited_at=dt.datetime(2026, 3, 10, 10),
        answers={"yn": False},
    )
    assert [e.key for e in on_fail_errors(DOC, audit, score_audit(DOC, audit.answers))] == [
        "comments.yn",
        "photos.yn",
    ]
    done = msgspec.structs.replace(
        audit, comments={"yn": "Rude."}, photos={"yn": ["5d9a0c3e-8f5b-4c1e-9a7d-2b6e4f1a3c5e"]}
    )
    assert on_fail_errors(DOC, done, score_audit(DOC, done.answers)) == []
    assert (
        on_fail_errors(
            DOC,
            msgspec.structs.replace(audit, answers={"yn": True}),
            score_audit(DOC, {"yn": True}),
        )
        == []
    )
    assert OnFail() == OnFail(comment=Ask.offered, photo=Ask.offered)


MORNING = ShiftWindow("morning", 7 * 60, 12 * 60)
NOW = dt.datetime(2026, 3, 10, 15, 20)


def test_now_inside_the_window_and_shift_is_proposed():
    now = dt.datetime(2026, 3, 10, 9, 5)
    assert proposed_visit_time(now, (dt.date(2026, 3, 9), dt.date(2026, 3, 12)), MORNING) == now
    no_shift = proposed_visit_time(NOW, (dt.date(2026, 3, 9), dt.date(2026, 3, 12)), None)
    assert no_shift == NOW


def test_outside_the_shift_the_last_shift_start_that_has_passed():
    window = (dt.date(2026, 3, 9), dt.date(2026, 3, 12))
    assert proposed_visit_time(NOW, window, MORNING) == dt.datetime(2026, 3, 10, 7, 0)
    early = dt.datetime(2026, 3, 10, 6, 0)  # today's shift is still to come: yesterday's
    assert proposed_visit_time(early, window, MORNING) == dt.datetime(2026, 3, 9, 7, 0)


def test_a_window_in_the_past_or_ahead_gives_a_day_of_the_window():
    past = (dt.date(2026, 3, 1), dt.date(2026, 3, 3))
    assert proposed_visit_time(NOW, past, MORNING) == dt.datetime(2026, 3, 3, 7, 0)
    ahead = (dt.date(2026, 3, 20), dt.date(2026, 3, 22))
    assert proposed_visit_time(NOW, ahead, MORNING) == dt.datetime(2026, 3, 20, 7, 0)
    assert proposed_visit_time(NOW, ahead, None) == dt.datetime(2026, 3, 20, 15, 20)
