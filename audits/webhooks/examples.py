"""One example body of every event, as receivers get it (for the API's documentation and the
docs page; made-up values, pure)."""

from __future__ import annotations

import datetime as dt
import uuid

from audits.webhooks.schemas import (
    BODY_OF,
    ActionData,
    AuditData,
    EventBody,
    ImportData,
    TestData,
)

_AT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
_AUDIT = uuid.UUID("5f0c1a4e-8d2b-4c1e-9a77-3b2f6d0e9c11")


def _audit(status: str) -> AuditData:
    return AuditData(
        audit_id=_AUDIT,
        status=status,
        branch="B07",
        checklist="service-fundamentals",
        checklist_version=3,
        channel="in_person",
        shift="evening",
        visited_at=_AT - dt.timedelta(days=1),
        score=82.5,
        critical_fail=False,
    )


def _action(state: str) -> ActionData:
    return ActionData(
        action_id=412,
        audit_id=_AUDIT,
        branch="B07",
        checklist="service-fundamentals",
        item_key="acknowledged_promptly",
        severity="major",
        critical=False,
        due_date=dt.date(2026, 12, 21),
        state=state,
    )


def example_bodies() -> list[EventBody]:
    data = {
        "audit.submitted": _audit("submitted"),
        "audit.published": _audit("published"),
        "audit.returned": _audit("returned"),
        "action.opened": _action("open"),
        "action.overdue": _action("open"),
        "action.verified": _action("verified"),
        "import.finished": ImportData(imported=1200, already_stored=0, checklist=None),
        "webhook.test": TestData(message="A test from Evenly's admin page.", endpoint_id=1),
    }
    return [
        BODY_OF[kind](id=uuid.UUID(int=n + 1), created_at=_AT, data=value)  # type: ignore[call-arg, misc]
        for n, (kind, value) in enumerate(data.items())
    ]
