"""The checklist document: what a published version says, as plain values.

These Structs are the one shape a checklist has outside the database: the YAML file, the
JSON API and the scoring functions all use them. They import neither Piccolo nor Litestar.
"""

from __future__ import annotations

import enum

import msgspec

LANGUAGES: tuple[str, ...] = ("en", "el", "pl", "fa")
"""Languages every checklist text may carry; English is required and is the fallback."""

I18n = dict[str, str]
"""Text per language code, e.g. ``{"en": "Greeted?", "el": "..."}``."""


class ItemType(str, enum.Enum):
    yes_no = "yes_no"
    scale = "scale"
    choice = "choice"
    number = "number"
    text = "text"
    photo = "photo"


SCORED_TYPES = frozenset({ItemType.yes_no, ItemType.scale, ItemType.choice, ItemType.number})


class Dimension(str, enum.Enum):
    """Service dimensions drawn from the seed articles (see docs/checklists.md, "Dimensions")."""

    respect = "respect"
    timeliness = "timeliness"
    effectiveness = "effectiveness"
    personal_interest = "personal_interest"
    trust_honesty = "trust_honesty"
    ownership = "ownership"
    recovery = "recovery"
    follow_up = "follow_up"
    premises_channels = "premises_channels"


class ActionRule(str, enum.Enum):
    """When a failed item opens a corrective action for the branch."""

    always = "always"
    critical = "critical"
    never = "never"


class ScaleSpec(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A rating from ``min`` to ``max``; ``labels`` name some points (keys are the points)."""

    min: int = 1
    max: int = 5
    labels: dict[str, I18n] = {}


class ChoiceOption(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """One answer of a choice item, worth ``points`` (the best option sets the ceiling)."""

    value: str
    label: I18n
    points: float = 0.0


class NumberTarget(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Full points at ``full_at``, none at ``zero_at``, linear between.

    ``full_at < zero_at`` means lower is better (a wait in minutes); the reverse means higher
    is better.
    """

    full_at: float
    zero_at: float
    unit: I18n = {}


class Ask(str, enum.Enum):
    """What the form asks for when an item fails: ``required`` refuses the audit without it,
    ``offered`` opens the box (or marks the photo control) without insisting."""

    required = "required"
    offered = "offered"


class OnFail(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """What a shopper is asked for when the item fails (by the scoring's own pass mark): a
    comment (offered by default) and a photo (offered by default)."""

    comment: Ask = Ask.offered
    photo: Ask = Ask.offered


class Condition(msgspec.Struct, forbid_unknown_fields=True):
    """Show an item only when item ``item`` was answered with one of ``in_``."""

    item: str
    in_: list[str | int | float | bool] = msgspec.field(name="in")


class Item(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """One question of a checklist. ``key`` is stable across versions."""

    key: str
    type: ItemType
    text: I18n
    dimension: Dimension | None = None
    help: I18n = {}
    weight: float = 1.0
    critical: bool = False
    na_allowed: bool = False
    required: bool = True
    pass_mark: float = 0.5
    condition: Condition | None = None
    action: ActionRule = ActionRule.always
    scale: ScaleSpec | None = None
    options: list[ChoiceOption] = []
    target: NumberTarget | None = None
    on_fail: OnFail | None = None


class Section(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    key: str
    title: I18n
    items: list[Item]
    weight: float = 1.0


class CriticalPolicy(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """How a failed critical item caps the audit score (0 means the audit scores 0)."""

    cap: float = 0.0


class Checklist(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A checklist version as a document: the YAML file and the API body."""

    slug: str
    title: I18n
    sections: list[Section]
    description: I18n = {}
    channel: str | None = None
    critical_policy: CriticalPolicy = msgspec.field(default_factory=CriticalPolicy)

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item:
        for item in self.items():
            if item.key == key:
                return item
        raise KeyError(key)


def text_in(texts: I18n, lang: str) -> tuple[str, bool]:
    """The text in ``lang``, else English; the flag says whether it fell back."""
    if texts.get(lang):
        return texts[lang], False
    return texts.get("en", ""), lang != "en"
