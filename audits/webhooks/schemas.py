"""What webhooks send and what admins send and read: the event bodies (one Struct per event,
tagged by ``type``, so the OpenAPI documents each), the endpoints, the delivery log, and the
room's errors.

No event names a person: not the shopper who filed an audit, not the staff member served, not
the reviewer. Receivers learn what happened, where (branch code), against which checklist and
with what score, as head office's reports do; names stay in Evenly.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class AuditData(msgspec.Struct, kw_only=True):
    """An audit as events tell it: no shopper, no staff member, no answers."""

    audit_id: uuid.UUID
    status: str
    branch: str
    checklist: str
    checklist_version: int
    channel: str
    shift: str | None = None
    visited_at: dt.datetime
    score: float | None = None
    critical_fail: bool = False
    resubmitted: bool = False


class ActionData(msgspec.Struct, kw_only=True):
    """A corrective action as events tell it."""

    action_id: int
    audit_id: uuid.UUID
    branch: str
    checklist: str
    item_key: str
    severity: str
    critical: bool
    due_date: dt.date
    state: str


class ImportData(msgspec.Struct, kw_only=True):
    """What an import of audit history wrote."""

    imported: int
    already_stored: int
    branches_created: int = 0
    staff_created: int = 0
    auditors_created: int = 0
    regions_created: int = 0
    checklist: str | None = None


class TestData(msgspec.Struct, kw_only=True):
    message: str
    endpoint_id: int


class _Event(msgspec.Struct, kw_only=True, tag_field="type"):
    id: uuid.UUID
    created_at: dt.datetime


class AuditSubmitted(_Event, tag="audit.submitted"):
    data: AuditData


class AuditPublished(_Event, tag="audit.published"):
    data: AuditData


class AuditReturned(_Event, tag="audit.returned"):
    data: AuditData


class ActionOpened(_Event, tag="action.opened"):
    data: ActionData


class ActionOverdue(_Event, tag="action.overdue"):
    data: ActionData


class ActionVerified(_Event, tag="action.verified"):
    data: ActionData


class ImportFinished(_Event, tag="import.finished"):
    data: ImportData


class WebhookTest(_Event, tag="webhook.test"):
    data: TestData


EventBody = (
    AuditSubmitted
    | AuditPublished
    | AuditReturned
    | ActionOpened
    | ActionOverdue
    | ActionVerified
    | ImportFinished
    | WebhookTest
)
"""The JSON body of every request Evenly sends, told apart by ``type``."""

BODY_OF: dict[str, type[_Event]] = {
    cls.__struct_config__.tag: cls  # type: ignore[misc]
    for cls in (
        AuditSubmitted,
        AuditPublished,
        AuditReturned,
        ActionOpened,
        ActionOverdue,
        ActionVerified,
        ImportFinished,
        WebhookTest,
    )
}


class EventType(msgspec.Struct, kw_only=True):
    type: str
    description: str


class EndpointCreate(msgspec.Struct, kw_only=True):
    url: str
    events: list[str]
    description: str = ""
    active: bool = True


class EndpointUpdate(msgspec.Struct, kw_only=True):
    url: str | msgspec.UnsetType = msgspec.UNSET
    events: list[str] | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class EndpointOut(msgspec.Struct, kw_only=True):
    """An endpoint as pages and the API read it: never its secret."""

    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: dt.datetime
    pending: int = 0
    failed: int = 0


class EndpointSecret(msgspec.Struct, kw_only=True):
    """An endpoint with its new secret: the only answer that carries it."""

    endpoint: EndpointOut
    secret: str


class DeliveryOut(msgspec.Struct, kw_only=True):
    id: int
    key: uuid.UUID
    event_id: uuid.UUID
    event: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_status: int | None = None
    last_error: str = ""
    created_at: dt.datetime
    delivered_at: dt.datetime | None = None


class DeliveryRun(msgspec.Struct):
    """What one pass of the runner did."""

    delivered: int = 0
    failed: int = 0
    gave_up: int = 0
    pruned: int = 0  # finished deliveries older than the log keeps, deleted


class WebhookError(Exception):
    pass


class EndpointNotFound(WebhookError):
    pass


class EndpointRejected(WebhookError):
    """Fields that cannot be stored: ``errors`` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
