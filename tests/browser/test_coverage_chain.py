"""Head office's coverage page of a chain on a 390 px phone, in Persian (right to left): its
summary, regions, branches to see to first, matrix and pager fit the screen; the wide matrix
and regions' table scroll inside their own boxes."""

from __future__ import annotations

from ..conftest import run
from ..web.coverage_chain_fixtures import END, START, make_chain
from .conftest import horizontal_overflow


def test_a_chains_coverage_page_fits_a_phone_in_persian(server, org, phone):
    run(make_chain())
    phone.goto(f"{server}/login?next=/")
    phone.fill("input[name=username]", "ada")
    phone.fill("input[name=password]", "correct-horse")
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    for query in ("", "&page=2", "&region=EAST"):
        phone.goto(f"{server}/visits/coverage?start={START}&end={END}&lang=fa{query}")
        assert phone.locator("html").get_attribute("dir") == "rtl"
        assert phone.locator("#attention").is_visible()
        assert horizontal_overflow(phone) <= 0, query
    assert phone.locator("nav.pager").count() == 0  # one region's 25 branches: one page
    phone.goto(f"{server}/visits/coverage?start={START}&end={END}&lang=fa")
    assert phone.locator("nav.pager").first.is_visible()
    assert phone.errors == []
