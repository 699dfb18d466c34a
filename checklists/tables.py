"""Checklists in the database: a checklist, its numbered versions, their sections and items.

A version is a draft until it is published; a published version never changes (queries refuse
with ``VersionFrozen``), so an audit filed against it keeps its meaning. Texts are JSON objects
keyed by language (``{"en": ..., "el": ...}``).
"""

from enum import Enum

from piccolo.columns import (
    JSON,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.column_types import Serial  # `id: Serial`: Piccolo adds the column; typed here
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class ChecklistTemplate(Table, tablename="checklist"):
    """A checklist as head office names it; its content lives in its versions."""

    id: Serial

    slug = Varchar(length=80, unique=True)
    title = JSON(default="{}")
    channel = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    retired_at = Timestamptz(null=True, default=None)


class ChecklistVersion(Table, tablename="checklist_version"):
    id: Serial

    class Status(str, Enum):
        draft = "draft"
        published = "published"

    checklist = ForeignKey(ChecklistTemplate, on_delete=OnDelete.cascade)
    number = Integer()
    status = Varchar(length=20, choices=Status, default=Status.draft)
    title = JSON(default="{}")
    description = JSON(default="{}")
    channel = Varchar(length=40, null=True, default=None)
    critical_cap = DoublePrecision(default=0.0)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = Varchar(length=150, default="")
    published_at = Timestamptz(null=True, default=None)
    published_by = Varchar(length=150, default="")


class ChecklistSection(Table, tablename="checklist_section"):
    id: Serial
    version = ForeignKey(ChecklistVersion, on_delete=OnDelete.cascade)
    key = Varchar(length=80)
    position = Integer()
    weight = DoublePrecision(default=1.0)
    title = JSON(default="{}")


class ChecklistItem(Table, tablename="checklist_item"):
    """One question; ``spec`` holds the type's scale, options or number target."""

    id: Serial

    version = ForeignKey(ChecklistVersion, on_delete=OnDelete.cascade)
    section = ForeignKey(ChecklistSection, on_delete=OnDelete.cascade)
    key = Varchar(length=80)
    position = Integer()
    type = Varchar(length=20)
    dimension = Varchar(length=40, null=True, default=None)
    weight = DoublePrecision(default=1.0)
    critical = Boolean(default=False)
    na_allowed = Boolean(default=False)
    required = Boolean(default=True)
    pass_mark = DoublePrecision(default=0.5)
    action = Varchar(length=20, default="always")
    text = JSON(default="{}")
    help = JSON(default="{}")
    condition = JSON(null=True, default=None)
    spec = JSON(null=True, default=None)
