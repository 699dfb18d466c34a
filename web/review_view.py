"""An audit as its pages show it: the answers under the texts of the audit's own checklist
version, section by section, with comments, photos and failed items."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from audits.fieldwork import selectors as fieldwork_selectors
from audits.fieldwork.disclosure import sees_shopper, visit_time_format
from audits.fieldwork.rules import local_time
from audits.fieldwork.schemas import AuditNotFound, AuditOut, FailedItemOut
from audits.org.users import CurrentUser
from checklists import queries as checklist_queries
from checklists.model import Checklist, I18n, Item


class AnswerRow(msgspec.Struct):
    """One item of the audit; ``failed`` is the reason when it scored below its pass mark."""

    item: Item
    answer: Any
    comment: str
    failed: FailedItemOut | None
    answered: bool


class SectionRows(msgspec.Struct):
    key: str
    title: I18n
    score: float | None
    rows: list[AnswerRow]


class AuditView(msgspec.Struct):
    """What the audit templates render; the audit is already scoped to the reader."""

    audit: AuditOut
    doc: Checklist
    sections: list[SectionRows]
    visited_local: str
    visited: dt.datetime  # on the branch's clock, for the locale's date filters
    zone: str
    time_shown: bool = True  # a manager reads the date alone (``audits.fieldwork.disclosure``)


def answer_sections(doc: Checklist, audit: AuditOut) -> list[SectionRows]:
    failed = {f.key: f for f in audit.failed}
    return [
        SectionRows(
            key=section.key,
            title=section.title,
            score=audit.section_scores.get(section.key),
            rows=[
                AnswerRow(
                    item=item,
                    answer=audit.answers.get(item.key),
                    comment=audit.comments.get(item.key, ""),
                    failed=failed.get(item.key),
                    answered=item.key in audit.answers,
                )
                for item in section.items
            ],
        )
        for section in doc.sections
    ]


async def audit_view(
    audit_id: uuid.UUID,
    user: CurrentUser,
    *,
    published_only: bool = False,
    own_only: bool = False,
) -> AuditView:
    """The audit as ``user`` may see it (``AuditNotFound`` otherwise), optionally only when it
    is published or only when ``user`` filed it."""
    audit = await fieldwork_selectors.get_audit(audit_id, user)
    if published_only and audit.status != "published":
        raise AuditNotFound(f"No published audit {audit_id}.")
    if own_only and audit.auditor != user.username:
        raise AuditNotFound(f"No audit {audit_id} of yours.")
    _, doc = await checklist_queries.get_version(audit.checklist, audit.version)
    branch = await fieldwork_selectors.branch_by_code(audit.branch)
    zone = branch["timezone"] if branch else "UTC"
    visited = local_time(audit.visited_at, zone).strftime(visit_time_format(user))
    return AuditView(
        audit=audit,
        doc=doc,
        sections=answer_sections(doc, audit),
        visited_local=f"{visited} ({zone})",
        visited=local_time(audit.visited_at, zone),
        zone=zone,
        time_shown=sees_shopper(user),
    )
