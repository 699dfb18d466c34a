"""Each role's day from its start page, on a 390×844 phone and a 1366×900 desktop: from the
login, every job of the role is at most two taps from home (a link on the page, or the menu
then a link), and every page on the way fits the screen with no word broken across lines.

``EVENLY_SCREENSHOTS=/some/dir`` keeps a screenshot of every page to look at."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlparse

import pytest

from audits.visits import services as visits_services
from audits.visits.schemas import VisitCreate

from ..conftest import run
from ..web.audit_fixtures import audit_body
from ..web.report_helpers import publish
from .conftest import CHROMIUM_FLAGS, PHONE, api_post, horizontal_overflow  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

OFFICE_JOBS = (
    "/review",
    "/visits",
    "/visits/coverage",
    "/visits/plan",
    "/actions/",
    "/reports/headoffice",
    "/imports",
    "/checklists",
    "/admin/subscriptions",
    "/account/password",
)
JOBS = {
    "sam": ("/visits/mine", "/audits", "/audits/new", "/checklists", "/account/password"),
    "max": (
        "/reports/branches/B1", "/actions/", "/branch-audits", "/checklists", "/account/password"
    ),
    "ada": OFFICE_JOBS,
    "root": (
        *OFFICE_JOBS, "/admin/users", "/admin/org", "/admin/webhooks", "/admin/personal-data"
    ),
}  # fmt: skip

# Words (letters and digits) whose glyphs sit on more than one line: a word broken mid-word.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, code, .js-plotly-plot")) continue;
    const words = /[\\p{L}\\p{N}]{2,30}/gu;
    for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (rects.length > 1 && Math.abs(rects[0].top - rects[rects.length - 1].top) > 2)
        broken.push(m[0]);
    }
  }
  return broken;
}"""


async def _seed() -> None:
    """A visit due for sam at B1 today (the shopper's home has something to tap)."""
    today = dt.datetime.now(dt.UTC).date()
    data = VisitCreate(
        "B1", "service-fundamentals", today, today + dt.timedelta(days=1), shopper="sam"
    )
    await visits_services.create_visit(data, by="ada", now=dt.datetime.now(dt.UTC))


def _log_in(page, server, user):
    page.context.clear_cookies()
    page.goto(f"{server}/login?lang=en&next=/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "correct-horse")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{server}/")


def _check(page, name: str) -> None:
    """The page fits the screen and breaks no word."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert horizontal_overflow(page) <= 0, name
    assert page.evaluate(BROKEN_WORDS) == [], name


def _visible(page, selector: str):
    links = page.locator(selector)
    for i in range(links.count()):
        if links.nth(i).is_visible():
            return links.nth(i)
    return None


def _reach(page, server: str, path: str, name: str) -> int:
    """From home to ``path``: a link on the page or in the top bar (one tap), else the menu
    and a link in it (two). Returns the taps."""
    page.goto(f"{server}/")
    link = _visible(page, f'main a[href="{path}"], header .nav-wide a[href="{path}"]')
    taps = 1
    if link is None:
        page.click("header details.menu summary")
        _check(page, f"{name}-menu")
        link = _visible(page, f'header .menu-links a[href="{path}"]')
        taps = 2
    assert link is not None, f"{path} is not within two taps of home"
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200, path
    assert urlparse(page.url).path == path.split("?")[0]
    return taps


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("user", JOBS)
def test_every_job_is_two_taps_from_home_and_every_page_fits(server, browser, org, user, size):
    run(_seed())
    if user == "max":  # a published visit, for the manager's branch card and report
        body = audit_body(
            org, visited_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat()
        )
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        _log_in(page, server, "sam")
        assert api_post(page, f"{server}/api/audits", data=body).status == 201
        context.close()
        publish(body["id"])
    context = browser.new_context(viewport=SIZES[size], is_mobile=size == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _log_in(page, server, user)
        _check(page, f"home-{user}-{size}")
        taps = {}
        for path in JOBS[user]:
            name = f"{user}-{size}{path.rstrip('/').replace('/', '-')}"
            taps[path] = _reach(page, server, path, name)
            _check(page, name)
        assert max(taps.values()) <= 2, taps
        if size == "desktop":
            assert set(taps.values()) == {1}, taps  # every destination shows in the top bar
        assert errors == []
    finally:
        context.close()


def test_phone_menu_opens_without_javascript_and_switches_language(server, browser, org):
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page, server, "max")
        assert not page.locator("header .menu-links").is_visible()
        page.click("header details.menu summary")
        assert page.locator('header .menu-links a[href="/actions/"]').is_visible()
        page.click("header .menu-panel button[value=el]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "el"
        assert horizontal_overflow(page) <= 0
    finally:
        context.close()
