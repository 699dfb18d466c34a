"""How a demo shopper answers each item, given the visit's latent quality (pure)."""

from __future__ import annotations

import random
import uuid
from math import gcd

from checklists.model import Checklist, Item, ItemType
from checklists.scoring import NA, applicable_items

ITEM_SD = 7.0  # how far one item's quality strays from the visit's
NA_RATE, TEXT_RATE, PHOTO_RATE, COMMENT_RATE = 0.06, 0.35, 0.5, 0.3
CRITICAL_THRESHOLD = 30.0  # a critical yes/no item fails only on a really bad visit
GATE_NA_RATE = 0.6  # an N/A-able item that opens others: "the situation did not arise"
NOTES: dict[str, tuple[str, ...]] = {  # what a shopper writes in a free-text item
    "el": ("Πολύ εξυπηρετικό προσωπικό.", "Αναμονή στο ταμείο.", "Καθαρός χώρος."),
    "pl": ("Bardzo uprzejma obsługa.", "Długa kolejka przy kasie.", "Czysto i schludnie."),
    "en": ("Friendly and quick.", "Busy, but we were served in turn.", "Tidy and well lit."),
}
FAILURE_NOTES = {  # what a shopper writes beside a failed item
    "el": ("Χρειάστηκε να ρωτήσω δύο φορές.", "Ο υπάλληλος φαινόταν βιαστικός."),
    "pl": ("Musiałem pytać dwa razy.", "Pracownik wydawał się pośpieszny."),
    "en": ("Had to ask twice.", "Staff seemed rushed.", "Nobody offered a follow-up."),
}


class AnswerModel:
    """Maps a visit's quality onto answers, item by item.

    Yes/no items pass above a threshold of their own (thresholds spread evenly, so the share
    passed tracks the quality); scales, choices and numbers take the quality as a fraction of
    their range. N/A on an item that opens others means the situation did not arise (no
    problem to handle), so it comes more often there.
    """

    def __init__(self, checklist: Checklist, rng: random.Random) -> None:
        self.doc, self.rng = checklist, rng
        self.items = checklist.items()
        self.gates = {i.condition.item for i in self.items if i.condition is not None}
        self.threshold = _thresholds(self.items)
        self.offset = {item.key: rng.uniform(-8, 8) for item in self.items}

    def draw(
        self, quality: float, audit_id: uuid.UUID, region: str
    ) -> tuple[dict[str, object], dict[str, str]]:
        """Answers to the applicable items and a few comments on failed ones."""
        answers: dict[str, object] = {}
        comments: dict[str, str] = {}
        language = "pl" if region == "PL" else "el"
        done: set[str] = set()
        todo = [item for item in self.items if item.condition is None]
        while todo:  # answering a gate may open items (and chains of them): go round again
            for item in todo:
                done.add(item.key)
                answer = self._answer(item, quality, audit_id, language)
                if answer is not None:
                    answers[item.key] = answer
                if answer is False and self.rng.random() < COMMENT_RATE:
                    comments[item.key] = self._note(FAILURE_NOTES, language)
            if self.gates.isdisjoint(item.key for item in todo):
                break
            applicable = applicable_items(self.doc, answers)
            todo = [i for i in self.items if i.key in applicable and i.key not in done]
        return answers, comments

    def _answer(self, item: Item, quality: float, audit_id: uuid.UUID, language: str) -> object:
        rng = self.rng
        if item.na_allowed and rng.random() < (GATE_NA_RATE if item.key in self.gates else NA_RATE):
            return NA
        if item.type == ItemType.text:
            if item.required or rng.random() < TEXT_RATE:
                return self._note(NOTES, language)
            return None
        if item.type == ItemType.photo:
            if item.required or rng.random() < PHOTO_RATE:
                return f"demo/{audit_id.hex[:12]}/{item.key}.jpg"
            return None
        level = quality + rng.gauss(0, ITEM_SD)
        if item.type == ItemType.yes_no:
            return level > self.threshold[item.key]
        return _graded(item, (level + self.offset[item.key]) / 100)

    def _note(self, notes: dict[str, tuple[str, ...]], language: str) -> str:
        """A note in the branch's language, or now and then in English."""
        return self.rng.choice(notes[language if self.rng.random() < 0.7 else "en"])


def _thresholds(items: list[Item]) -> dict[str, float]:
    """The quality above which each yes/no item passes: critical ones almost always, the rest
    spread evenly over 10–95 so that the share passed follows the quality.

    The spread does not depend on the seed (a seed that happened to make the heavy items easy
    would flatten every pattern), and a low-discrepancy order spreads each weight class.
    """
    graded = sorted(
        (i for i in items if i.type == ItemType.yes_no and not i.critical),
        key=lambda i: (i.weight, i.key),
    )
    count = len(graded)
    stride = next(s for s in range(max(1, round(count * 0.618)), 0, -1) if gcd(s, count) == 1)
    thresholds = {i.key: CRITICAL_THRESHOLD for i in items if i.critical}
    for k, item in enumerate(graded):
        thresholds[item.key] = 10 + 85 * ((k * stride) % count + 0.5) / count
    return thresholds


def _graded(item: Item, fraction: float) -> object:
    """The answer a fraction (about 0 worst, 1 best) of the item's range stands for."""
    if item.type == ItemType.scale:
        low, high = (item.scale.min, item.scale.max) if item.scale else (1, 5)
        return low + round(min(1.0, max(0.0, fraction)) * (high - low))
    if item.type == ItemType.choice:
        best = max(option.points for option in item.options) or 1.0
        return min(item.options, key=lambda o: abs(o.points / best - fraction)).value
    target = item.target
    if target is None:  # a bare count, e.g. people in the queue
        return float(round(max(0.0, (1 - fraction) * 8)))
    value = target.zero_at + min(1.3, max(0.0, fraction)) * (target.full_at - target.zero_at)
    coarse = abs(target.zero_at - target.full_at) >= 5
    return float(round(max(0.0, value))) if coarse else round(max(0.0, value), 1)
