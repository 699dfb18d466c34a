"""Cases for checklists.diff.compare_versions."""

from __future__ import annotations

import msgspec
import pytest

from checklists.diff import ItemChange, PolicyChange, SectionReweight, compare_versions
from checklists.model import (
    Checklist,
    ChoiceOption,
    Condition,
    CriticalPolicy,
    Dimension,
    Item,
    ItemType,
    Section,
)


def _item(key: str, **fields: object) -> Item:
    return Item(**{"key": key, "type": ItemType.yes_no, "text": {"en": key}, **fields})


def _section(key: str, *items: Item, weight: float = 1.0, title: str = "") -> Section:
    return Section(key=key, title={"en": title or key}, items=list(items), weight=weight)


def _doc(*sections: Section, cap: float = 0.0) -> Checklist:
    return Checklist(
        slug="t", title={"en": "T"}, sections=list(sections), critical_policy=CriticalPolicy(cap)
    )


OLD = _doc(
    _section("arrival", _item("greet"), _item("queue")),
    _section("service", _item("name"), _item("offer"), weight=2),
)


def test_compare_versions_same_document_is_unchanged():
    diff = compare_versions(OLD, msgspec.json.decode(msgspec.json.encode(OLD), type=Checklist))
    assert diff.unchanged
    assert diff.shared == ["greet", "queue", "name", "offer"]
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])


def test_compare_versions_added_removed_and_shared_items_in_document_order():
    new = _doc(
        _section("arrival", _item("smile"), _item("greet")),
        _section("service", _item("offer"), _item("name"), _item("thanks"), weight=2),
    )
    diff = compare_versions(OLD, new)
    assert diff.added == ["smile", "thanks"]
    assert diff.removed == ["queue"]
    assert diff.shared == ["greet", "offer", "name"]
    assert diff.changed == []  # a new order within a section is not a change
    assert not diff.unchanged


@pytest.mark.parametrize(
    ("new_item", "fields"),
    [
        (_item("greet", text={"en": "Greeted warmly?"}), ["text"]),
        (_item("greet", text={"en": "greet", "el": "Χαιρετισμός;"}), ["text"]),
        (_item("greet", weight=2), ["weight"]),
        (_item("greet", critical=True), ["critical"]),
        (_item("greet", critical=True, weight=0), ["weight", "critical"]),
        (_item("greet", dimension=Dimension.respect), ["dimension"]),
        (_item("greet", pass_mark=0.8, na_allowed=True), ["na_allowed", "pass_mark"]),
        (_item("greet", condition=Condition(item="queue", in_=[True])), ["condition"]),
        (
            Item(
                key="greet",
                type=ItemType.choice,
                text={"en": "greet"},
                options=[ChoiceOption(value="a", label={"en": "A"})],
            ),
            ["type", "options"],
        ),
    ],
)
def test_compare_versions_item_field_change_names_fields(new_item, fields):
    new = _doc(
        _section("arrival", new_item, _item("queue")),
        _section("service", _item("name"), _item("offer"), weight=2),
    )
    assert compare_versions(OLD, new).changed == [ItemChange("greet", fields)]


def test_compare_versions_item_moved_section_lists_section_first():
    new = _doc(
        _section("arrival", _item("queue")),
        _section("service", _item("greet", weight=3), _item("name"), _item("offer"), weight=2),
    )
    diff = compare_versions(OLD, new)
    assert diff.changed == [ItemChange("greet", ["section", "weight"])]
    assert "greet" in diff.shared


def test_compare_versions_sections_added_removed_reweighted_retitled():
    new = _doc(
        _section("arrival", _item("greet"), _item("queue"), weight=0.5, title="Arrival!"),
        _section("farewell", _item("name"), _item("offer")),
    )
    diff = compare_versions(OLD, new)
    assert diff.sections_added == ["farewell"]
    assert diff.sections_removed == ["service"]
    assert diff.sections_reweighted == [SectionReweight("arrival", 1.0, 0.5)]
    assert diff.sections_retitled == ["arrival"]
    assert diff.changed == [ItemChange("name", ["section"]), ItemChange("offer", ["section"])]


def test_compare_versions_critical_policy_change_reported():
    new = msgspec.structs.replace(OLD, critical_policy=CriticalPolicy(cap=40))
    diff = compare_versions(OLD, new)
    assert diff.critical_policy == PolicyChange(CriticalPolicy(0.0), CriticalPolicy(40))
    assert not diff.unchanged
    assert compare_versions(OLD, OLD).critical_policy is None


def test_compare_versions_swapped_arguments_mirror_added_and_removed():
    new = _doc(_section("arrival", _item("greet"), _item("smile")))
    forward, backward = compare_versions(OLD, new), compare_versions(new, OLD)
    assert (forward.added, forward.removed) == (backward.removed, backward.added)
    assert (forward.sections_added, forward.sections_removed) == ([], ["service"])
    assert (backward.sections_added, backward.sections_removed) == (["service"], [])


def test_compare_versions_result_encodes_to_json():
    new = _doc(_section("arrival", _item("greet", weight=2)), cap=10)
    body = msgspec.json.decode(msgspec.json.encode(compare_versions(OLD, new)))
    assert body["changed"] == [{"key": "greet", "fields": ["weight"]}]
    assert body["critical_policy"]["new"] == {"cap": 10}
