"""Semantic checks of a checklist document: what msgspec's types cannot say.

``check_checklist`` works on a document alone (lines are None); ``documents.load_checklist``
points each problem at its line in the file.
"""

from __future__ import annotations

import json
import math
import re
import typing
from typing import Any, NamedTuple

from checklists.model import LANGUAGES, Checklist, Condition, I18n, Item, ItemType, ScaleSpec


def show(value: Any) -> str:
    """A value as a message quotes it: short, JSON-style strings."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 40 else shown[:36] + '..."'
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else str(value)


class Problem(NamedTuple):
    """One thing wrong with a checklist; ``line`` is None when there is no file."""

    path: str
    line: int | None
    message: str


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ITEM_KEY = re.compile(r"[a-z0-9_]+")
_SPEC_FIELDS = {ItemType.scale: "scale", ItemType.choice: "options", ItemType.number: "target"}
_UNSCORED = (ItemType.text, ItemType.photo)


class _Found(list[Problem]):
    def add(self, path: str, message: str) -> None:
        self.append(Problem(path, None, message))


def check_checklist(doc: Checklist) -> list[Problem]:
    """What is wrong with a well-typed checklist, in document order (lines are None)."""
    found = _Found()
    if not _SLUG.fullmatch(doc.slug):
        found.add("slug", f"use lowercase letters, digits and hyphens, got {show(doc.slug)}")
    _check_texts(found, "title", doc.title, required=True)
    _check_texts(found, "description", doc.description)
    if not 0 <= doc.critical_policy.cap <= 100:
        found.add(
            "critical_policy.cap", f"must be from 0 to 100, got {show(doc.critical_policy.cap)}"
        )
    if not doc.sections:
        found.add("sections", "a checklist needs at least one section")
    all_keys = {item.key for item in doc.items()}
    sections: dict[str, str] = {}
    earlier: dict[str, tuple[str, Item]] = {}
    for i, section in enumerate(doc.sections):
        path = f"sections[{i}]"
        if section.key in sections:
            found.add(
                f"{path}.key",
                f"section key `{section.key}` is already used by {sections[section.key]}",
            )
        sections.setdefault(section.key, path)
        _check_texts(found, f"{path}.title", section.title, required=True)
        _check_weight(found, f"{path}.weight", section.weight)
        if not section.items:
            found.add(f"{path}.items", "a section needs at least one item")
        for j, item in enumerate(section.items):
            _check_item(found, f"{path}.items[{j}]", item, earlier, all_keys)
            earlier.setdefault(item.key, (f"{path}.items[{j}]", item))
    return found


def _check_item(
    found: _Found, path: str, item: Item, earlier: dict[str, tuple[str, Item]], all_keys: set[str]
) -> None:
    if not _ITEM_KEY.fullmatch(item.key):
        found.add(
            f"{path}.key", f"use lowercase letters, digits and underscores, got {show(item.key)}"
        )
    elif item.key in earlier:
        found.add(f"{path}.key", f"item key `{item.key}` is already used by {earlier[item.key][0]}")
    _check_texts(found, f"{path}.text", item.text, required=True)
    _check_texts(found, f"{path}.help", item.help)
    _check_weight(found, f"{path}.weight", item.weight)
    if not 0 <= item.pass_mark <= 1:
        found.add(f"{path}.pass_mark", f"must be from 0 to 1, got {show(item.pass_mark)}")
    given = {"scale": item.scale is not None, "options": bool(item.options)}
    given["target"] = item.target is not None
    for field in (name for name, present in given.items() if present):
        if field != _SPEC_FIELDS.get(item.type):
            found.add(f"{path}.{field}", f"a {item.type.value} item takes no {field}")
    if item.type in _UNSCORED and item.critical:
        found.add(f"{path}.critical", f"a {item.type.value} item is not scored, so not critical")
    if item.type in _UNSCORED and item.on_fail is not None:
        found.add(f"{path}.on_fail", f"a {item.type.value} item is not scored, so never fails")
    if item.type is ItemType.scale:
        _check_scale(found, f"{path}.scale", item.scale)
    elif item.type is ItemType.choice:
        _check_options(found, f"{path}.options", item)
    elif item.type is ItemType.number and item.target is None:
        found.add(f"{path}.target", "a number item needs a target, e.g. {full_at: 3, zero_at: 10}")
    elif item.type is ItemType.number and item.target is not None:
        if item.target.full_at == item.target.zero_at:
            found.add(f"{path}.target.zero_at", "full_at and zero_at must differ")
        _check_texts(found, f"{path}.target.unit", item.target.unit)
    if item.condition is not None:
        _check_condition(found, f"{path}.condition", item.condition, earlier, all_keys)


def _check_texts(found: _Found, path: str, texts: I18n, required: bool = False) -> None:
    for lang in texts:
        if lang not in LANGUAGES:
            found.add(f"{path}.{lang}", f"unknown language `{lang}` (use {', '.join(LANGUAGES)})")
    if required and not texts.get("en", "").strip():
        found.add(f"{path}.en", "English text is required")


def _check_weight(found: _Found, path: str, weight: float) -> None:
    if not (math.isfinite(weight) and weight > 0):
        found.add(path, f"must be a number above 0, got {show(weight)}")


def _check_scale(found: _Found, path: str, scale: ScaleSpec | None) -> None:
    if scale is None:
        found.add(path, "a scale item needs a scale, e.g. {min: 1, max: 5}")
        return
    if scale.min >= scale.max:
        found.add(f"{path}.max", f"max must be above min ({scale.min}), got {scale.max}")
    for point, texts in scale.labels.items():
        if not re.fullmatch(r"-?\d+", point) or not scale.min <= int(point) <= scale.max:
            found.add(f"{path}.labels.{point}", f"not a point from {scale.min} to {scale.max}")
        _check_texts(found, f"{path}.labels.{point}", texts)


def _check_options(found: _Found, path: str, item: Item) -> None:
    if len(item.options) < 2:
        found.add(path, "a choice item needs at least two options")
    seen: set[str] = set()
    for k, option in enumerate(item.options):
        if option.value in seen:
            found.add(f"{path}[{k}].value", f"option value `{option.value}` is used twice")
        seen.add(option.value)
        _check_texts(found, f"{path}[{k}].label", option.label, required=True)
    if item.options and not any(option.points > 0 for option in item.options):
        found.add(path, "at least one option must be worth points above 0")


def _check_condition(
    found: _Found,
    path: str,
    condition: Condition,
    earlier: dict[str, tuple[str, Item]],
    all_keys: set[str],
) -> None:
    """A condition looks back: at an item already shown, and at answers that item can have."""
    if condition.item not in earlier:
        why = "does not come before this item" if condition.item in all_keys else "is unknown"
        found.add(
            f"{path}.item", f"item `{condition.item}` {why}; a condition needs an earlier one"
        )
        return
    target: Item = earlier[condition.item][1]
    if target.type in _UNSCORED:
        found.add(f"{path}.item", f"a condition cannot depend on a {target.type.value} item")
        return
    if not condition.in_:
        found.add(f"{path}.in", "list at least one answer")
    fits, expected = _answers(target)
    for k, value in enumerate(condition.in_):
        if not fits(value):
            found.add(f"{path}.in[{k}]", f"expected {expected}, got {show(value)}")


def _answers(item: Item) -> tuple[typing.Callable[[Any], bool], str]:
    """A test for an answer ``item`` can have, and a description of those answers."""
    if item.type is ItemType.yes_no:
        return (lambda v: isinstance(v, bool)), "true or false"
    if item.type is ItemType.choice:
        values = [option.value for option in item.options]
        return (lambda v: v in values and isinstance(v, str)), "one of " + ", ".join(values)
    if item.type is ItemType.scale:
        low, high = (item.scale or ScaleSpec()).min, (item.scale or ScaleSpec()).max
        whole = f"a whole number from {low} to {high}"
        return (lambda v: type(v) is int and low <= v <= high), whole
    return (lambda v: type(v) in (int, float)), "a number"


# Writing ------------------------------------------------------------------------------------
