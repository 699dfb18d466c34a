"""Persian and Greek on a phone (390×844): the report, league and form pages fit the screen,
every number stays whole on one line with its sign (intervals and rank cells too), wide
tables show that they scroll, and the language switcher is on the first screen."""

from __future__ import annotations

import pytest

from audits.tables import Audit

from ..conftest import run
from ..web.anonymity_fixtures import MANAGED, seed_organisation
from ..web.audit_fixtures import PASSWORD
from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser

# Each number of the page's text (with its sign, decimals and an interval's second bound):
# how many line boxes it takes. One each, or it split.
DIGIT = "[0-9۰-۹]"
NUMBER = rf"(?<![\w.,-])[\u2212-]?\u2060?{DIGIT}[0-9۰-۹.,٫٬\u00a0]*"
INTERVAL = rf"{NUMBER}(?:\u00a0–\u00a0\u2069?\u2066?{NUMBER})?"
RANK = rf"{DIGIT}+\u00a0\({DIGIT}+–\u2060{DIGIT}+\)"
PATTERN = f"{RANK}|{INTERVAL}"
SPLIT_NUMBERS = """source => {
  const number = new RegExp(source, "g");
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const split = []; let checked = 0, signed = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const m of node.data.matchAll(number)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const boxes = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(boxes.map(r => Math.round(r.bottom)));
      checked += 1; if (m[0].includes("\u2212")) signed += 1;
      if (lines.size > 1) split.push(m[0]);
    }
  }
  return {checked, signed, split};
}"""


@pytest.fixture
def seeded(server):
    run(seed_organisation())
    run(Audit.update({Audit.status: "published"}, force=True).run())
    return server


def _log_in(page, server, user, lang):
    page.set_default_timeout(120_000)  # a first head-office analysis on a busy machine
    page.context.clear_cookies()
    page.goto(f"{server}/login?next=/&lang={lang}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["fa", "el"])
@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("ada", "/reports/headoffice"),
        ("max", f"/reports/branches/{MANAGED}"),
        ("kalliope.strict", "/audits/new?branch=B1&checklist=service-fundamentals"),
    ],
)
def test_page_fits_the_phone_and_keeps_numbers_whole(seeded, phone, lang, user, url):
    _log_in(phone, seeded, user, lang)
    phone.goto(f"{seeded}{url}")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    assert horizontal_overflow(phone) <= 0
    numbers = phone.evaluate(SPLIT_NUMBERS, PATTERN)
    assert numbers["split"] == [], f"[{lang}] {url}: numbers split over lines"
    if "reports" in url:
        assert numbers["checked"] > 30 and numbers["signed"] > 0, numbers
    phone.click(".menu summary")  # the phone's menu, at the top, holds the languages
    switcher = phone.locator(".menu .languages").bounding_box()
    assert switcher and switcher["y"] + switcher["height"] < 844 / 2  # at hand, at the top


@pytest.mark.parametrize("lang", ["fa", "el"])
def test_the_league_table_shows_that_it_scrolls_either_way(seeded, phone, lang):
    _log_in(phone, seeded, "ada", lang)
    phone.goto(f"{seeded}/reports/headoffice")
    box = phone.locator("#table-league + .table-scroll")
    state = box.evaluate(
        """el => ({wide: el.scrollWidth > el.clientWidth,
                   shadow: getComputedStyle(el).backgroundImage.split("gradient").length - 1,
                   focusable: el.tabIndex === 0})"""
    )
    assert state == {"wide": True, "shadow": 4, "focusable": True}
    start = box.evaluate("el => el.scrollLeft")
    box.evaluate(
        "el => el.scrollBy({left: (getComputedStyle(el).direction === 'rtl' ? -1 : 1) * 200})"
    )
    moved = box.evaluate("el => el.scrollLeft")
    assert abs(moved - start) > 100  # it scrolls the reading way from where it starts
    assert horizontal_overflow(phone) <= 0
