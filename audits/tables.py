"""The organisation, its people, and the audits filed against checklist versions.

Users are Piccolo's ``BaseUser`` (hashed passwords, login); ``Profile`` adds the Evenly role and
language, ``ManagedBranch`` says which branches a manager reads.
"""

from enum import Enum

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from checklists.tables import ChecklistVersion


class Role(str, Enum):
    shopper = "shopper"
    manager = "manager"
    office = "office"
    admin = "admin"


class Region(Table, tablename="region"):
    code = Varchar(length=40, unique=True)
    name = Varchar(length=200)


class Branch(Table, tablename="branch"):
    code = Varchar(length=40, unique=True)
    name = Varchar(length=200)
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null)
    timezone = Varchar(length=64, default="UTC")
    address = Text(default="")
    active = Boolean(default=True)


class Shift(Table, tablename="shift"):
    """A named time window of the organisation (``branch`` null) or of one branch.

    Times are minutes after local midnight; ``end_minute`` below ``start_minute`` wraps midnight.
    """

    name = Varchar(length=40)
    start_minute = Integer()
    end_minute = Integer()
    branch = ForeignKey(Branch, null=True, on_delete=OnDelete.cascade)


class Staff(Table, tablename="staff"):
    branch = ForeignKey(Branch, on_delete=OnDelete.cascade)
    code = Varchar(length=40)
    name = Varchar(length=200, default="")
    active = Boolean(default=True)


class Profile(Table, tablename="profile"):
    user = ForeignKey(BaseUser, unique=True, on_delete=OnDelete.cascade)
    role = Varchar(length=20, choices=Role)
    language = Varchar(length=5, null=True, default=None)


class ManagedBranch(Table, tablename="managed_branch"):
    user = ForeignKey(BaseUser, on_delete=OnDelete.cascade)
    branch = ForeignKey(Branch, on_delete=OnDelete.cascade)


class Audit(Table, tablename="audit"):
    """One visit's audit. ``id`` is made by the shopper's device, so a retried submission
    finds the audit it already created. Scores are computed once, at filing, against the
    (immutable) version it points at."""

    class Status(str, Enum):
        draft = "draft"
        submitted = "submitted"
        returned = "returned"
        published = "published"

    id = UUID(primary_key=True)
    version = ForeignKey(ChecklistVersion, on_delete=OnDelete.restrict)
    branch = ForeignKey(Branch, on_delete=OnDelete.restrict)
    shift = ForeignKey(Shift, null=True, on_delete=OnDelete.set_null)
    staff = ForeignKey(Staff, null=True, on_delete=OnDelete.set_null)
    auditor = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    channel = Varchar(length=40, default="in_person")
    visited_at = Timestamptz()
    submitted_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=20, choices=Status, default=Status.submitted)
    answers = JSON(default="{}")
    comments = JSON(default="{}")
    score = DoublePrecision(null=True, default=None)
    raw_score = DoublePrecision(null=True, default=None)
    critical_fail = Boolean(default=False)
    section_scores = JSON(default="{}")
    dimension_scores = JSON(default="{}")
