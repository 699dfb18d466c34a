"""Why an item failed, in the reader's language (pure).

Scoring (``checklists.scoring``) stores a failure as a code with its facts (``answered_no``;
``number_off_target`` with the value, target and unit); this module writes that sentence for a
reader: the words through the catalog, the numbers in the reader's digits, a choice's label and
a unit in the reader's language when the checklist had it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .formatting import format_number
from .report_model import Translate


def _identity(text: str) -> str:
    return text


def _number(value: Any, lang: str) -> str:
    """As few decimals as the value has (at most two), in the reader's digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    number = float(value)
    decimals = 0 if number.is_integer() else 1 if round(number, 1) == round(number, 2) else 2
    return format_number(number, lang, decimals)


def _in_language(params: Mapping[str, Any], name: str, lang: str) -> str:
    """``label_el`` before ``label`` (the English the failure was stored with)."""
    return str(params.get(f"{name}_{lang}") or params.get(name) or "")


def reason_text(
    code: str, params: Mapping[str, Any] | None, lang: str, _: Translate = _identity
) -> str:
    """The reason a reader reads; an unknown code (or none) gives an empty string."""
    params = params or {}
    if code == "answered_no":
        return _("answered no")
    if code == "answered_yes":
        return _("answered yes")
    if code == "scale_below":
        return _("%(value)s on a %(min)s–%(max)s scale (pass mark %(pass_point)s)") % {
            key: _number(params.get(key), lang) for key in ("value", "min", "max", "pass_point")
        }
    if code == "choice_below":
        return _("answered “%(label)s” (%(points)s of %(max)s)") % {
            "label": _in_language(params, "label", lang),
            "points": _number(params.get("points"), lang),
            "max": _number(params.get("max"), lang),
        }
    if code == "number_off_target":
        unit = _in_language(params, "unit", lang)
        value = f"{_number(params.get('value'), lang)} {unit}".strip()
        values = {"value": value, "target": _number(params.get("full_at"), lang)}
        full_at, zero_at = params.get("full_at"), params.get("zero_at")
        numbers = isinstance(full_at, int | float) and isinstance(zero_at, int | float)
        if numbers and full_at < zero_at:  # type: ignore[operator]
            return _("%(value)s, target ≤ %(target)s") % values
        return _("%(value)s, target ≥ %(target)s") % values
    return ""
