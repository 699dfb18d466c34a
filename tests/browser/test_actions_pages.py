"""Corrective actions on a phone: the manager takes a photo, says what was done and marks the
action done; head office verifies and closes it. The pages fit a 390 px screen, in Persian
(right to left) too."""

import os
import struct
import zlib

import pytest
from playwright.sync_api import expect

from ..web.audit_fixtures import audit_body
from .conftest import api_post, horizontal_overflow

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")


def _png(width: int = 40, height: int = 30) -> bytes:
    """A real (orange) PNG, so the browser can show it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x88\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


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


def _failing_audit_published(page, server, doc) -> None:
    _log_in(page, server, "sam", "/audits")
    body = audit_body(doc)
    body["answers"].update(acknowledged_promptly=False, queue_wait_minutes=12)
    assert api_post(page, f"{server}/api/audits", data=body).status == 201
    _log_in(page, server, "ada", "/review")
    assert api_post(page, f"{server}/api/audits/{body['id']}/approve").status == 200


def test_manager_marks_done_with_a_photo_office_verifies_on_a_phone(server, phone, org, tmp_path):
    _failing_audit_published(phone, server, org)
    _log_in(phone, server, "max", "/actions/")
    assert horizontal_overflow(phone) <= 0
    _shot(phone, "actions-list")
    phone.click("text=Did a staff member acknowledge you")
    photo = tmp_path / "fix.png"
    photo.write_bytes(_png())
    phone.fill("textarea[name=comment]", "A greeter at the door at busy hours.")
    phone.set_input_files("input[name=photo]", str(photo))
    assert horizontal_overflow(phone) <= 0
    phone.click("button[value=done]")
    phone.wait_for_selector("text=Marked done: head office will verify it.")
    assert "A greeter at the door at busy hours." in phone.inner_text("main")
    image = phone.locator("img.evidence")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 40
    _shot(phone, "action-done")
    url = phone.url

    _log_in(phone, server, "ada", "/actions/")
    phone.goto(url)
    phone.click("button[value=verify]")
    phone.wait_for_selector("text=Verified and closed.")
    history = phone.inner_text("ol.history")
    assert history.index("marked done") < history.index("verified and closed")


def test_action_and_recovery_pages_fit_a_phone_in_persian(server, phone, org):
    _failing_audit_published(phone, server, org)
    _log_in(phone, server, "ada", "/actions/")
    phone.goto(f"{server}/actions/?lang=fa")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert horizontal_overflow(phone) <= 0
    phone.click("ul.actions-list a >> nth=0")
    assert horizontal_overflow(phone) <= 0
    _shot(phone, "action-fa")
    phone.goto(f"{server}/actions/recovery")
    assert horizontal_overflow(phone) <= 0
    _shot(phone, "recovery-fa")
