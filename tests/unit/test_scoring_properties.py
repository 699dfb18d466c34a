"""Invariants of checklists.scoring over generated checklists and answers (hypothesis)."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklists.model import (
    SCORED_TYPES,
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
from checklists.scoring import NA, AuditScore, applicable_items, item_score, restrict, score_audit

PROPERTY = settings(max_examples=200, deadline=None)

# Strategies are built once here: building them inside the generators costs most of the time.
WEIGHTS = st.one_of(st.just(0.0), st.floats(0.1, 5.0), st.sampled_from([1.0, 2.0, 3.0]))
INDEX = st.integers(0, 99)
YES_NO = st.sampled_from([True, False, "yes", "no"])
GATE = st.one_of(st.none(), st.none(), st.none(), st.tuples(INDEX, YES_NO))
SPECS: dict[ItemType, st.SearchStrategy[dict[str, object]]] = {
    ItemType.scale: st.builds(
        lambda low, span: {"scale": ScaleSpec(min=low, max=low + span)},
        st.integers(0, 1),
        st.integers(1, 9),
    ),
    ItemType.choice: st.lists(st.floats(0, 5), min_size=1, max_size=4).map(
        lambda points: {
            "options": [ChoiceOption(f"o{n}", {"en": f"O{n}"}, p) for n, p in enumerate(points)]
        }
    ),
    ItemType.number: st.one_of(
        st.just({}),
        st.lists(st.integers(-20, 20), min_size=2, max_size=2, unique=True).map(
            lambda ends: {"target": NumberTarget(ends[0], ends[1], {"en": "min"})}
        ),
    ),
}
TRAITS = st.fixed_dictionaries(
    {
        "dimension": st.none() | st.sampled_from(list(Dimension)[:3]),
        "weight": WEIGHTS,
        "critical": st.integers(0, 4).map(lambda n: n == 0),
        "pass_mark": st.floats(0, 1),
    }
)
NUMBERS = st.integers(-30, 30) | st.floats(-30, 30)
TEXTS = st.sampled_from(["ok", "evidence/1.jpg", "Σ"])
ANSWER_KIND = st.sampled_from(["na", "none", "value", "value", "value", "value"])


def _item(draw: st.DrawFn, key: str, sources: list[str]) -> Item:
    """An item; it may be gated on an earlier yes/no item, so conditions never form a cycle."""
    type_ = draw(st.sampled_from(list(ItemType)))
    gate = draw(GATE) if sources else None
    condition = None
    if gate is not None:
        condition = Condition(item=sources[gate[0] % len(sources)], in_=[gate[1]])
    spec = draw(SPECS[type_]) if type_ in SPECS else {}
    fields = {**draw(TRAITS), **spec}
    return Item(
        key=key, type=type_, text={"en": key}, na_allowed=True, condition=condition, **fields
    )


@st.composite
def checklists(draw: st.DrawFn) -> Checklist:
    sections, sources, count = [], [], 0
    for s in range(draw(st.integers(1, 3))):
        items = []
        for _ in range(draw(st.integers(1, 5))):
            item = _item(draw, f"i{count}", sources)
            count += 1
            items.append(item)
            if item.type == ItemType.yes_no:
                sources.append(item.key)
        sections.append(Section(key=f"s{s}", title={"en": "S"}, items=items, weight=draw(WEIGHTS)))
    cap = draw(st.floats(0, 100))
    return Checklist(
        slug="p", title={"en": "P"}, sections=sections, critical_policy=CriticalPolicy(cap)
    )


def _value(draw: st.DrawFn, item: Item) -> object:
    """A valid, given, non-N/A answer for ``item``."""
    if item.type == ItemType.yes_no:
        return draw(YES_NO)
    if item.type == ItemType.scale:
        spec = item.scale or ScaleSpec()
        return spec.min + draw(INDEX) % (spec.max - spec.min + 1)
    if item.type == ItemType.choice:
        return item.options[draw(INDEX) % len(item.options)].value
    if item.type == ItemType.number:
        return draw(NUMBERS)
    return draw(TEXTS)


@st.composite
def audits(draw: st.DrawFn) -> tuple[Checklist, dict[str, object]]:
    """A checklist and answers to it: each item answered, N/A or left out."""
    doc = draw(checklists())
    answers: dict[str, object] = {}
    for item in doc.items():
        kind = draw(ANSWER_KIND)
        if kind == "na":
            answers[item.key] = NA
        elif kind == "value":
            answers[item.key] = _value(draw, item)
    return doc, answers


def _sources(doc: Checklist) -> set[str]:
    return {item.condition.item for item in doc.items() if item.condition}


def _scored_item(doc: Checklist, answers: dict[str, object], key: str) -> bool:
    item = doc.item(key)
    scored = item_score(item, answers.get(key)) is not None
    return scored and key in applicable_items(doc, answers) and key not in _sources(doc)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@PROPERTY
@given(audits())
def test_score_audit_any_answers_scores_within_range(audit):
    result = score_audit(*audit)
    for value in [result.score, result.raw_score, *(s.score for s in result.sections)]:
        assert value is None or 0.0 <= value <= 100.0
    assert all(0.0 <= value <= 100.0 for value in result.dimensions.values())
    assert result.answered + result.na + result.not_applicable + result.unanswered == len(
        audit[0].items()
    )


@PROPERTY
@given(audits(), st.data())
def test_score_audit_na_on_item_same_as_removing_item(audit, data):
    doc, answers = audit
    # A condition source is left out: dropping it would change which items are shown.
    keys = [item.key for item in doc.items() if item.key not in _sources(doc)]
    if not keys:
        return
    key = data.draw(st.sampled_from(keys))
    with_na = score_audit(doc, {**answers, key: NA})
    without = score_audit(
        restrict(doc, [item.key for item in doc.items() if item.key != key]),
        {k: v for k, v in answers.items() if k != key},
    )
    assert (with_na.score, with_na.raw_score) == (without.score, without.raw_score)
    assert (with_na.failed, with_na.dimensions) == (without.failed, without.dimensions)
    kept = {s.key: s for s in without.sections}
    for section in with_na.sections:
        assert section == kept[section.key] if section.key in kept else section.score is None


@PROPERTY
@given(audits(), st.data())
def test_score_audit_better_answer_never_lowers_score(audit, data):
    doc, answers = audit
    # Only items that gate no other item: a gating answer shows or hides other items, so
    # "better" on it can bring in (or drop) other scores and legitimately move the total down.
    keys = [item.key for item in doc.items() if item.type in SCORED_TYPES]
    keys = [key for key in keys if key not in _sources(doc)]
    if not keys:
        return
    item = doc.item(data.draw(st.sampled_from(keys)))
    one, two = _value(data.draw, item), _value(data.draw, item)
    if (item_score(item, one) or 0.0) > (item_score(item, two) or 0.0):
        one, two = two, one
    worse = score_audit(doc, {**answers, item.key: one})
    better = score_audit(doc, {**answers, item.key: two})
    if worse.score is not None and better.score is not None:
        assert better.score >= worse.score - 1e-9
    assert better.raw_score is None or better.raw_score >= (worse.raw_score or 0.0) - 1e-9


def _reweigh(doc: Checklist, section: int, factor: float, key: str | None = None) -> Checklist:
    """Multiply item weights in one section (only ``key``'s when given) by ``factor``."""
    sections = list(doc.sections)
    items = [
        msgspec.structs.replace(item, weight=item.weight * factor)
        if key in (None, item.key)
        else item
        for item in sections[section].items
    ]
    sections[section] = msgspec.structs.replace(sections[section], items=items)
    return msgspec.structs.replace(doc, sections=sections)


@pytest.mark.slow  # 200 examples of whole checklists: ~4 s
@PROPERTY
@given(audits(), st.data(), st.floats(0.01, 100))
def test_score_audit_section_weights_times_k_leave_scores(audit, data, factor):
    doc, answers = audit
    index = data.draw(st.integers(0, len(doc.sections) - 1))
    before, after = score_audit(doc, answers), score_audit(_reweigh(doc, index, factor), answers)
    assert _close(before.score, after.score) and _close(before.raw_score, after.raw_score)
    for old, new in zip(before.sections, after.sections, strict=True):
        assert _close(old.score, new.score)


@PROPERTY
@given(audits(), st.data())
def test_score_audit_double_item_weight_moves_section_towards_item(audit, data):
    doc, answers = audit
    places = [
        (index, item.key)
        for index, section in enumerate(doc.sections)
        for item in section.items
        if _scored_item(doc, answers, item.key)
    ]
    if not places:
        return
    index, key = data.draw(st.sampled_from(places))
    target = 100 * (item_score(doc.item(key), answers[key]) or 0.0)
    old = score_audit(doc, answers).sections[index].score
    new = score_audit(_reweigh(doc, index, 2.0, key), answers).sections[index].score
    if old is None or new is None:
        assert old is new  # the item weighs 0 and so does the rest of the section
        return
    assert min(old, target) - 1e-9 <= new <= max(old, target) + 1e-9


@PROPERTY
@given(audits())
def test_score_audit_critical_failure_never_exceeds_cap(audit):
    doc, answers = audit
    result: AuditScore = score_audit(doc, answers)
    assert result.critical_fail == bool(result.critical_failures)
    if result.critical_fail and result.score is not None:
        assert result.score <= doc.critical_policy.cap
        assert result.raw_score is not None and result.score <= result.raw_score
    elif not result.critical_fail:
        assert result.score == result.raw_score
