"""Cases for checklists.scoring: item scores, conditions, audit scores, validation, restrict."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from checklists import scoring
from checklists.model import (
    Checklist,
    ChoiceOption,
    Condition,
    CriticalPolicy,
    Dimension,
    Item,
    ItemType,
    NumberTarget,
    ScaleSpec,
    Section,
)
from checklists.scoring import (
    NA,
    ItemStatus,
    applicable_items,
    item_score,
    restrict,
    score_audit,
    validate_answers,
)

YES_NO, SCALE, CHOICE, NUMBER = ItemType.yes_no, ItemType.scale, ItemType.choice, ItemType.number
TEXT, PHOTO = ItemType.text, ItemType.photo
OPTIONS = [
    ChoiceOption(value="good", label={"en": "Good"}, points=2),
    ChoiceOption(value="partly", label={"en": "Partly"}, points=1),
    ChoiceOption(value="bad", label={"en": "Bad"}, points=0),
]
WAIT = NumberTarget(full_at=3, zero_at=10, unit={"en": "min"})  # lower is better
SEATS = NumberTarget(full_at=10, zero_at=0)  # higher is better


def _item(key: str, type_: ItemType = YES_NO, **fields: object) -> Item:
    defaults: dict[str, object] = {
        SCALE: {"scale": ScaleSpec(min=1, max=5)},
        CHOICE: {"options": OPTIONS},
        NUMBER: {"target": WAIT},
    }.get(type_, {})
    return Item(key=key, type=type_, text={"en": key}, **{**defaults, **fields})


def _section(key: str, *items: Item, weight: float = 1.0) -> Section:
    return Section(key=key, title={"en": key}, items=list(items), weight=weight)


def _doc(*sections: Section, cap: float = 0.0) -> Checklist:
    return Checklist(
        slug="t", title={"en": "T"}, sections=list(sections), critical_policy=CriticalPolicy(cap)
    )


def _when(source: str, *values: object) -> Condition:
    return Condition(item=source, in_=list(values))


# item_score


@pytest.mark.parametrize(
    ("item", "answer", "expected"),
    [
        (_item("q"), True, 1.0),
        (_item("q"), False, 0.0),
        (_item("q"), "yes", 1.0),
        (_item("q"), "no", 0.0),
        (_item("q"), "Yes", 1.0),
        (_item("q", SCALE), 1, 0.0),
        (_item("q", SCALE), 3, 0.5),
        (_item("q", SCALE), 5, 1.0),
        (_item("q", SCALE, scale=ScaleSpec(min=0, max=10)), 7, 0.7),
        (_item("q", SCALE, scale=ScaleSpec(min=3, max=3)), 3, 1.0),
        (_item("q", CHOICE), "good", 1.0),
        (_item("q", CHOICE), "partly", 0.5),
        (_item("q", CHOICE), "bad", 0.0),
        (_item("q", CHOICE, options=[ChoiceOption("x", {"en": "X"})]), "x", 0.0),
        (_item("q", NUMBER), 2, 1.0),
        (_item("q", NUMBER), 3, 1.0),
        (_item("q", NUMBER), 6.5, 0.5),
        (_item("q", NUMBER), 10, 0.0),
        (_item("q", NUMBER), 25.0, 0.0),
        (_item("q", NUMBER, target=SEATS), 5, 0.5),
        (_item("q", NUMBER, target=SEATS), 15, 1.0),
        (_item("q", NUMBER, target=SEATS), -1, 0.0),
    ],
)
def test_item_score_valid_answer_scores_between_zero_and_one(item, answer, expected):
    assert item_score(item, answer) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("item", "answer"),
    [
        (_item("q", TEXT), "Friendly staff"),
        (_item("q", PHOTO), "evidence/42.jpg"),
        (_item("q"), NA),
        (_item("q", SCALE), NA),
        (_item("q"), None),
        (_item("q", CHOICE), ""),
        (_item("q", NUMBER, target=None), 4),
    ],
)
def test_item_score_unscored_na_or_missing_is_none(item, answer):
    assert item_score(item, answer) is None


@pytest.mark.parametrize(
    ("item", "answer"),
    [
        (_item("q"), "maybe"),
        (_item("q"), 1),
        (_item("q", SCALE), 6),
        (_item("q", SCALE), 2.5),
        (_item("q", SCALE), True),
        (_item("q", CHOICE), "great"),
        (_item("q", NUMBER), "7"),
        (_item("q", NUMBER), True),
        (_item("q", NUMBER), float("nan")),
    ],
)
def test_item_score_invalid_value_raises(item, answer):
    with pytest.raises(ValueError, match="^q: "):
        item_score(item, answer)


# applicable_items

GATED = _doc(
    _section(
        "s",
        _item("served"),
        _item("why", TEXT, condition=_when("served", False)),
        _item("rating", SCALE, condition=_when("served", "yes")),
        _item("praise", TEXT, condition=_when("rating", 4, 5)),
    )
)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"served"}),
        ({"served": True}, {"served", "rating"}),
        ({"served": "yes"}, {"served", "rating"}),
        ({"served": "no"}, {"served", "why"}),
        ({"served": True, "rating": 5}, {"served", "rating", "praise"}),
        ({"served": True, "rating": 3}, {"served", "rating"}),
        ({"served": NA}, {"served"}),
        # rating is answered but hidden, so the item it gates stays hidden too
        ({"served": False, "rating": 5}, {"served", "why"}),
    ],
)
def test_applicable_items_conditions_follow_answers_and_chains(answers, expected):
    assert applicable_items(GATED, answers) == expected


@pytest.mark.parametrize(
    ("values", "answer"),
    [([True], "yes"), (["yes"], True), (["no"], False), ([3], "3"), (["4"], 4), ([2.0], 2)],
)
def test_applicable_items_condition_values_compare_loosely_match(values, answer):
    doc = _doc(_section("s", _item("a", TEXT), _item("b", condition=_when("a", *values))))
    assert applicable_items(doc, {"a": answer}) == {"a", "b"}


def test_applicable_items_cycle_never_holds():
    doc = _doc(
        _section(
            "s", _item("a", condition=_when("b", True)), _item("b", condition=_when("a", True))
        )
    )
    assert applicable_items(doc, {"a": True, "b": True}) == set()


def test_applicable_items_source_outside_document_uses_raw_answer():
    doc = _doc(_section("s", _item("b", condition=_when("a", True))))
    assert applicable_items(doc, {"a": "yes"}) == {"b"}
    assert applicable_items(doc, {"a": "no"}) == set()


# score_audit


def test_score_audit_item_weights_scale_ceiling_and_sum():
    doc = _doc(_section("s", _item("a", weight=1), _item("b", weight=3)))
    result = score_audit(doc, {"a": True, "b": False})
    assert result.score == pytest.approx(25.0)
    assert (result.sections[0].earned, result.sections[0].possible) == (1.0, 4.0)
    assert score_audit(doc, {"a": False, "b": True}).score == pytest.approx(75.0)
    assert score_audit(doc, {"a": True, "b": True}).score == pytest.approx(100.0)


def test_score_audit_section_weights_give_weighted_mean():
    doc = _doc(_section("a", _item("x")), _section("b", _item("y"), weight=3))
    result = score_audit(doc, {"x": True, "y": False})
    assert [s.score for s in result.sections] == [100.0, 0.0]
    assert result.score == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("answers", "score", "counts"),
    [
        ({"a": True, "b": NA, "c": "fine"}, 100.0, (2, 1, 0, 1)),
        ({"a": True, "c": "fine"}, 100.0, (2, 0, 0, 2)),
        ({"a": True, "b": False, "c": "fine"}, 50.0, (3, 0, 0, 1)),
        ({"a": False, "b": True, "c": "x", "d": True}, 50.0, (3, 0, 1, 0)),
        ({"a": False, "b": True, "c": "x", "d": False}, 50.0, (3, 0, 1, 0)),
        ({"a": True, "b": NA, "c": "x", "d": False}, 50.0, (3, 1, 0, 0)),
    ],
)
def test_score_audit_na_unanswered_and_hidden_items_leave_score(answers, score, counts):
    doc = _doc(
        _section(
            "s",
            _item("a", na_allowed=True),
            _item("b", na_allowed=True),
            _item("c", TEXT),
            _item("d", condition=_when("a", True)),
        )
    )
    result = score_audit(doc, answers)
    assert result.score == pytest.approx(score)
    assert (result.answered, result.na, result.not_applicable, result.unanswered) == counts


@pytest.mark.parametrize(
    "answers",
    [{"t": "ok", "p": "evidence/1.jpg", "y": True}, {"t": "ok", "n": NA, "y": True}, {"y": True}],
)
def test_score_audit_section_with_nothing_scored_is_none_and_leaves_mean(answers):
    doc = _doc(
        _section("notes", _item("t", TEXT), _item("p", PHOTO), _item("n", na_allowed=True)),
        _section("service", _item("y")),
    )
    result = score_audit(doc, answers)
    assert result.sections[0].score is None
    assert result.score == 100.0


def test_score_audit_nothing_scored_is_none():
    doc = _doc(_section("s", _item("a", na_allowed=True), _item("t", TEXT)))
    result = score_audit(doc, {"a": NA, "t": "quiet day"})
    assert (result.score, result.raw_score, result.critical_fail) == (None, None, False)


def test_score_audit_item_statuses_say_how_each_counted():
    doc = _doc(
        _section(
            "s",
            _item("a", na_allowed=True),
            _item("b"),
            _item("c", TEXT),
            _item("d", condition=_when("b", True)),
            _item("e"),
        )
    )
    result = score_audit(doc, {"a": NA, "b": False, "c": "x", "d": True})
    statuses = {r.key: r.status for r in result.items}
    assert statuses == {
        "a": ItemStatus.na,
        "b": ItemStatus.scored,
        "c": ItemStatus.recorded,
        "d": ItemStatus.not_applicable,
        "e": ItemStatus.unanswered,
    }
    assert [r.passed for r in result.items] == [None, False, None, None, None]


@pytest.mark.parametrize(
    ("cap", "answers", "score", "raw"),
    [
        (0.0, {"k": False, "a": True, "b": True}, 0.0, 200 / 3),
        (60.0, {"k": False, "a": True, "b": True}, 60.0, 200 / 3),
        (60.0, {"k": False, "a": True, "b": False}, 100 / 3, 100 / 3),
    ],
)
def test_score_audit_critical_failure_caps_score(cap, answers, score, raw):
    doc = _doc(_section("s", _item("k", critical=True), _item("a"), _item("b")), cap=cap)
    result = score_audit(doc, answers)
    assert result.critical_fail
    assert [f.key for f in result.critical_failures] == ["k"]
    assert result.score == pytest.approx(score)
    assert result.raw_score == pytest.approx(raw)


@pytest.mark.parametrize("answer", [True, NA, None])
def test_score_audit_critical_passed_na_or_unanswered_does_not_cap(answer):
    doc = _doc(_section("s", _item("k", critical=True, na_allowed=True), _item("a")))
    result = score_audit(doc, {"k": answer, "a": True})
    assert (result.critical_fail, result.critical_failures, result.score) == (False, [], 100.0)


def test_score_audit_zero_weight_critical_item_still_caps():
    doc = _doc(_section("s", _item("id_checked", critical=True, weight=0), _item("a")), cap=50)
    result = score_audit(doc, {"id_checked": False, "a": True})
    assert (result.raw_score, result.score, result.critical_fail) == (100.0, 50.0, True)


def test_score_audit_dimension_scores_pool_items_across_sections():
    doc = _doc(
        _section(
            "a",
            _item("x", dimension=Dimension.respect, weight=3),
            _item("y", dimension=Dimension.timeliness),
            _item("z"),
        ),
        _section(
            "b",
            _item("w", dimension=Dimension.respect),
            _item("v", dimension=Dimension.ownership, na_allowed=True),
            weight=5,
        ),
    )
    result = score_audit(doc, {"x": True, "y": False, "z": True, "w": False, "v": NA})
    assert result.dimensions == {Dimension.respect: 75.0, Dimension.timeliness: 0.0}


@pytest.mark.parametrize(
    ("item", "answer", "code", "reason"),
    [
        (_item("q"), False, "answered_no", "answered no"),
        (_item("q"), "no", "answered_no", "answered no"),
        (_item("q", pass_mark=1.5), True, "answered_yes", "answered yes"),
        (_item("q", SCALE), 2, "scale_below", "2 on a 1–5 scale (pass mark 3)"),
        (_item("q", SCALE, pass_mark=0.6), 3, "scale_below", "3 on a 1–5 scale (pass mark 4)"),
        (
            _item("q", CHOICE, pass_mark=0.75),
            "partly",
            "choice_below",
            'answered "Partly" (1 of 2)',
        ),
        (_item("q", NUMBER), 7, "number_off_target", "7 min, target ≤ 3"),
        (_item("q", NUMBER), 9.25, "number_off_target", "9.25 min, target ≤ 3"),
        (_item("q", NUMBER, target=SEATS), 2, "number_off_target", "2, target ≥ 10"),
    ],
)
def test_score_audit_failed_item_has_reason(item, answer, code, reason):
    doc = _doc(_section("s", item))
    [failure] = score_audit(doc, {"q": answer}).failed
    assert (failure.code, failure.reason) == (code, reason)
    assert (failure.key, failure.section, failure.answer) == ("q", "s", answer)
    assert failure.type == item.type and failure.pass_mark == item.pass_mark


def test_score_audit_failed_item_params_carry_facts():
    doc = _doc(_section("s", _item("q", SCALE), _item("w", NUMBER, critical=True)))
    scale, wait = score_audit(doc, {"q": 2, "w": 8}).failed
    assert scale.params == {"value": 2, "min": 1, "max": 5, "pass_point": 3}
    assert scale.critical is False and scale.score == 0.25
    assert wait.params == {"value": 8, "full_at": 3, "zero_at": 10, "unit": "min"}
    assert wait.critical is True


@pytest.mark.parametrize(
    ("item", "answer"),
    [
        (_item("q", SCALE), 3),
        (_item("q", SCALE, scale=ScaleSpec(min=0, max=10), pass_mark=0.7), 7),
        (_item("q", NUMBER), 6.5),
        (_item("q", pass_mark=0), False),
        (_item("q", CHOICE), "partly"),
    ],
)
def test_score_audit_score_at_pass_mark_passes(item, answer):
    result = score_audit(_doc(_section("s", item)), {"q": answer})
    assert result.failed == [] and result.items[0].passed is True


def test_score_audit_invalid_answer_raises():
    with pytest.raises(ValueError):
        score_audit(_doc(_section("s", _item("q", SCALE))), {"q": 9})


# validate_answers

FORM = _doc(
    _section(
        "s",
        _item("greet"),
        _item("rate", SCALE, na_allowed=True),
        _item("pick", CHOICE, required=False),
        _item("wait", NUMBER, required=False),
        _item("note", TEXT),
        _item("shot", PHOTO),
        _item("why", TEXT, condition=_when("greet", False)),
    )
)
VALID = {"greet": True, "rate": 4, "pick": "good", "wait": 2.5, "note": "ok", "shot": "e/1.jpg"}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({}, {}),
        ({"rate": NA, "pick": None, "wait": None}, {}),
        ({"ghost": True}, {"ghost": "Unknown item."}),
        ({"greet": None}, {"greet": "An answer is required."}),
        ({"note": ""}, {"note": "An answer is required."}),
        ({"shot": "  "}, {"shot": "A photo is required."}),
        ({"greet": NA}, {"greet": "N/A is not allowed for this item."}),
        ({"greet": "maybe"}, {"greet": "Answer yes or no."}),
        ({"rate": 0}, {"rate": "Choose a whole number from 1 to 5."}),
        ({"rate": 3.5}, {"rate": "Choose a whole number from 1 to 5."}),
        ({"pick": "great"}, {"pick": "Choose one of: good, partly, bad."}),
        ({"wait": "7"}, {"wait": "Enter a number."}),
        ({"wait": float("inf")}, {"wait": "Enter a number."}),
        ({"note": 5}, {"note": "Expected text."}),
        ({"shot": 5}, {"shot": "Expected a photo reference."}),
        ({"greet": False}, {"why": "An answer is required."}),
        ({"greet": False, "why": "busy"}, {}),
        ({"why": 42}, {}),  # hidden: greet is yes, so its answer is ignored
    ],
)
def test_validate_answers_change_gives_messages(change, errors):
    assert validate_answers(FORM, {**VALID, **change}) == errors


def test_validate_answers_missing_keys_count_as_unanswered():
    assert validate_answers(FORM, {}) == {
        "greet": "An answer is required.",
        "rate": "An answer is required.",
        "note": "An answer is required.",
        "shot": "A photo is required.",
    }


# restrict


def test_restrict_keeps_given_items_and_drops_empty_sections():
    doc = _doc(_section("a", _item("x"), _item("y"), weight=2), _section("b", _item("z")), cap=40)
    kept = restrict(doc, ["y"])
    assert [(s.key, s.weight, [i.key for i in s.items]) for s in kept.sections] == [("a", 2, ["y"])]
    assert kept.critical_policy.cap == 40
    assert [i.key for i in doc.items()] == ["x", "y", "z"]


def test_restrict_two_versions_score_alike_on_shared_items():
    old = _doc(_section("a", _item("x"), _item("y")), _section("b", _item("z")))
    new = _doc(_section("a", _item("x"), _item("n", SCALE)), _section("b", _item("z")))
    answers = {"x": True, "y": False, "z": False, "n": 5}
    shared = ["x", "z"]
    assert score_audit(old, answers).score != score_audit(new, answers).score
    assert score_audit(restrict(old, shared), answers) == score_audit(
        restrict(new, shared), answers
    )


def test_restrict_dropped_condition_source_still_gates():
    doc = _doc(_section("s", _item("a"), _item("b", condition=_when("a", True))))
    assert applicable_items(restrict(doc, ["b"]), {"a": False}) == set()
    assert applicable_items(restrict(doc, ["b"]), {"a": True}) == {"b"}


# the pure-module rule


@pytest.mark.parametrize("module", ["scoring", "diff"])
def test_checklists_module_pure_imports_no_framework(module):
    source = (Path(scoring.__file__).parent / f"{module}.py").read_text()
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    assert not names & {"piccolo", "litestar"}
