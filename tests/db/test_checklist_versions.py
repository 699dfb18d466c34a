"""Versions: drafts, publishing, immutability, on the real database."""

import msgspec
import pytest

from checklists import queries
from checklists.model import Checklist


def _doc(weight: float = 1.0, extra_item: bool = False) -> Checklist:
    items = [
        {"key": "greeted", "type": "yes_no", "text": {"en": "Greeted?"}, "weight": weight},
        {
            "key": "wait_minutes",
            "type": "number",
            "text": {"en": "Wait"},
            "target": {"full_at": 3, "zero_at": 10},
        },
    ]
    if extra_item:
        items.append({"key": "smiled", "type": "yes_no", "text": {"en": "Smiled?"}})
    return msgspec.convert(
        {
            "slug": "visit",
            "title": {"en": "Visit", "el": "Επίσκεψη"},
            "sections": [{"key": "s1", "title": {"en": "One"}, "items": items}],
        },
        Checklist,
    )


async def test_import_checklist_new_slug_creates_draft_version_one(db):
    info = await queries.import_checklist(_doc(), by="office")
    assert (info.slug, info.number, info.status) == ("visit", 1, "draft")
    _, stored = await queries.get_version("visit", 1)
    assert stored == _doc()


async def test_save_draft_published_version_raises_frozen_and_keeps_content(db):
    await queries.import_checklist(_doc(), by="office", publish=True)
    with pytest.raises(queries.VersionFrozen):
        await queries.save_draft("visit", 1, _doc(weight=3.0), by="office")
    _, stored = await queries.get_version("visit", 1)
    assert stored.item("greeted").weight == 1.0


async def test_start_draft_after_publish_copies_latest_into_version_two(db):
    await queries.import_checklist(_doc(), by="office", publish=True)
    draft = await queries.start_draft("visit", by="office")
    assert (draft.number, draft.status) == (2, "draft")
    await queries.save_draft("visit", 2, _doc(extra_item=True), by="office")
    await queries.publish_version("visit", 2, by="office")
    _, old = await queries.get_version("visit", 1)
    _, new = await queries.get_version("visit")
    assert [i.key for i in old.items()] == ["greeted", "wait_minutes"]
    assert [i.key for i in new.items()] == ["greeted", "wait_minutes", "smiled"]


async def test_publish_version_twice_raises_frozen(db):
    await queries.import_checklist(_doc(), by="office", publish=True)
    with pytest.raises(queries.VersionFrozen):
        await queries.publish_version("visit", 1, by="office")


async def test_list_checklists_retired_checklist_is_marked(db):
    await queries.import_checklist(_doc(), by="office", publish=True)
    await queries.set_retired("visit", True)
    [summary] = await queries.list_checklists()
    assert summary.retired and summary.published == 1 and summary.items == 2
