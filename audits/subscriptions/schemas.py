"""Report subscriptions and deliveries at the boundary, and the room's errors."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from audits.boundary.bounds import Code, Name

Kind = Literal["branch", "headoffice", "visits"]
Cadence = Literal["weekly", "monthly", "approval"]


class SubscriptionCreate(msgspec.Struct, kw_only=True):
    """Subscribe ``username`` to a report. ``branch``: one branch's code, or none for
    "each branch the manager manages" (branch and visits kinds). ``cadence``: weekly or monthly
    for the PDFs; a visits subscription sends each approved visit (``approval``)."""

    username: Name
    kind: Kind
    branch: Code | None = None
    cadence: Cadence = "monthly"


class SubscriptionOut(msgspec.Struct, kw_only=True):
    id: int
    username: str
    email: str
    language: str | None
    kind: str
    branch: str | None
    cadence: str
    active: bool
    created_by: str
    created_at: dt.datetime


class DeliveryOut(msgspec.Struct, kw_only=True):
    """One report sent (or being sent, or failed) to one subscriber for one period."""

    id: int
    subscription: int
    username: str | None
    kind: str
    period: str
    branch: str
    address: str
    language: str
    subject: str
    attached: bool
    size: int
    status: str
    error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class FieldProblem(msgspec.Struct, frozen=True):
    key: str
    message: str


class SubscriptionRejected(Exception):
    """The subscription cannot be made as asked; ``errors`` name the fields."""

    def __init__(self, errors: list[FieldProblem]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class SubscriptionNotFound(Exception):
    """No such subscription."""
