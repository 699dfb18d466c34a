"""An organisation to file audits against, and answers that fit the default checklist."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from pathlib import Path

import msgspec
import pytest

from audits.org.users import create_user
from audits.tables import Branch, Region, Role, Shift, Staff
from checklists import queries
from checklists.documents import load_checklist
from checklists.model import Checklist, ItemType
from checklists.scoring import applicable_items

from ..conftest import run

DEFAULTS = Path(__file__).resolve().parents[2] / "checklists" / "defaults"


@functools.cache
def _default_checklist_json(name: str) -> bytes:
    return msgspec.json.encode(load_checklist((DEFAULTS / f"{name}.yaml").read_text("utf-8")))


def default_checklist(name: str = "service-fundamentals") -> Checklist:
    """A shipped checklist, its YAML read once per session (ruamel takes ~0.3 s a file) and
    handed out as a fresh copy each time."""
    return msgspec.json.decode(_default_checklist_json(name), type=Checklist)


PASSWORD = "correct-horse"


def perfect_answers(doc: Checklist) -> dict:
    """Best answers to every item the form would show, in order (conditions honoured)."""
    answers: dict = {}
    for item in doc.items():
        if item.key not in applicable_items(doc, answers):
            continue
        if item.type is ItemType.yes_no:
            answers[item.key] = True
        elif item.type is ItemType.scale:
            answers[item.key] = item.scale.max
        elif item.type is ItemType.choice:
            answers[item.key] = max(item.options, key=lambda o: o.points).value
        elif item.type is ItemType.number:
            answers[item.key] = item.target.full_at
        elif item.type is ItemType.text:
            answers[item.key] = "Anna at the counter"
    return answers


async def _organisation() -> None:
    region = (await Region.insert(Region(code="R1", name="Attica")).returning(Region.id))[0]["id"]
    for code, zone in (("B1", "Europe/Athens"), ("B2", "Europe/Warsaw")):
        branch = await Branch.insert(
            Branch(code=code, name=f"Branch {code}", region=region, timezone=zone)
        ).returning(Branch.id)
        await Staff.insert(Staff(branch=branch[0]["id"], code=f"{code}-S1", name="Anna"))
    await Shift.insert(
        Shift(name="morning", start_minute=7 * 60, end_minute=12 * 60),
        Shift(name="afternoon", start_minute=12 * 60, end_minute=17 * 60),
        Shift(name="evening", start_minute=17 * 60, end_minute=22 * 60),
    )
    for name, role, branches in (
        ("sam", Role.shopper, ()),
        ("sue", Role.shopper, ()),
        ("max", Role.manager, ("B1",)),
        ("mia", Role.manager, ("B2",)),
        ("ada", Role.office, ()),
        ("root", Role.admin, ()),
    ):
        await create_user(name, PASSWORD, role, branches=branches)
    doc = default_checklist()
    await queries.import_checklist(doc, by="test", publish=True)


@pytest.fixture
def org(db):
    """Branches B1 (Athens) and B2 (Warsaw), shifts, staff, the published default checklist,
    shoppers sam and sue, managers max (B1) and mia (B2), office ada, admin root."""
    run(_organisation())
    _, doc = run(queries.get_version("service-fundamentals"))
    return doc


def audit_body(doc: Checklist, **overrides) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "branch": "B1",
        "checklist": "service-fundamentals",
        "visited_at": "2026-03-10T18:30:00+02:00",
        "channel": "in_person",
        "staff": "B1-S1",
        "answers": perfect_answers(doc),
        "comments": {},
    }
    body.update(overrides)
    return body


def yesterday_local() -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
