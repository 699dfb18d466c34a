"""The demo's corrective actions: every state a newcomer should see, linked as the real flow
links them, and loaded once."""

import datetime as dt
from pathlib import Path

import pytest

from audits.actions.selectors import list_actions
from audits.demo import generator as demo
from audits.demo.load import load_demo
from audits.org.users import CurrentUser
from audits.tables import ActionEvent, CorrectiveAction, Role
from checklists.documents import load_checklist

DEFAULTS = Path(__file__).parents[2] / "checklists" / "defaults"
OFFICE = CurrentUser(id=0, username="office", role=Role.office)


def _checklists():
    names = ("service-fundamentals", "phone-call")
    return [load_checklist((DEFAULTS / f"{n}.yaml").read_text(encoding="utf-8")) for n in names]


@pytest.fixture(scope="module")
def org():
    start = dt.date.today() - dt.timedelta(days=150)
    return demo.generate_demo(_checklists()[0], start=start, days=150, visits_scale=0.3)


async def test_demo_holds_actions_in_every_state(db, org):
    await load_demo(org, _checklists())
    actions = await list_actions(OFFICE, now=dt.datetime.now(dt.UTC), limit=100_000)
    states = {a.state for a in actions}
    assert states == {"open", "done", "verified", "verified_by_visit", "recurred"}
    open_ = [a for a in actions if a.state == "open"]
    assert any(a.overdue for a in open_) and any(not a.overdue for a in open_)
    by_id = {a.id: a for a in actions}
    for recurred in (a for a in actions if a.state == "recurred"):
        new = by_id[recurred.recurred_as]
        assert (new.branch, new.item, new.recurrence_of) == (
            recurred.branch,
            recurred.item,
            recurred.id,
        )
        assert new.opened_at >= recurred.opened_at
    done = [a for a in actions if a.state == "done"]
    assert done and all(a.branch in demo.MANAGED_BRANCHES and a.owners == ["manager"] for a in done)


async def test_demo_actions_every_step_recorded(db, org):
    await load_demo(org, _checklists())
    actions = await CorrectiveAction.count()
    opened = await ActionEvent.count().where(ActionEvent.kind == "opened")
    assert opened == actions
    for kind in ("done", "verified", "recurred", "verified_by_visit"):
        assert await ActionEvent.count().where(ActionEvent.kind == kind) > 0, kind


async def test_demo_actions_second_run_adds_nothing(db, org):
    first = await load_demo(org, _checklists())
    rows = await CorrectiveAction.select().order_by(CorrectiveAction.id)
    again = await load_demo(org, _checklists())
    assert first.actions == len(rows) and again.actions == 0
    assert await CorrectiveAction.select().order_by(CorrectiveAction.id) == rows
