"""The HTML audit form's fields to an audit body and back (pure: no request, no database).

Field names: ``answers.<item>``, ``comments.<item>``, ``photos.<item>`` (the ids of the photos
attached to the item, separated by spaces), and the visit's own fields (``id``,
``branch``, ``checklist``, ``visit``, ``visited_at`` (branch-local, as ``datetime-local``
sends it), ``visit_minutes``, ``channel``, ``staff``, ``staff_description``).

The form's script (``static/js/audit-form.js``) reads the same rules from :func:`form_rules`,
rendered into the page as JSON: it has none of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from checklists.model import SCORED_TYPES, Checklist, Item, ItemType, OnFail, ScaleSpec
from checklists.scoring import NA, applicable_items, item_score

VISIT_FIELDS = (
    "id",
    "branch",
    "checklist",
    "visit",
    "visited_at",
    "visit_minutes",
    "channel",
    "staff",
    "staff_description",
)


def _is_whole(raw: str) -> bool:
    """Digits 0-9 only: ``str.isdigit`` also takes "²", which ``int`` refuses."""
    return raw.isascii() and raw.isdigit()


def answer_from_field(item: Item, raw: str) -> Any:
    """A form value as the API takes it; what cannot be read stays text, so that validation
    names the field instead of this function guessing."""
    raw = raw.strip()
    if raw == NA:
        return NA
    if item.type is ItemType.yes_no:
        return {"yes": True, "no": False}.get(raw, raw)
    if item.type is ItemType.scale:
        return int(raw) if _is_whole(raw.removeprefix("-")) else raw
    if item.type is ItemType.number:
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return raw
    return raw


def field_values(item: Item) -> list[str] | None:
    """The values the form offers for ``item`` (its radio buttons, the N/A box); None when
    the field is typed in and takes any text."""
    na = [NA] if item.na_allowed else []
    if item.type is ItemType.yes_no:
        return ["yes", "no", *na]
    if item.type is ItemType.scale:
        scale = item.scale or ScaleSpec()
        return [str(point) for point in range(scale.min, scale.max + 1)] + na
    if item.type is ItemType.choice:
        return [option.value for option in item.options] + na
    if item.type is ItemType.number:
        return na  # besides the number typed in
    return None


def form_rules(doc: Checklist) -> dict[str, Any]:
    """The rules the form's script follows, from the checklist, in checklist order:

    - ``answers``: each offered field value → the answer :func:`answer_from_field` makes of it;
    - ``decimal``: a typed-in number, read as :func:`answer_from_field` reads one (either
      decimal mark); any other field is sent as its text;
    - ``when``: the item shows only while the earlier item ``item`` (itself shown) has one of
      the answers ``in`` (the checklist's condition, answers as the API takes them);
    - ``fails``: the offered field values with which the item fails, by the scoring's own
      pass mark; ``passes``: for a typed-in number, the range ``[low, high]`` (null: open)
      in which it passes; ``on_fail``: what a failure asks for (``comment``, ``photo``: each
      ``required`` or ``offered``).
    """
    items: list[dict[str, Any]] = []
    for item in doc.items():
        rule: dict[str, Any] = {"key": item.key}
        if values := field_values(item):
            rule["answers"] = {value: answer_from_field(item, value) for value in values}
        if item.type is ItemType.number:
            rule["decimal"] = True
        if item.condition is not None:
            rule["when"] = {"item": item.condition.item, "in": list(item.condition.in_)}
        if item.type in SCORED_TYPES:
            rule["fails"] = [v for v in values or [] if fails(item, answer_from_field(item, v))]
            if item.type is ItemType.number and item.target is not None:
                rule["passes"] = passing_range(item)
            on_fail = item.on_fail or OnFail()
            rule["on_fail"] = {"comment": on_fail.comment.value, "photo": on_fail.photo.value}
        items.append(rule)
    return {"items": items}


def fails(item: Item, answer: Any) -> bool:
    """Whether ``answer`` fails ``item``, as scoring judges it (N/A and nonsense do not)."""
    try:
        score = item_score(item, answer)
    except ValueError:
        return False
    return score is not None and score < item.pass_mark - 1e-9


def passing_range(item: Item) -> list[float | None]:
    """The numbers with which a number item passes: its score reaches the pass mark."""
    assert item.target is not None
    full, zero = item.target.full_at, item.target.zero_at
    if full == zero:
        return [full, full]
    edge = zero + item.pass_mark * (full - zero)
    return [None, edge] if full < zero else [edge, None]


def photo_ids(raw: str) -> list[str]:
    """The ids in a ``photos.<item>`` field."""
    return [part for part in raw.replace(",", " ").split() if part]


def progress(doc: Checklist, values: dict[str, str]) -> tuple[int, int]:
    """(answered, applicable) items of the form's values, conditions followed."""
    answers = {
        item.key: answer_from_field(item, values[f"answers.{item.key}"])
        for item in doc.items()
        if values.get(f"answers.{item.key}", "").strip()
    }
    applicable = applicable_items(doc, answers)
    return sum(1 for key in applicable if key in answers), len(applicable)


def field_from_answer(item: Item, value: Any) -> str:
    """The inverse, for filling a form from a draft or a returned audit."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def body_from_form(doc: Checklist, form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The audit body from the form's fields, and errors for fields that cannot be read."""
    errors: dict[str, str] = {}
    body: dict[str, Any] = {name: form.get(name, "").strip() for name in VISIT_FIELDS}
    body["staff"] = body["staff"] or None
    body["visit"] = int(body["visit"]) if _is_whole(body["visit"]) else None
    minutes = body["visit_minutes"]
    body["visit_minutes"] = int(minutes) if _is_whole(minutes) else None
    if minutes and not _is_whole(minutes):
        errors["visit_minutes"] = "Enter whole minutes."
    try:
        body["visited_at"] = dt.datetime.fromisoformat(body["visited_at"])
    except ValueError:
        errors["visited_at"] = "Enter the date and time of the visit."
    body["answers"] = {
        item.key: answer_from_field(item, form[f"answers.{item.key}"])
        for item in doc.items()
        if form.get(f"answers.{item.key}", "").strip()
    }
    body["comments"] = {
        item.key: form[f"comments.{item.key}"].strip()
        for item in doc.items()
        if form.get(f"comments.{item.key}", "").strip()
    }
    body["photos"] = {
        item.key: ids
        for item in doc.items()
        if (ids := photo_ids(form.get(f"photos.{item.key}", "")))
    }
    return body, errors


def form_from_body(doc: Checklist, body: dict[str, Any]) -> dict[str, str]:
    """Form values from an audit (a draft, or one returned to its shopper)."""
    values = {name: "" if body.get(name) is None else str(body[name]) for name in VISIT_FIELDS}
    visited = body.get("visited_at")
    if isinstance(visited, dt.datetime):
        values["visited_at"] = visited.strftime("%Y-%m-%dT%H:%M")
    for item in doc.items():
        if item.key in body.get("answers", {}):
            values[f"answers.{item.key}"] = field_from_answer(item, body["answers"][item.key])
        if item.key in body.get("comments", {}):
            values[f"comments.{item.key}"] = body["comments"][item.key]
        if body.get("photos", {}).get(item.key):
            values[f"photos.{item.key}"] = " ".join(str(r) for r in body["photos"][item.key])
    return values
