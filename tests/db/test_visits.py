"""Visit queries: planning by hand, saving a plan atomically, states in the branch's time zone,
claiming (one winner), cancelling, coverage."""

import asyncio
import datetime as dt

import pytest

from audits.org.users import create_user
from audits.tables import Branch, Role, Shift, Visit
from audits.visits import selectors as visits_selectors
from audits.visits import services as visits_services
from audits.visits.plan_types import Plan, PlannedVisit
from audits.visits.schemas import VisitCreate, VisitError, VisitFilters, VisitNotAllowed, VisitTaken
from checklists import queries
from tests.web.audit_fixtures import default_checklist

NOW = dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC)  # 22:00 in Athens, 09:00 next day in Auckland
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
async def org(db):
    doc = default_checklist()
    await queries.import_checklist(doc, by="test", publish=True)
    await Branch.insert(
        Branch(code="ATH", name="Athens", timezone="Europe/Athens"),
        Branch(code="AKL", name="Auckland", timezone="Pacific/Auckland"),
    )
    await Shift.insert(Shift(name="morning", start_minute=420, end_minute=720))
    return {
        name: (await create_user(name, "correct-horse", role)).id
        for name, role in (("sam", Role.shopper), ("kim", Role.shopper), ("ada", Role.office))
    }


def _create(branch="ATH", start=TODAY, shopper=None, **kwargs):
    data = VisitCreate(branch, "service-fundamentals", start, shift="morning", shopper=shopper)
    return visits_services.create_visit(data, by="ada", now=kwargs.get("now", NOW))


async def test_create_visit_by_hand_without_shopper_is_open(org):
    visit = await _create()
    assert visit.shopper is None and visit.state == "due" and visit.shift == "morning"
    assert [v.id for v in await visits_selectors.list_open_visits(NOW)] == [visit.id]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"branch": "NOPE"}, "No branch NOPE"),
        ({"shopper": "ada"}, "No shopper ada"),
        ({"checklist": "nope"}, "No checklist"),
        ({"shift": "night"}, "No shift"),
        ({"channel": "telepathy"}, "Unknown channel"),
        ({"window_end": TODAY - dt.timedelta(days=1)}, "ends before"),
    ],
)
async def test_create_visit_bad_input_raises_and_writes_nothing(org, change, message):
    fields = {"branch": "ATH", "checklist": "service-fundamentals", "window_start": TODAY}
    with pytest.raises(VisitError, match=message):
        await visits_services.create_visit(VisitCreate(**{**fields, **change}), by="ada", now=NOW)
    assert await Visit.count() == 0


async def test_list_visits_state_follows_the_branchs_local_date(org):
    await _create("ATH", start=TODAY, shopper="sam")
    await _create("AKL", start=TODAY, shopper="sam")
    await _create("ATH", start=TODAY + dt.timedelta(days=3), shopper="sam")
    states = {(v.branch, v.window_start): v.state for v in await _mine(org["sam"])}
    assert states == {
        ("ATH", TODAY): "due",  # still the 10th in Athens
        ("AKL", TODAY): "overdue",  # already the 11th in Auckland
        ("ATH", TODAY + dt.timedelta(days=3)): "upcoming",
    }


async def _mine(user_id):
    return await visits_selectors.list_visits(VisitFilters(shopper_id=user_id), NOW)


async def test_list_visits_shopper_filter_shows_only_their_own(org):
    await _create(shopper="sam")
    await _create(shopper="kim")
    await _create()
    assert [v.shopper for v in await _mine(org["sam"])] == ["sam"]


async def test_claim_visit_open_becomes_the_shoppers(org):
    visit = await _create()
    claimed = await visits_services.claim_visit(visit.id, org["sam"], NOW)
    assert claimed.shopper == "sam"
    assert await visits_selectors.list_open_visits(NOW) == []
    with pytest.raises(VisitTaken):
        await visits_services.claim_visit(visit.id, org["kim"], NOW)


async def test_claim_visit_too_soon_after_their_own_visit_there_is_refused(org):
    await _create(shopper="sam")
    soon = await _create(start=TODAY + dt.timedelta(days=5))
    later = await _create(start=TODAY + dt.timedelta(days=20))
    with pytest.raises(VisitNotAllowed, match="14 days apart"):
        await visits_services.claim_visit(soon.id, org["sam"], NOW)
    assert (await visits_selectors.get_visit(soon.id, NOW)).shopper is None
    assert (await visits_services.claim_visit(later.id, org["sam"], NOW)).shopper == "sam"
    assert (await visits_services.claim_visit(soon.id, org["kim"], NOW)).shopper == "kim"


async def test_claim_visit_over_the_daily_cap_is_refused(org):
    tomorrow = TODAY + dt.timedelta(days=1)
    await _create(start=tomorrow, shopper="sam")
    elsewhere = await _create(branch="AKL", start=tomorrow)
    with pytest.raises(VisitNotAllowed, match="at most 1 a day"):
        await visits_services.claim_visit(elsewhere.id, org["sam"], NOW)


async def test_claim_visit_two_shoppers_at_once_one_wins(org):
    visit = await _create()
    results = await asyncio.gather(
        visits_services.claim_visit(visit.id, org["sam"], NOW),
        visits_services.claim_visit(visit.id, org["kim"], NOW),
        return_exceptions=True,
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1 and sum(isinstance(r, VisitTaken) for r in results) == 1
    assert (await visits_selectors.get_visit(visit.id, NOW)).shopper == winners[0].shopper


async def test_claim_visit_window_passed_is_refused(org):
    visit = await _create(start=TODAY - dt.timedelta(days=2))
    with pytest.raises(VisitTaken, match="overdue"):
        await visits_services.claim_visit(visit.id, org["sam"], NOW)


async def test_cancel_visit_planned_cancels_done_refuses(org):
    planned, done = await _create(), await _create()
    await Visit.update({Visit.status: "done"}).where(Visit.id == done.id)
    assert (await visits_services.cancel_visit(planned.id, NOW)).state == "cancelled"
    with pytest.raises(VisitError, match="done"):
        await visits_services.cancel_visit(done.id, NOW)


def _plan(shopper="sam", n=4):
    rows = [PlannedVisit("ATH", TODAY + dt.timedelta(days=i), "morning", shopper) for i in range(n)]
    return Plan(rows, 0, True)


async def test_save_plan_stores_every_visit_with_its_label(org):
    saved = await visits_services.save_plan(
        _plan(), checklist="service-fundamentals", channel="in_person", label="march", by="ada"
    )
    assert saved == 4
    assert len(await visits_selectors.list_visits(VisitFilters(plan="march"), NOW)) == 4
    with pytest.raises(VisitError, match="already saved"):
        await visits_services.save_plan(
            _plan(), checklist="service-fundamentals", channel="in_person", label="march", by="ada"
        )


async def test_save_plan_unknown_shopper_writes_nothing(org):
    with pytest.raises(VisitError, match="No shopper ghost"):
        await visits_services.save_plan(
            _plan("ghost"), checklist="service-fundamentals", channel="in_person", label="x", by="a"
        )
    assert await Visit.count() == 0


async def test_save_plan_failure_in_a_later_batch_rolls_back_the_earlier_ones(org, monkeypatch):
    insert, calls = Visit.insert, []

    def failing_insert(*rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return insert(*rows)

    monkeypatch.setattr(visits_services, "BATCH", 2)
    monkeypatch.setattr(Visit, "insert", failing_insert)
    with pytest.raises(RuntimeError):
        await visits_services.save_plan(
            _plan(), checklist="service-fundamentals", channel="in_person", label="x", by="ada"
        )
    monkeypatch.undo()
    assert calls == [2, 2] and await Visit.count() == 0


async def test_coverage_between_counts_planned_and_done_lists_gaps(org):
    first, _ = await _create("ATH"), await _create("ATH", start=TODAY + dt.timedelta(days=7))
    await Visit.update({Visit.status: "done"}).where(Visit.id == first.id)
    cancelled = await _create("AKL")
    await visits_services.cancel_visit(cancelled.id, NOW)
    result = await visits_selectors.coverage_between(TODAY, TODAY + dt.timedelta(days=30))
    row = next(r for r in result.rows if r.branch == "ATH")
    assert (row.planned[TODAY.weekday()], row.done[TODAY.weekday()]) == (1, 1)
    assert len(result.gaps) == 2 * 7 - 1  # Auckland's cancelled visit leaves its whole row empty


async def _unvisited_both_ways(start, end, limit):
    from audits.visits.planning import unvisited_cells

    whole = unvisited_cells(await visits_selectors.coverage_between(start, end))
    return await visits_selectors.unvisited_between(start, end, limit), (whole[:limit], len(whole))


async def test_unvisited_between_counts_in_sql_what_the_coverage_matrix_shows(org):
    """The office's home counts the month's unvisited branch × shift cells in SQL: the same
    cells, order and count as the coverage matrix, with organisation-wide and branch shifts,
    visits without a shift, inactive branches and visits outside the window."""
    await Branch.insert(
        Branch(code="THE", name="Thessaloniki", timezone="Europe/Athens"),
        Branch(code="OLD", name="Closed", timezone="Europe/Athens", active=False),
    )
    the = await Branch.select(Branch.id).where(Branch.code == "THE").first()
    await Shift.insert(
        Shift(name="late", branch=the["id"], start_minute=1080, end_minute=1380),
        Shift(name="morning", branch=the["id"], start_minute=480, end_minute=720),
    )
    done = await _create("ATH")
    await Visit.update({Visit.status: "done"}).where(Visit.id == done.id)
    await _create("THE", start=TODAY + dt.timedelta(days=2))  # planned, not done: still a gap
    no_shift = VisitCreate("AKL", "service-fundamentals", TODAY)
    await visits_services.create_visit(no_shift, by="ada", now=NOW)  # adds AKL's no-shift cell
    await _create("AKL", start=TODAY + dt.timedelta(days=40))  # outside the window

    end = TODAY + dt.timedelta(days=30)
    for limit in (1, 3, 10):
        in_sql, from_matrix = await _unvisited_both_ways(TODAY, end, limit)
        assert in_sql == from_matrix
    gaps, count = await visits_selectors.unvisited_between(TODAY, end, 10)
    assert count == 4  # AKL morning and no shift, THE late and morning (OLD is closed)
    assert [(g.branch, g.shift, g.planned) for g in gaps][-2:] == [
        ("AKL", None, 1),
        ("THE", "morning", 1),
    ]  # cells with a visit planned come after those with nothing planned


async def test_unvisited_between_branch_without_any_shift_is_one_cell(org):
    await Shift.delete().where(Shift.branch.is_null())
    in_sql, from_matrix = await _unvisited_both_ways(TODAY, TODAY + dt.timedelta(days=30), 10)
    assert in_sql == from_matrix
    assert [(g.branch, g.shift) for g in in_sql[0]] == [("AKL", None), ("ATH", None)]


async def test_planning_inputs_lists_active_branches_shifts_and_shoppers(org):
    branches, shifts, shoppers = await visits_selectors.planning_inputs({"sam": ["ATH"]})
    assert [b.code for b in branches] == ["AKL", "ATH"]
    assert [s.name for s in shifts] == ["morning"]
    assert [(s.name, s.barred) for s in shoppers] == [("kim", ()), ("sam", ("ATH",))]
