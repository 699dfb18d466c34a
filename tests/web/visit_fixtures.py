"""Branches, shifts and visits for the visit pages and API: one open, one of ``sam``'s, one of
``kim``'s (another shopper)."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.org.users import create_user
from audits.tables import Branch, Role, Shift
from audits.visits import services as visits_services
from audits.visits.schemas import VisitCreate

from ..conftest import run


async def _make() -> dict[str, int]:
    await Branch.insert(
        Branch(code="V01", name="Syntagma", timezone="Europe/Athens"),
        Branch(code="V02", name="Kraków Rynek", timezone="Europe/Warsaw"),
    )
    await Shift.insert(
        Shift(name="morning", start_minute=420, end_minute=720),
        Shift(name="evening", start_minute=1020, end_minute=1320),
    )
    await create_user("kim", "correct-horse", Role.shopper)
    now = dt.datetime.now(dt.UTC)
    soon = now.date() + dt.timedelta(days=2)
    ids = {}
    # The open visit is far enough from sam's at the same branch for sam to take it.
    for name, branch, shopper, day in (
        ("open", "V01", None, soon + dt.timedelta(days=21)),  # same weekday
        ("sam", "V01", "sam", soon),
        ("kim", "V02", "kim", soon),
    ):
        data = VisitCreate(branch, "service-fundamentals", day, shift="morning", shopper=shopper)
        ids[name] = (await visits_services.create_visit(data, by="ada", now=now)).id
    return ids


@pytest.fixture(name="planned")
def planned_fixture(people, fundamentals) -> dict[str, int]:
    """Visit ids by whose they are: ``open``, ``sam`` (the test shopper), ``kim``."""
    return run(_make())
