"""Drafts are head office's work in progress: other roles see published versions only."""

from __future__ import annotations

from audits.org.users import CurrentUser
from checklists import queries
from checklists.model import Checklist
from checklists.queries import ChecklistSummary, VersionInfo


def may_read(info: VersionInfo, user: CurrentUser | None) -> bool:
    return info.status == "published" or bool(user and user.is_office)


def visible_checklists(
    summaries: list[ChecklistSummary], user: CurrentUser | None
) -> list[ChecklistSummary]:
    if user and user.is_office:
        return summaries
    return [
        ChecklistSummary(**{**_fields(s), "draft": None})
        for s in summaries
        if s.published is not None
    ]


async def readable_version(
    slug: str, number: int | None, user: CurrentUser | None
) -> tuple[VersionInfo, Checklist]:
    """The version if this user may read it; a draft is 'not found' for other roles."""
    info, doc = await queries.get_version(slug, number)
    if not may_read(info, user):
        raise queries.VersionNotFound(f"Checklist {slug!r} has no published version {number}.")
    return info, doc


def _fields(summary: ChecklistSummary) -> dict:
    return {name: getattr(summary, name) for name in summary.__struct_fields__}
