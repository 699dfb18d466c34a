"""Report pages on a phone (390×844): figures drawn by plotly.js from /static, nothing from
another host, no horizontal overflow, no console errors; a click on a branch opens its page."""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from audits.tables import Audit

from ..conftest import run
from ..web.audit_fixtures import audit_body
from .conftest import api_post, horizontal_overflow

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")


def _log_in(page, server, user):
    page.context.clear_cookies()
    page.goto(f"{server}/login?next=/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "correct-horse")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _history(page, server, doc) -> list[str]:
    ids = []
    start = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    for i in range(10):
        body = audit_body(
            doc,
            branch="B1" if i % 2 else "B2",
            staff="B1-S1" if i % 2 else "B2-S1",
            visited_at=(start + dt.timedelta(days=3 * i, hours=8 * (i % 3 == 0))).isoformat(),
        )
        if i % 3 == 0:
            body["answers"]["queue_wait_minutes"] = 9
        response = api_post(page, f"{server}/api/audits", data=body)
        assert response.status == 201
        ids.append(body["id"])
    run(Audit.update({Audit.status: "published"}, force=True).run())
    return ids


def _visit(page, url: str) -> list[str]:
    """Open the page, wait for every figure, and return the hosts it requested."""
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    count = page.locator(".plot").count()
    if count:
        expect(page.locator(".plot.js-plotly-plot")).to_have_count(count)
    return hosts


@pytest.mark.parametrize("lang", ["en", "el", "pl", "fa"])
@pytest.mark.parametrize(
    "url", ["/reports/headoffice", "/reports/branches/B1", "/reports/visits/{id}"]
)
def test_report_page_fits_a_phone_and_loads_only_from_this_server(server, phone, org, url, lang):
    _log_in(phone, server, "sam")
    ids = _history(phone, server, org)
    _log_in(phone, server, "ada")
    scripts: list[str] = []
    phone.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    hosts = _visit(phone, f"{server}{url.format(id=ids[1])}?lang={lang}")
    assert set(hosts) == {urlsplit(server).netloc}  # no CDN, no fonts from elsewhere
    if "visits" not in url:
        plotly = [s for s in scripts if "plotly" in s]
        assert len(plotly) == 1 and urlsplit(plotly[0]).path.startswith("/static/plotly/")
        assert phone.locator(".plot.js-plotly-plot").count() == phone.locator(".plot").count() > 0
    assert horizontal_overflow(phone) <= 0
    assert phone.errors == []
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/report-{url.split('/')[2]}-{lang}.png", full_page=True)


def test_contents_list_jumps_to_each_section_and_facts_sit_two_to_a_row(server, phone, org):
    _log_in(phone, server, "sam")
    _history(phone, server, org)
    _log_in(phone, server, "ada")
    _visit(phone, f"{server}/reports/headoffice")
    links = phone.locator(".contents a")
    sections = phone.locator("section.report-section")
    assert links.count() == sections.count() > 2
    last = links.nth(links.count() - 1)
    target = last.get_attribute("href")
    last.click()
    # The last section may sit too low to reach the top: it is enough that it is in view.
    expect(phone.locator(target)).to_be_in_viewport()
    assert phone.evaluate("window.scrollY") > 0 and phone.url.endswith(target)
    tiles = phone.locator(".facts > div").evaluate_all(
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tiles) >= 3 and tiles[0] == tiles[1] < tiles[2]  # two tiles per row
    assert phone.errors == []


def test_a_click_on_a_heatmap_row_opens_that_branch(server, phone, org):
    _log_in(phone, server, "sam")
    _history(phone, server, org)
    _log_in(phone, server, "ada")
    _visit(phone, f"{server}/reports/headoffice")
    phone.locator("#fig-heatmap").scroll_into_view_if_needed()
    box = phone.locator("#fig-heatmap .nsewdrag").first.bounding_box()
    rows = phone.evaluate("document.getElementById('fig-heatmap').data[0].y.length")
    # The middle of the first row (rows run top to bottom).
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / (2 * rows))
    phone.wait_for_url("**/reports/branches/*")
    assert "Branch report" in phone.inner_text("h1")


def test_branch_link_in_the_league_table_opens_the_branch_page(server, phone, org):
    _log_in(phone, server, "sam")
    _history(phone, server, org)
    _log_in(phone, server, "ada")
    _visit(phone, f"{server}/reports/headoffice")
    phone.click("#table-league + .table-scroll a[href^='/reports/branches/B1']")
    phone.wait_for_url("**/reports/branches/B1")
    assert "Branch report" in phone.inner_text("h1")
    assert phone.errors == []


def test_download_pdf_says_it_is_preparing_then_saves_the_pdf(server, phone, org):
    _log_in(phone, server, "sam")
    _history(phone, server, org)
    _log_in(phone, server, "max")  # B1's manager
    _visit(phone, f"{server}/reports/branches/B1")
    button = phone.locator("a[data-pdf]")
    with phone.expect_download() as download:
        button.click()
        phone.wait_for_selector("a[data-pdf][aria-busy=true]")
        assert "Preparing the PDF" in button.inner_text()
    saved = download.value
    assert saved.suggested_filename == "branch-B1.pdf"
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")
    phone.wait_for_selector("a[data-pdf]:not([aria-busy])")
    assert button.inner_text() == "Download PDF" and phone.errors == []


def test_download_pdf_after_signing_out_says_it_failed(server, phone, org):
    _log_in(phone, server, "sam")
    _history(phone, server, org)
    _log_in(phone, server, "max")
    _visit(phone, f"{server}/reports/branches/B1")
    phone.context.clear_cookies()  # the session ends while the page stays open
    phone.locator("a[data-pdf]").click()
    # Locator assertions poll without evaluating strings, which the page's CSP forbids.
    expect(phone.locator("#pdf-status")).to_contain_text("could not be made")
    assert phone.locator("a[data-pdf]").inner_text() == "Download PDF"


def test_head_office_pdf_is_a_job_followed_on_a_bar_then_saved(server, phone, org):
    _log_in(phone, server, "sam")
    _history(phone, server, org)
    _log_in(phone, server, "ada")
    _visit(phone, f"{server}/reports/headoffice")
    button = phone.locator("a[data-pdf][data-job]")
    with phone.expect_download() as download:
        button.click()
        phone.wait_for_selector("a[data-pdf][aria-busy=true]")
        expect(phone.locator("#pdf-progress")).to_be_visible()  # the job's bar
    saved = download.value
    assert saved.suggested_filename == "headoffice.pdf"
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")
    phone.wait_for_selector("a[data-pdf]:not([aria-busy])")
    expect(phone.locator("#pdf-progress")).to_be_hidden()
    assert button.inner_text() == "Download PDF" and phone.errors == []
