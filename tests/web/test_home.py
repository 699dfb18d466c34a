"""Each role's start page answers "what needs me now", through the real app: a shopper's
visits due and overdue, drafts and returned audits; a manager's branches (and never who
visited them); head office's queue, overdue actions, coverage gaps and moved branches; an
admin's organisation health."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from piccolo.apps.user.tables import BaseUser

from audits.tables import Branch, CorrectiveAction, Visit
from audits.visits import services as visits_services
from audits.visits.schemas import VisitCreate

from ..conftest import run
from .action_fixtures import as_user, file_and_publish
from .audit_fixtures import audit_body

FAILS = {"entrance_clean_tidy": False, "greeted_verbally": False, "asked_about_needs": False}


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _days_ago(days: int, hour: int) -> str:
    """A visit ``days`` ago at ``hour`` on Athens' clock (B1's)."""
    day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:15:00+02:00"


async def _visit(shopper: str | None, start: int, end: int, shift: str = "morning") -> int:
    """A visit to B1 whose window runs from ``start`` to ``end`` days from today."""
    today = dt.datetime.now(dt.UTC).date()
    data = VisitCreate(
        "B1",
        "service-fundamentals",
        today + dt.timedelta(days=start),
        today + dt.timedelta(days=end),
        shift=shift,
        shopper=shopper,
    )
    visit = await visits_services.create_visit(data, by="ada", now=dt.datetime.now(dt.UTC))
    return visit.id


def test_shopper_home_lists_visits_due_and_overdue_drafts_and_returned_audits(client, org):
    overdue = run(_visit("sam", -6, -4))
    due = run(_visit("sam", -1, 1, "afternoon"))
    upcoming = run(_visit("sam", 5, 5, "evening"))
    theirs = run(_visit("sue", -1, 1, "evening"))
    returned = audit_body(org)
    as_user(client, "sam")
    assert client.post("/api/audits", json=returned).status_code == 201
    draft = str(uuid.uuid4())
    payload = {"branch": "B2", "checklist": "service-fundamentals", "visit": ""}
    assert client.put(f"/api/drafts/{draft}", json=payload).status_code in (200, 204)
    as_user(client, "ada")
    comment = {"comment": "Add the staff member's name, please."}
    assert client.post(f"/api/audits/{returned['id']}/return", json=comment).status_code == 200

    as_user(client, "sam")
    page = _main(client.get("/").text)
    assert "Overdue (1)" in page and "Due now (1)" in page and "Coming up (1)" in page
    for visit in (overdue, due, upcoming):
        assert f"visit={visit}" in page  # a tap starts its audit
    assert f"visit={theirs}" not in page  # another shopper's visit
    assert f"id={draft}" in page and "Drafts (1)" in page
    assert f"/audits/{returned['id']}/edit" in page and "Add the staff member" in page


def test_shopper_home_with_nothing_to_do_says_so(client, org):
    as_user(client, "sam")
    assert "Nothing needs you right now." in client.get("/").text


def _branch_history(client, org) -> None:
    """B1: three perfect morning visits and three failing evening ones in the last weeks,
    published; B2 one visit (another manager's branch)."""
    for days in (20, 14, 8):
        file_and_publish(client, org, visited_at=_days_ago(days, 9))
        file_and_publish(client, org, visited_at=_days_ago(days - 1, 19), **FAILS)
    file_and_publish(client, org, visited_at=_days_ago(3, 9), branch="B2")


def test_manager_home_shows_each_branch_and_no_shopper(client, org):
    _branch_history(client, org)
    as_user(client, "max")
    response = client.get("/")
    page = _main(response.text)
    assert "Branch B1" in page and 'href="/reports/branches/B1"' in page
    assert "Branch B2" not in page and "/reports/branches/B2" not in page  # mia's
    assert re.search(r"Visits on the evening shift score \d+ points below the morning shift", page)
    assert "Visits in the last 90 days: 6." in page
    assert "Open actions: 3" in page  # the last evening's three (the earlier ones recurred)
    assert "/actions/?branch=B1" in page and "/branch-audits/" in page
    for name in ("sam", "sue", "ada"):  # nobody who filed or reviewed, anywhere on the page
        assert not re.search(rf"\b{name}\b", response.text), name


def test_office_home_lists_queue_overdue_actions_gaps_and_moves(client, org):
    for days, answers in ((150, {}), (140, FAILS), (130, {}), (120, FAILS)):
        file_and_publish(client, org, visited_at=_days_ago(days, 9), **answers)
    for days in (30, 20, 10):  # as good every time: more consistent than before
        file_and_publish(client, org, visited_at=_days_ago(days, 9))
    late = file_and_publish(client, org, visited_at=_days_ago(60, 19), branch="B2", **FAILS)
    past = dt.date.today() - dt.timedelta(days=5)  # its three actions are overdue
    run(
        CorrectiveAction.update({CorrectiveAction.due_date: past})
        .where(CorrectiveAction.audit == late)
        .run()
    )
    waiting = audit_body(org, visited_at=_days_ago(1, 10))
    as_user(client, "sam")
    assert client.post("/api/audits", json=waiting).status_code == 201
    run(_visit(None, 0, 3))  # B1 morning is planned, not yet visited

    as_user(client, "ada")
    page = _main(client.get("/").text)
    assert "Waiting for review (1)" in page and f"/review/{waiting['id']}" in page
    assert "Overdue actions (3)" in page and "/actions/?overdue=1" in page
    assert "B1</strong> · morning — 1 planned, none done" in page
    assert 'B2</strong> · evening — <span class="bad">nothing planned' in page
    assert 'href="/reports/branches/B1">Branch B1</a> (B1)' in page and "more consistent" in page
    assert _moves_now(page, "B1") == "0.0"  # three equal visits

    # The moves are kept between views (a chain's quarter is tens of thousands of audits), never
    # stale: a new visit counts at once, and so does a branch's new name.
    file_and_publish(client, org, visited_at=_days_ago(5, 9), **FAILS)
    run(Branch.update({Branch.name: "Syntagma"}).where(Branch.code == "B1").run())
    as_user(client, "ada")
    page = _main(client.get("/").text)
    assert 'href="/reports/branches/B1">Syntagma</a> (B1)' in page
    assert float(_moves_now(page, "B1")) > 0


def _moves_now(page: str, code: str) -> str:
    row = re.search(rf'href="/reports/branches/{code}">.*?</tr>', page, re.S)
    assert row, code
    return re.findall(r'<td class="num">([^<]*)</td>', row[0])[1]


def test_admin_home_names_branches_without_a_manager(client, org):
    as_user(client, "root")
    page = _main(client.get("/").text)
    assert "Every branch has shifts and a manager." in page
    run(BaseUser.update({BaseUser.active: False}).where(BaseUser.username == "mia").run())
    page = _main(client.get("/").text)
    assert re.search(r"Branches without a manager:\s*<a href=\"/admin/org/branches/B2\">", page)
    assert "Waiting for review (0)" in page  # head office's lists follow
    assert run(Visit.count().run()) == 0
