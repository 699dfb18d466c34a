"""The HTML audit form's fields to an audit body and back (pure: no request, no database).

Field names: ``answers.<item>``, ``comments.<item>``, and the visit's own fields (``id``,
``branch``, ``checklist``, ``visit``, ``visited_at`` (branch-local, as ``datetime-local``
sends it), ``visit_minutes``, ``channel``, ``staff``, ``staff_description``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from checklists.model import Checklist, Item, ItemType
from checklists.scoring import NA

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
    return values
