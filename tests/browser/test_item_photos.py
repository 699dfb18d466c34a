"""A shopper on a phone (390×844) answers a critical item "No": the comment box opens and says
it is required, a photo goes on that item (thumbnail, Remove), the progress count moves; then
offline, submit, back online: one audit, with the photo on that item."""

import io

import msgspec
import pytest
from PIL import Image

from audits.tables import Audit, Evidence

from ..conftest import run
from .conftest import horizontal_overflow
from .test_audit_form import _fill, _log_in, _open_form

pytestmark = pytest.mark.browser

ITEM = "treated_with_respect"  # critical; on_fail: comment required


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, "JPEG")
    return out.getvalue()


def _progress(page) -> str:
    return page.inner_text("#form-progress")


def test_failed_item_asks_for_a_comment_takes_a_photo_and_is_filed_once_offline(server, phone, org):
    _log_in(phone, server)
    audit_id = _open_form(phone, server)
    item = phone.locator(f"#item-{ITEM}")
    total = _progress(phone).split(" of ")[1]
    assert _progress(phone) == f"0 of {total}"
    phone.check('input[name="answers.entrance_clean_tidy"][value="yes"]')
    assert _progress(phone) == f"1 of {total}"  # live, as it is answered
    _fill(phone, org)
    assert int(_progress(phone).split(" of ")[0]) > 20

    comment = item.locator("details.comment")
    assert comment.get_attribute("open") is None
    phone.check(f'input[name="answers.{ITEM}"][value="no"]')
    assert comment.get_attribute("open") is not None
    assert item.locator(".need-comment").is_visible()
    assert item.locator(f'textarea[name="comments.{ITEM}"]').evaluate("t => t.required")
    phone.check(f'input[name="answers.{ITEM}"][value="yes"]')
    assert item.locator(".need-comment").is_hidden()
    phone.check(f'input[name="answers.{ITEM}"][value="no"]')
    phone.fill(f'textarea[name="comments.{ITEM}"]', "Rolled eyes at my question.")

    item.locator(".item-photo-input").set_input_files(
        files=[{"name": "desk.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    item.locator(".thumb img").wait_for()
    assert "Photo added" in item.locator(".thumb").inner_text()
    assert item.locator(".thumb .photo-remove").is_visible()
    first = item.locator(".thumb").get_attribute("data-id")
    # Removing clears the reference submitted; a second photo takes its place.
    item.locator(".photo-remove").click()
    assert item.locator(".thumb").count() == 0
    assert item.locator(".photos-ref").input_value() == ""
    item.locator(".item-photo-input").set_input_files(
        files=[{"name": "desk2.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    item.locator(".thumb img").wait_for()
    photo = item.locator(".thumb").get_attribute("data-id")
    assert photo != first and item.locator(".photos-ref").input_value() == photo
    assert horizontal_overflow(phone) <= 0

    phone.context.set_offline(True)
    phone.click("button.wide")
    phone.wait_for_selector("#sync-status:not([hidden])")
    assert run(Audit.count().run()) == 0
    queued = phone.evaluate("JSON.parse(localStorage.getItem('evenly.queue'))")
    assert queued[0]["body"]["photos"] == {ITEM: [photo]}
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_url(f"**/audits/{audit_id}", timeout=20000)
    phone.goto(f"{server}/audits")
    phone.wait_for_timeout(500)  # any leftover queue flush would happen now
    rows = run(Audit.select(Audit.id, Audit.photos, Audit.comments).run())
    assert [str(r["id"]) for r in rows] == [audit_id]
    photos = rows[0]["photos"]
    assert (msgspec.json.decode(photos) if isinstance(photos, str) else photos) == {ITEM: [photo]}
    linked = run(Evidence.select(Evidence.id).where(Evidence.audit_id == audit_id).run())
    assert [str(r["id"]) for r in linked] == [photo]
    assert phone.errors == []


def test_progress_count_in_persian_with_persian_digits(server, phone, org):
    phone.goto(f"{server}/login?next=/audits&lang=fa")
    phone.fill("input[name=username]", "sam")
    phone.fill("input[name=password]", "correct-horse")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/audits")
    phone.goto(f"{server}/audits/new?branch=B1&checklist=service-fundamentals&lang=fa")
    phone.check('input[name="answers.entrance_clean_tidy"][value="yes"]')
    shown = _progress(phone)
    assert shown.startswith("۱ از ") and "پاسخ داده شد" in shown
    assert not any(c.isascii() and c.isdigit() for c in shown)
    assert phone.errors == []
