"""Review pages on a phone: head office returns an audit with a comment, the shopper reads it;
the pages fit a 390 px screen, in Persian (right to left) too."""

import os

import pytest

from audits.tables import Audit

from ..conftest import run
from ..web.audit_fixtures import audit_body
from .conftest import api_post, horizontal_overflow

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")


def _log_in(page, server, user, next_path):
    page.context.clear_cookies()
    page.goto(f"{server}/login?next={next_path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "correct-horse")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _file(page, server, doc) -> str:
    body = audit_body(doc, visit_minutes=1)
    body["comments"] = {"queue_wait_minutes": "Only one desk was open for a very long while."}
    response = api_post(page, f"{server}/api/audits", data=body)
    assert response.status == 201
    return body["id"]


def test_return_with_a_comment_then_the_shopper_reads_it_on_a_phone(server, phone, org):
    _log_in(phone, server, "sam", "/audits")
    audit_id = _file(phone, server, org)
    _log_in(phone, server, "ada", "/review")
    assert "implausibly short" in phone.inner_text("main")
    phone.click(f"a[href='/review/{audit_id}']")
    assert horizontal_overflow(phone) <= 0
    _shot(phone, "review-audit")
    phone.fill("textarea[name=comment]", "Please check the wait time.")
    phone.click("text=Return to the shopper")
    phone.wait_for_url("**/review")
    assert "Returned to the shopper" in phone.inner_text("main")
    _log_in(phone, server, "sam", f"/audits/{audit_id}")
    assert "Please check the wait time." in phone.inner_text("main")
    assert phone.locator(f"a[href='/audits/{audit_id}/edit']").count() == 1
    assert horizontal_overflow(phone) <= 0
    assert phone.errors == []


def test_branch_audit_fits_a_phone_right_to_left(server, phone, org):
    _log_in(phone, server, "sam", "/audits")
    audit_id = _file(phone, server, org)
    run(Audit.update({Audit.status: "published"}).where(Audit.id == audit_id).run())
    _log_in(phone, server, "max", "/branch-audits")
    phone.goto(f"{server}/branch-audits/{audit_id}?lang=fa")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert horizontal_overflow(phone) <= 0
    _shot(phone, "branch-audit-fa")
    assert "sam" not in phone.content()
    assert phone.errors == []
