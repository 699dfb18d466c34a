"""What changed between two versions of a checklist, item by item (pure).

Items and sections are matched by ``key``, which is stable across versions. Knowing the shared
keys lets scores of two versions be compared on common ground (see ``scoring.restrict``).
"""

from __future__ import annotations

import msgspec

from checklists.model import Checklist, CriticalPolicy, Item, Section


class ItemChange(msgspec.Struct, frozen=True):
    """An item in both versions; ``fields`` names what differs, in ``Item`` field order.

    ``"section"`` (first when present) means the item moved to another section.
    """

    key: str
    fields: list[str]


class SectionReweight(msgspec.Struct, frozen=True):
    key: str
    old: float
    new: float


class PolicyChange(msgspec.Struct, frozen=True):
    old: CriticalPolicy
    new: CriticalPolicy


class VersionDiff(msgspec.Struct, frozen=True):
    """Item keys are listed in document order: the new version's, the old one's for removals.

    ``critical_policy`` is None when the policy did not change.
    """

    added: list[str]
    removed: list[str]
    changed: list[ItemChange]
    shared: list[str]
    sections_added: list[str]
    sections_removed: list[str]
    sections_reweighted: list[SectionReweight]
    sections_retitled: list[str]
    critical_policy: PolicyChange | None = None

    @property
    def unchanged(self) -> bool:
        """True when nothing at all differs."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.sections_added
            or self.sections_removed
            or self.sections_reweighted
            or self.sections_retitled
            or self.critical_policy
        )


def _placed(doc: Checklist) -> dict[str, tuple[str, Item]]:
    """Item key to (section key, item), in document order."""
    return {item.key: (section.key, item) for section in doc.sections for item in section.items}


def _changed_fields(old: tuple[str, Item], new: tuple[str, Item]) -> list[str]:
    fields = ["section"] if old[0] != new[0] else []
    for name in Item.__struct_fields__:
        if getattr(old[1], name) != getattr(new[1], name):
            fields.append(name)
    return fields


def _section_changes(
    old: dict[str, Section], new: dict[str, Section]
) -> tuple[list[SectionReweight], list[str]]:
    shared = [key for key in new if key in old]
    reweighted = [
        SectionReweight(key, old[key].weight, new[key].weight)
        for key in shared
        if old[key].weight != new[key].weight
    ]
    return reweighted, [key for key in shared if old[key].title != new[key].title]


def compare_versions(old: Checklist, new: Checklist) -> VersionDiff:
    """How ``new`` differs from ``old``: items added, removed and changed, sections, policy.

    A change in an item's order within its section is not reported.
    """
    old_items, new_items = _placed(old), _placed(new)
    changed = [
        ItemChange(key, fields)
        for key, placed in new_items.items()
        if key in old_items and (fields := _changed_fields(old_items[key], placed))
    ]
    old_sections = {section.key: section for section in old.sections}
    new_sections = {section.key: section for section in new.sections}
    reweighted, retitled = _section_changes(old_sections, new_sections)
    policy = None
    if old.critical_policy != new.critical_policy:
        policy = PolicyChange(old.critical_policy, new.critical_policy)
    return VersionDiff(
        added=[key for key in new_items if key not in old_items],
        removed=[key for key in old_items if key not in new_items],
        changed=changed,
        shared=[key for key in new_items if key in old_items],
        sections_added=[key for key in new_sections if key not in old_sections],
        sections_removed=[key for key in old_sections if key not in new_sections],
        sections_reweighted=reweighted,
        sections_retitled=retitled,
        critical_policy=policy,
    )
