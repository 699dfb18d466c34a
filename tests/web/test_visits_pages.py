"""Visit pages: access for every page and role, "my visits", the generator, coverage."""

import datetime as dt
import re

import pytest

from .conftest import form, login
from .visit_fixtures import planned_fixture  # noqa: F401 - the `planned` fixture

ROLES = ("anonymous", "shopper", "manager", "office", "admin")
TODAY = dt.date.today()
SOON = (TODAY + dt.timedelta(days=3)).isoformat()
ONE_VISIT = {"branch": "V02", "checklist": "service-fundamentals", "window_start": SOON}
PLAN = {
    "label": "test-plan",
    "checklist": "service-fundamentals",
    "channel": "in_person",
    "start": (TODAY + dt.timedelta(days=1)).isoformat(),
    "end": (TODAY + dt.timedelta(days=28)).isoformat(),
    "visits_per_branch": "14",
    "min_days_apart": "7",
    "daily_cap": "1",
    "seed": "3",
    "barred": "sam: V02",
}
LOGIN = 302  # anonymous: to the login page

# (method, url, form, expected status for each role in ROLES order)
PAGES = [
    ("get", "/visits/mine", None, (LOGIN, 200, 403, 200, 200)),
    ("post", "/visits/{open}/claim", {}, (LOGIN, 302, 403, 403, 302)),
    ("get", "/visits", None, (LOGIN, 403, 403, 200, 200)),
    ("get", "/visits/new", None, (LOGIN, 403, 403, 200, 200)),
    ("post", "/visits/new", ONE_VISIT, (LOGIN, 403, 403, 302, 302)),
    ("post", "/visits/{open}/cancel", {}, (LOGIN, 403, 403, 302, 302)),
    ("get", "/visits/plan", None, (LOGIN, 403, 403, 200, 200)),
    ("post", "/visits/plan/preview", PLAN, (LOGIN, 403, 403, 200, 200)),
    ("post", "/visits/plan/save", PLAN, (LOGIN, 403, 403, 302, 302)),
    ("get", "/visits/coverage", None, (LOGIN, 403, 403, 200, 200)),
    ("get", "/visits/coverage.csv", None, (LOGIN, 403, 403, 200, 200)),
]


def _as(client, people, role):
    if role != "anonymous":
        assert login(client, people[role]).status_code == 302


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "expected"), PAGES)
def test_visit_pages_every_page_and_role_gets_its_status(
    client, people, planned, role, method, url, data, expected
):
    _as(client, people, role)
    url = url.format(**planned)
    if method == "get":
        response = client.get(url, follow_redirects=False)
    else:
        response = form(client, url, data)
    assert response.status_code == expected[ROLES.index(role)], response.text[:300]
    if role == "anonymous":
        assert response.headers["location"].startswith("/login")


def test_home_shopper_starts_on_their_visits_with_all_of_them_a_tap_away(client, people, planned):
    _as(client, people, "shopper")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200 and "Coming up (1)" in response.text
    assert 'href="/visits/mine"' in response.text and "Kraków Rynek" not in response.text


def test_my_visits_shows_own_and_open_visits_not_others(client, people, planned):
    _as(client, people, "shopper")
    page = client.get("/visits/mine").text
    assert "Coming up (1)" in page and "Open visits you can take (1)" in page
    assert "Kraków Rynek" not in page  # kim's visit
    assert f'action="/visits/{planned["open"]}/claim"' in page


def test_my_visits_claim_moves_visit_to_mine(client, people, planned):
    _as(client, people, "shopper")
    response = form(client, f"/visits/{planned['open']}/claim")
    assert response.headers["location"] == "/visits/mine"
    page = client.get("/visits/mine").text
    assert "Coming up (2)" in page and "is yours" in page
    assert "Open visits you can take (0)" in page


def test_plan_preview_then_save_stores_what_was_previewed(client, people, planned):
    _as(client, people, "office")
    preview = form(client, "/visits/plan/preview", PLAN)
    assert "Save 28 visits" in preview.text and "Every shopper and branch is linked" in preview.text
    saved = form(client, "/visits/plan/save", PLAN)
    assert saved.headers["location"].startswith("/visits/coverage?start=")
    listed = client.get("/api/visits?plan=test-plan").json()
    assert len(listed) == 28
    assert not [v for v in listed if v["shopper"] == "sam" and v["branch"] == "V02"]
    again = form(client, "/visits/plan/save", PLAN)
    assert again.status_code == 422 and "already saved" in again.text


def test_plan_preview_bad_settings_show_the_error_and_keep_the_form(client, people, planned):
    _as(client, people, "office")
    response = form(client, "/visits/plan/preview", {**PLAN, "daily_cap": "lots"})
    assert response.status_code == 422
    assert "Daily cap: give a whole number" in response.text
    assert 'value="test-plan"' in response.text


def test_coverage_page_lists_gaps_and_scrolls_in_its_own_box(client, people, planned):
    _as(client, people, "office")
    start, end = TODAY, TODAY + dt.timedelta(days=30)
    page = client.get(f"/visits/coverage?start={start}&end={end}").text
    # 2 branches × 2 shifts × 7 weekdays = 28 cells; the 3 visits fill two (V01 and V02 morning).
    assert "Gaps (26)" in page
    assert 'class="scroll-box"' in page and "/static/visits.css" in page
    assert "<bdi>V02</bdi> · evening · " in page
    css = client.get("/static/visits.css").text
    assert "overflow-x: auto" in css


def test_new_visit_form_unknown_shopper_shows_error(client, people, planned):
    _as(client, people, "office")
    response = form(client, "/visits/new", {**ONE_VISIT, "shopper": "ghost"})
    assert response.status_code == 422 and "No shopper ghost" in response.text


def test_nav_hides_visits_from_managers(client, people, planned):
    _as(client, people, "manager")
    assert 'href="/visits' not in client.get("/checklists").text


def test_coverage_page_counts_in_persian_digits(client, people, planned):
    _as(client, people, "office")
    start, end = TODAY, TODAY + dt.timedelta(days=30)
    page = client.get(f"/visits/coverage?start={start}&end={end}&lang=fa").text
    assert "(۲۶)" in page  # the gaps
    cells = re.findall(r'<td class="heat-\d"[^>]*>([^<]*)</td>', page)
    assert cells and all(re.fullmatch("[۰-۹]+", c) for c in cells), cells
    legend = re.search(r'<span class="heat-4">([^<]*)</span>', page)[1]
    assert re.search(r"\([۰-۹]+\)", legend) and not re.search("[0-9]", legend)
    client.get("/?lang=en")
