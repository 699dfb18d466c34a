"""Head office plans the next month by precision: the same budget as an even plan, shared out
by what the analysis of published visits knows, with what it is expected to buy shown beside an
even plan before anything is saved."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from audits.actions.services import approve_audit
from audits.fieldwork import review
from audits.org.users import get_current_user
from audits.tables import Audit

from ..conftest import run
from .anonymity_fixtures import seed_organisation
from .conftest import form, login
from .visit_fixtures import planned_fixture  # noqa: F401 - the `planned` fixture

TODAY = dt.date.today()
PLAN = {
    "label": "precise",
    "checklist": "service-fundamentals",
    "channel": "in_person",
    "start": (TODAY + dt.timedelta(days=1)).isoformat(),
    "end": (TODAY + dt.timedelta(days=28)).isoformat(),
    "visits_per_branch": "4",
    "min_days_apart": "3",
    "daily_cap": "2",
    "seed": "5",
    "allocation": "precision",
}


async def _publish_everything() -> None:
    from piccolo.apps.user.tables import BaseUser

    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == "ada").first()
    office = await get_current_user(row["id"])
    for entry in await review.review_queue():
        await approve_audit(entry.id, office, "", now=dt.datetime.now(dt.UTC))


def _published(db) -> None:
    run(seed_organisation())
    run(_publish_everything())
    assert run(Audit.count().where(Audit.status == "published").run()) >= 50


def test_precision_plan_spends_the_even_budget_and_says_what_it_buys(client, db):
    _published(db)
    assert login(client, "ada").status_code == 302
    preview = form(client, "/visits/plan/preview", PLAN)
    assert preview.status_code == 200, preview.text
    text = re.sub(r"\s+", " ", preview.text)
    assert "What this plan is expected to buy" in text
    assert "Save 12 visits" in text  # 3 branches × 4: the even plan's budget
    assert re.search(r"After this plan: ±[\d.]+ on average", text)
    saved = form(client, "/visits/plan/save", PLAN)
    assert saved.status_code == 302, saved.text
    visits = client.get("/api/visits?plan=precise").json()
    per_branch = Counter(v["branch"] for v in visits)
    assert sum(per_branch.values()) == 12 and min(per_branch.values()) >= 1


def test_precision_plan_before_any_published_visit_says_to_plan_evenly(client, people, planned):
    assert login(client, people["office"]).status_code == 302
    response = form(client, "/visits/plan/preview", PLAN)
    assert response.status_code == 422
    assert "no analysis of published visits yet" in response.text
    assert 'value="precision" selected' in response.text
    even = form(client, "/visits/plan/preview", {**PLAN, "allocation": "even"})
    assert even.status_code == 200 and "What this plan is expected to buy" not in even.text


def test_plan_allocation_not_offered_is_refused_by_name(client, people, planned):
    assert login(client, people["office"]).status_code == 302
    response = form(client, "/visits/plan/preview", {**PLAN, "allocation": "random"})
    assert response.status_code == 422 and "Share the visits" in response.text
