"""Scoring an audit against a checklist document, as pure functions over plain values.

Answers map item keys to values: yes_no ``True``/``False`` (or ``"yes"``/``"no"``), scale an
``int``, choice an option's ``value``, number an ``int``/``float``, text and photo a ``str``
(a photo's is an evidence reference). :data:`NA` marks "not applicable"; ``None``, a missing
key and a blank string all mean "no answer". An item scores 0–1; sections, dimensions and the
audit are reported as percentages, 0–100.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from typing import cast

import msgspec

from checklists.model import SCORED_TYPES, Checklist, Dimension, Item, ItemType, ScaleSpec

NA = "na"
"""The answer "not applicable". It wins over a choice option that happens to be valued "na"."""

_EPS = 1e-9  # float slack, so that 3 on a 1-5 scale (exactly 0.5) passes a 0.5 pass mark

Answers = Mapping[str, object]
Scalar = str | int | float | bool


class ItemStatus(str, enum.Enum):
    scored = "scored"
    recorded = "recorded"  # answered, but the item carries no score (text, photo, bare number)
    na = "na"
    unanswered = "unanswered"
    not_applicable = "not_applicable"  # its condition does not hold


class ItemResult(msgspec.Struct, frozen=True):
    """How one item counted; ``score`` is 0–1 and ``passed`` is set only when scored."""

    key: str
    section: str
    status: ItemStatus
    weight: float
    score: float | None = None
    passed: bool | None = None


class FailedItem(msgspec.Struct, frozen=True):
    """An item scoring below its pass mark.

    ``reason`` is short English (for the API and the CSV); ``code`` and ``params`` carry the same
    facts for the layer that writes them in the reader's language (``reports.reasons``), e.g.
    code ``scale_below`` with ``value``, ``min``, ``max``, ``pass_point``; a choice's label and a
    unit also in each language the checklist has (``label_el``, ``unit_fa``).
    """

    key: str
    section: str
    type: ItemType
    critical: bool
    answer: Scalar
    score: float
    pass_mark: float
    code: str
    params: dict[str, Scalar]
    reason: str


class SectionScore(msgspec.Struct, frozen=True):
    """``score`` = earned / possible × 100, None when nothing in the section was scored."""

    key: str
    weight: float
    score: float | None
    earned: float
    possible: float


class AuditScore(msgspec.Struct, frozen=True):
    """The scored audit. ``score`` is ``raw_score`` capped by the critical policy."""

    score: float | None
    raw_score: float | None
    critical_fail: bool
    critical_failures: list[FailedItem]
    failed: list[FailedItem]
    sections: list[SectionScore]
    dimensions: dict[Dimension, float]
    items: list[ItemResult]
    answered: int
    na: int
    not_applicable: int
    unanswered: int


def _missing(answer: object) -> bool:
    return answer is None or (isinstance(answer, str) and not answer.strip())


def _yes_no(answer: object) -> bool | None:
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, str):
        return {"yes": True, "no": False}.get(answer.strip().lower())
    return None


MAX_NUMBER = 1e9
"""The largest number answer, either sign: far beyond any count, minutes or price audited."""
MAX_TEXT = 2000
"""The longest text answer, in characters (as long as a comment)."""


def _number(answer: object) -> float | None:
    """The answer as a finite number within ``MAX_NUMBER``, None for anything else (booleans
    included)."""
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    return float(answer) if -MAX_NUMBER <= answer <= MAX_NUMBER else None  # NaN fails it


def _scale_point(item: Item, answer: object) -> int | None:
    """The answer as a point of the item's scale, None when it is not one."""
    spec = item.scale or ScaleSpec()
    if isinstance(answer, int) and not isinstance(answer, bool) and spec.min <= answer <= spec.max:
        return answer
    return None


def _text_error(answer: str) -> str | None:
    if "\x00" in answer:
        return "Remove the NUL character."
    return None if len(answer) <= MAX_TEXT else f"At most {MAX_TEXT} characters."


def _value_error(item: Item, answer: object) -> str | None:
    """Why a given, non-N/A ``answer`` is not a valid value for ``item``; None when it is."""
    if item.type == ItemType.yes_no:
        return None if _yes_no(answer) is not None else "Answer yes or no."
    if item.type == ItemType.scale:
        if _scale_point(item, answer) is not None:
            return None
        spec = item.scale or ScaleSpec()
        return f"Choose a whole number from {spec.min} to {spec.max}."
    if item.type == ItemType.choice:
        if any(option.value == answer for option in item.options):
            return None
        return "Choose one of: " + ", ".join(option.value for option in item.options) + "."
    if item.type == ItemType.number:
        if _number(answer) is not None:
            return None
        if isinstance(answer, int) and not isinstance(answer, bool):  # a whole number too large
            return f"Enter a number between {-MAX_NUMBER:.0f} and {MAX_NUMBER:.0f}."
        return "Enter a number."
    if isinstance(answer, str):
        return _text_error(answer)
    return "Expected a photo reference." if item.type == ItemType.photo else "Expected text."


def item_score(item: Item, answer: object) -> float | None:
    """The item's score in [0, 1]; None for text, photo, a number without target, N/A and no answer.

    Raises ValueError for a value the item does not accept (see :func:`validate_answers`).
    """
    if item.type not in SCORED_TYPES or _missing(answer) or answer == NA:
        return None
    if error := _value_error(item, answer):
        raise ValueError(f"{item.key}: {error}")
    if item.type == ItemType.yes_no:
        return 1.0 if _yes_no(answer) else 0.0
    if item.type == ItemType.scale:
        spec, point = item.scale or ScaleSpec(), _scale_point(item, answer) or 0
        return 1.0 if spec.max == spec.min else (point - spec.min) / (spec.max - spec.min)
    if item.type == ItemType.choice:
        best = max(option.points for option in item.options)
        points = next(option.points for option in item.options if option.value == answer)
        return 0.0 if best <= 0 else _clamp(points / best)
    target, value = item.target, _number(answer) or 0.0
    if target is None:
        return None
    if target.full_at == target.zero_at:  # no direction to go by: only a hit counts
        return 1.0 if value == target.full_at else 0.0
    return _clamp((value - target.zero_at) / (target.full_at - target.zero_at))


def _clamp(value: float, top: float = 1.0) -> float:
    return min(top, max(0.0, value))


def _canon(value: object) -> object:
    """A form of a value that compares sensibly: True ~ "yes", 3 ~ 3.0 ~ "3", "Yes" ~ "yes"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        text = {"true": "yes", "false": "no"}.get(text, text)
        try:
            return float(text)
        except ValueError:
            return text
    return value


def applicable_items(doc: Checklist, answers: Answers) -> set[str]:
    """Keys of the items whose condition holds, following chains of conditions.

    An item gated on an item that is not applicable is not applicable either; conditions that
    form a cycle never hold. A condition on an item the document does not have is judged on the
    answer alone, so a :func:`restrict`-ed document still gates on answers to dropped items.
    """
    items = {item.key: item for item in doc.items()}
    memo: dict[str, bool] = {}

    def holds(key: str, seen: frozenset[str]) -> bool:
        if key not in memo:
            condition = items[key].condition
            if condition is None:
                memo[key] = True
            elif condition.item in seen:
                memo[key] = False
            else:
                source = condition.item not in items or holds(condition.item, seen | {key})
                answer = _canon(answers.get(condition.item))
                memo[key] = source and any(_canon(v) == answer for v in condition.in_)
        return memo[key]

    return {key for key in items if holds(key, frozenset())}


def _result(section: str, item: Item, answer: object, applicable: bool) -> ItemResult:
    status, score = ItemStatus.not_applicable, None
    if applicable and _missing(answer):
        status = ItemStatus.unanswered
    elif applicable and answer == NA:
        status = ItemStatus.na
    elif applicable:
        score = item_score(item, answer)
        status = ItemStatus.recorded if score is None else ItemStatus.scored
    passed = None if score is None else score >= item.pass_mark - _EPS
    return ItemResult(item.key, section, status, item.weight, score, passed)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(round(value, 2))


def _in_languages(name: str, texts: dict[str, str]) -> dict[str, Scalar]:
    """``label_el``, ``label_fa``...: the other languages of a label, so that the reason can be
    written for any reader from the stored failure alone."""
    return {f"{name}_{lang}": text for lang, text in sorted(texts.items()) if lang != "en"}


def _reason(item: Item, answer: Scalar) -> tuple[str, dict[str, Scalar], str]:
    """Code, parameters and English text saying why ``answer`` fails ``item``."""
    if item.type == ItemType.yes_no:
        word = "yes" if _yes_no(answer) else "no"
        return f"answered_{word}", {"answer": word}, f"answered {word}"
    if item.type == ItemType.scale:
        spec = item.scale or ScaleSpec()
        point = math.ceil(spec.min + item.pass_mark * (spec.max - spec.min) - _EPS)
        params: dict[str, Scalar] = {
            "value": answer,
            "min": spec.min,
            "max": spec.max,
            "pass_point": point,
        }
        text = f"{answer} on a {spec.min}–{spec.max} scale (pass mark {point})"
        return "scale_below", params, text
    if item.type == ItemType.choice:
        option = next(option for option in item.options if option.value == answer)
        best = max(option.points for option in item.options)
        label = option.label.get("en", option.value)
        params = {"value": option.value, "label": label, "points": option.points, "max": best}
        params |= _in_languages("label", option.label)
        return "choice_below", params, f'answered "{label}" ({_num(option.points)} of {_num(best)})'
    target = item.target
    assert target is not None  # a number scores only with a target
    unit = target.unit.get("en", "")
    sign = "≤" if target.full_at < target.zero_at else "≥"
    params = {"value": answer, "full_at": target.full_at, "zero_at": target.zero_at, "unit": unit}
    params |= _in_languages("unit", target.unit)
    value = f"{_num(_number(answer) or 0.0)} {unit}".strip()
    return "number_off_target", params, f"{value}, target {sign} {_num(target.full_at)}"


def _failure(item: Item, result: ItemResult, answer: object) -> FailedItem | None:
    if result.passed is not False or result.score is None:
        return None
    answer = cast(Scalar, answer)  # it scored, so it is a valid value
    code, params, reason = _reason(item, answer)
    return FailedItem(
        key=item.key,
        section=result.section,
        type=item.type,
        critical=item.critical,
        answer=answer,
        score=result.score,
        pass_mark=item.pass_mark,
        code=code,
        params=params,
        reason=reason,
    )


def _ratio(earned: float, possible: float) -> float | None:
    return _clamp(earned / possible * 100, 100.0) if possible > 0 else None


def score_audit(doc: Checklist, answers: Answers) -> AuditScore:
    """Score ``answers`` (which should pass :func:`validate_answers`) against ``doc``.

    A section scores earned / possible over its answered, applicable, scored, non-N/A items,
    with earned = Σ weight × item score and possible = Σ weight: weights scale the ceiling as
    well as the sum. The audit is the section-weighted mean of the sections that scored; a
    failed critical item caps it at ``doc.critical_policy.cap``. Dimensions pool items across
    sections by item weight alone.
    """
    applicable = applicable_items(doc, answers)
    results: list[ItemResult] = []
    failed: list[FailedItem] = []
    sections: list[SectionScore] = []
    dimensions: dict[Dimension, list[float]] = {}
    for section in doc.sections:
        earned = possible = 0.0
        for item in section.items:
            answer = answers.get(item.key)
            result = _result(section.key, item, answer, item.key in applicable)
            results.append(result)
            if result.score is None:
                continue
            earned += item.weight * result.score
            possible += item.weight
            if item.dimension is not None:
                pair = dimensions.setdefault(item.dimension, [0.0, 0.0])
                pair[0] += item.weight * result.score
                pair[1] += item.weight
            if failure := _failure(item, result, answer):
                failed.append(failure)
        sections.append(
            SectionScore(section.key, section.weight, _ratio(earned, possible), earned, possible)
        )
    return _audit(doc, results, failed, sections, dimensions)


def _audit(
    doc: Checklist,
    results: list[ItemResult],
    failed: list[FailedItem],
    sections: list[SectionScore],
    dimensions: dict[Dimension, list[float]],
) -> AuditScore:
    scored = [s for s in sections if s.score is not None and s.weight > 0]
    total = sum(s.weight for s in scored)
    weighted = sum(s.weight * s.score for s in scored if s.score is not None)
    raw = _clamp(weighted / total, 100.0) if total > 0 else None
    critical = [f for f in failed if f.critical]
    score = min(raw, doc.critical_policy.cap) if critical and raw is not None else raw
    counts = {status: 0 for status in ItemStatus}
    for result in results:
        counts[result.status] += 1
    return AuditScore(
        score=score,
        raw_score=raw,
        critical_fail=bool(critical),
        critical_failures=critical,
        failed=failed,
        sections=sections,
        dimensions={
            dimension: ratio
            for dimension, (earned, possible) in dimensions.items()
            if (ratio := _ratio(earned, possible)) is not None
        },
        items=results,
        answered=counts[ItemStatus.scored] + counts[ItemStatus.recorded],
        na=counts[ItemStatus.na],
        not_applicable=counts[ItemStatus.not_applicable],
        unanswered=counts[ItemStatus.unanswered],
    )


def validate_answers(doc: Checklist, answers: Answers) -> dict[str, str]:
    """An English message per item key whose answer is wrong; empty when all is well.

    Flags unknown keys, required applicable items left unanswered (text and photo too), N/A
    where it is not allowed and values of the wrong type, out of range or not among the
    options. Answers to items whose condition does not hold are ignored.
    """
    items = {item.key: item for item in doc.items()}
    errors = {key: "Unknown item." for key in answers if key not in items}
    applicable = applicable_items(doc, answers)
    for key, item in items.items():
        answer = answers.get(key)
        if key not in applicable:
            continue
        if _missing(answer):
            if item.required:
                photo = item.type == ItemType.photo
                errors[key] = "A photo is required." if photo else "An answer is required."
        elif answer == NA:
            if not item.na_allowed:
                errors[key] = "N/A is not allowed for this item."
        elif error := _value_error(item, answer):
            errors[key] = error
    return errors


def restrict(doc: Checklist, keys: Iterable[str]) -> Checklist:
    """``doc`` with only the items in ``keys``, dropping sections left empty.

    Scoring ``restrict(old, shared)`` and ``restrict(new, shared)`` compares two versions on the
    items they share. Section weights and the critical policy are kept as they are.
    """
    keep = set(keys)
    sections = [
        msgspec.structs.replace(section, items=[i for i in section.items if i.key in keep])
        for section in doc.sections
    ]
    return msgspec.structs.replace(doc, sections=[s for s in sections if s.items])


def stored_results(score: AuditScore) -> str:
    """``score`` as JSON text for an audit's ``results`` column: written once, when the audit is
    filed (or imported), and read back by :func:`results_from` instead of scoring again."""
    return msgspec.json.encode(score).decode()


def results_from(stored: object) -> AuditScore:
    """The :class:`AuditScore` an audit stored at filing (JSON text, or the decoded value)."""
    if isinstance(stored, AuditScore):
        return stored
    try:
        if isinstance(stored, str | bytes):
            return msgspec.json.decode(stored, type=AuditScore)
        return msgspec.convert(stored, AuditScore)
    except msgspec.ValidationError as error:  # e.g. "{}": a row written around filing
        raise ValueError(f"The audit has no stored results ({error}).") from None
