"""The default checklists a new customer gets: they load, speak all four languages, and hold
the shape the product promises (dimensions, measured waits, conditions, critical items)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest

import checklists
from checklists.model import LANGUAGES, Checklist, Dimension, Item, ItemType

DEFAULTS = Path(checklists.__file__).parent / "defaults"
FUNDAMENTALS = "service-fundamentals.yaml"
PHONE = "phone-call.yaml"
FILES = [FUNDAMENTALS, PHONE]

try:
    from checklists.documents import load_checklist as _load_text
except ImportError:  # the checking loader is optional; the document shape is not

    def _load_text(text: str) -> Checklist:
        from ruamel.yaml import YAML

        return msgspec.convert(YAML(typ="safe").load(text), Checklist)


def _load(name: str) -> Checklist:
    return _load_cached(name)


@functools.cache
def _load_cached(name: str) -> Checklist:
    """Parsed once per file; tests only read the document."""
    return _load_text((DEFAULTS / name).read_text(encoding="utf-8"))


def _texts(doc: Checklist) -> list[tuple[str, dict[str, str]]]:
    """Every translatable text of ``doc`` with a path naming where it is."""
    found = [("title", doc.title), ("description", doc.description)]
    for section in doc.sections:
        found.append((f"{section.key}.title", section.title))
        for item in section.items:
            where = f"{section.key}.{item.key}"
            found += [(f"{where}.text", item.text), (f"{where}.help", item.help)]
            if item.scale is not None:
                found += [(f"{where}.scale.{p}", t) for p, t in item.scale.labels.items()]
            found += [(f"{where}.options.{o.value}", o.label) for o in item.options]
            if item.target is not None:
                found.append((f"{where}.target.unit", item.target.unit))
    return found


def _wait_item(doc: Checklist, unit_en: str) -> Item:
    waits = [
        item
        for item in doc.items()
        if item.type is ItemType.number
        and item.dimension is Dimension.timeliness
        and item.target is not None
        and item.target.unit.get("en") == unit_en
    ]
    assert waits, f"no timeliness number item measured in {unit_en}"
    return waits[0]


# Loading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_file_loads_as_checklist(name):
    doc = _load(name)
    assert isinstance(doc, Checklist)
    assert doc.slug == name.removesuffix(".yaml")


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_plain_yaml_load_matches_checking_loader(name):
    from ruamel.yaml import YAML

    plain = msgspec.convert(YAML(typ="safe").load((DEFAULTS / name).read_text("utf-8")), Checklist)
    assert plain == _load(name)


@pytest.mark.parametrize(("name", "channel"), [(FUNDAMENTALS, "in_person"), (PHONE, "phone")])
def test_default_checklist_channel_is_set_matches_visit_kind(name, channel):
    assert _load(name).channel == channel


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_critical_policy_caps_score_between_0_and_100(name):
    assert 0 < _load(name).critical_policy.cap < 100


# Languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_every_text_has_all_languages_non_empty(name):
    missing = [
        (where, lang)
        for where, texts in _texts(_load(name))
        for lang in LANGUAGES
        if not texts.get(lang, "").strip()
    ]
    assert missing == []


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_texts_use_only_known_languages(name):
    unknown = [(where, set(texts) - set(LANGUAGES)) for where, texts in _texts(_load(name))]
    assert [entry for entry in unknown if entry[1]] == []


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_persian_text_uses_persian_letters_not_arabic(name):
    # Arabic yeh/kaf look alike but break search and sorting for Persian readers.
    arabic = [where for where, texts in _texts(_load(name)) if re.search("[يك]", texts["fa"])]
    assert arabic == []


# Shape --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "items", "sections"), [(FUNDAMENTALS, (22, 30), (5, 7)), (PHONE, (12, 18), (1, 7))]
)
def test_default_checklist_counts_are_within_range(name, items, sections):
    doc = _load(name)
    assert items[0] <= len(doc.items()) <= items[1]
    assert sections[0] <= len(doc.sections) <= sections[1]


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_keys_are_snake_case_and_unique(name):
    doc = _load(name)
    keys = [item.key for item in doc.items()] + [section.key for section in doc.sections]
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", key) for key in keys)
    assert len({item.key for item in doc.items()}) == len(doc.items())


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_weights_are_positive(name):
    doc = _load(name)
    assert all(section.weight > 0 for section in doc.sections)
    assert all(item.weight > 0 for item in doc.items())


def test_service_fundamentals_dimensions_cover_every_dimension():
    covered = {item.dimension for item in _load(FUNDAMENTALS).items() if item.dimension}
    assert covered == set(Dimension)


def test_phone_call_dimensions_cover_the_phone_essentials():
    covered = {item.dimension for item in _load(PHONE).items() if item.dimension}
    needed = {
        Dimension.timeliness,
        Dimension.respect,
        Dimension.effectiveness,
        Dimension.ownership,
        Dimension.follow_up,
        Dimension.trust_honesty,
        Dimension.premises_channels,
    }
    assert needed <= covered


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_every_dimension_used_is_scored(name):
    doc = _load(name)
    scored = {i.dimension for i in doc.items() if i.type not in (ItemType.text, ItemType.photo)}
    assert {i.dimension for i in doc.items() if i.dimension} <= scored


def test_service_fundamentals_item_types_include_each_kind():
    types = {item.type for item in _load(FUNDAMENTALS).items()}
    assert set(ItemType) <= types


def test_service_fundamentals_queue_wait_full_at_3_zero_at_10_minutes():
    target = _wait_item(_load(FUNDAMENTALS), "min").target
    assert target is not None
    assert (target.full_at, target.zero_at) == (3, 10)


def test_phone_call_answer_time_full_at_20_zero_at_90_seconds():
    doc = _load(PHONE)
    target = doc.item("answer_time_seconds").target
    assert target is not None
    assert target.unit["en"] == "s"
    assert (target.full_at, target.zero_at) == (20, 90)


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_number_targets_lower_is_better(name):
    targets = [i.target for i in _load(name).items() if i.type is ItemType.number]
    assert targets
    assert all(t is not None and t.full_at < t.zero_at for t in targets)


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_unscored_items_are_optional_and_open_no_action(name):
    unscored = [i for i in _load(name).items() if i.type in (ItemType.text, ItemType.photo)]
    assert unscored
    assert all(not i.required and not i.critical and i.action.value == "never" for i in unscored)


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_some_items_allow_na(name):
    assert sum(item.na_allowed for item in _load(name).items()) >= 2


# Conditions ---------------------------------------------------------------------------------


def _answers_of(item: Item) -> list[Any]:
    if item.type is ItemType.yes_no:
        return [True, False]
    if item.type is ItemType.choice:
        return [option.value for option in item.options]
    if item.type is ItemType.scale and item.scale is not None:
        return list(range(item.scale.min, item.scale.max + 1))
    return []


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_conditions_point_to_earlier_item_with_valid_answers(name):
    seen: dict[str, Item] = {}
    for item in _load(name).items():
        if item.condition is not None:
            source = seen.get(item.condition.item)
            assert source is not None, f"{item.key} depends on a later or unknown item"
            valid = _answers_of(source)
            assert all(
                any(type(v) is type(a) and v == a for a in valid) for v in item.condition.in_
            ), f"{item.key}: {item.condition.in_} are not answers of {source.key}"
        seen[item.key] = item


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_has_conditional_items(name):
    assert any(item.condition is not None for item in _load(name).items())


@pytest.mark.parametrize("name", FILES)
def test_default_checklist_warm_transfer_shown_only_after_a_transfer(name):
    doc = _load(name)
    condition = doc.item("warm_transfer").condition
    assert condition is not None
    assert (condition.item, condition.in_) == ("handled_without_transfer", [False])


def test_service_fundamentals_apology_and_ownership_shown_only_when_problem_raised():
    doc = _load(FUNDAMENTALS)
    for key in ("apologised", "no_blame_shifting", "took_ownership", "problem_outcome"):
        condition = doc.item(key).condition
        assert condition is not None and condition.item == "problem_heard_out", key
    assert doc.item("problem_heard_out").na_allowed


# Critical items -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "most"), [(FUNDAMENTALS, 3), (PHONE, 3)])
def test_default_checklist_critical_items_are_few_and_scored_yes_no(name, most):
    critical = [item for item in _load(name).items() if item.critical]
    assert 1 <= len(critical) <= most
    assert all(item.type is ItemType.yes_no for item in critical)
    assert all(item.action.value == "critical" for item in critical)


def test_service_fundamentals_critical_items_cover_rudeness_promises_and_blame():
    critical = {item.key for item in _load(FUNDAMENTALS).items() if item.critical}
    assert critical == {"treated_with_respect", "realistic_promises", "no_blame_shifting"}
