"""Evidence of presence on a phone: with the location granted, the audit carries where the
phone was (also when it waited offline in the queue) and the photo's capture time; with the
location refused, the audit files all the same, with the time on the form and no location."""

import datetime as dt
import io

import pytest
from PIL import Image

from audits.tables import Audit, Branch, Evidence

from ..conftest import run
from .conftest import PHONE
from .test_audit_form import _fill, _log_in, _open_form

pytestmark = pytest.mark.browser

BRANCH = {"latitude": 37.975527, "longitude": 23.734840}  # B1, at Syntagma
NEARBY = {"latitude": 37.9757, "longitude": 23.7351, "accuracy": 15}  # 30 m away
TAKEN = "2026:03:10 18:41:07"


@pytest.fixture
def located(browser):
    """A phone whose owner allowed the site to read its location."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, permissions=["geolocation"], geolocation=NEARBY
    )
    yield _page(context)
    context.close()


@pytest.fixture
def refusing(browser):
    """A phone whose owner refused the location (no permission granted)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    yield _page(context)
    context.close()


def _page(context):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def _branch_located() -> None:
    run(
        Branch.update({Branch.latitude: BRANCH["latitude"], Branch.longitude: BRANCH["longitude"]})
        .where(Branch.code == "B1")
        .run()
    )


def _camera_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "PhoneMaker X200"
    exif.get_ifd(0x8769)[0x9003] = TAKEN
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG", exif=exif)
    return out.getvalue()


def _presence(audit_id: str) -> dict:
    from audits.fieldwork.selectors import json_value

    row = run(Audit.select(Audit.presence).where(Audit.id == audit_id).first().run())
    assert row is not None, "the audit was not filed"
    return json_value(row["presence"])


def test_granted_location_travels_with_the_queued_audit_and_the_photo_keeps_its_time(
    server, located, org
):
    _branch_located()
    phone = located
    _log_in(phone, server)
    audit_id = _open_form(phone, server)
    assert "branch managers never see it" in phone.inner_text("#presence-consent")
    _fill(phone, org)
    phone.set_input_files(
        "#item-premises_photo .photo-input",
        files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": _camera_jpeg()}],
    )
    phone.wait_for_selector("#item-premises_photo .photo-preview:not([hidden])")  # uploaded
    phone.wait_for_timeout(1500)  # time on the form
    phone.context.set_offline(True)
    phone.click("button.wide")
    phone.wait_for_selector("#sync-status.offline:not([hidden])")
    assert run(Audit.count().run()) == 0
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_url(f"**/audits/{audit_id}", timeout=20000)
    presence = _presence(audit_id)
    assert presence["opened"]["latitude"] == pytest.approx(NEARBY["latitude"])
    assert 20 <= presence["opened_distance_m"] <= 40
    assert 20 <= presence["sent_distance_m"] <= 40
    assert presence["form_seconds"] >= 1
    photo = run(Evidence.select(Evidence.taken_at, Evidence.data).first().run())
    assert photo["taken_at"] == dt.datetime(2026, 3, 10, 18, 41, 7)
    assert b"PhoneMaker" not in bytes(photo["data"])
    flags = run(Audit.select(Audit.flags).first().run())["flags"]
    assert "far_from_branch" not in str(flags)
    assert phone.errors == []


def test_refused_location_files_the_audit_all_the_same(server, refusing, org):
    _branch_located()
    phone = refusing
    _log_in(phone, server)
    audit_id = _open_form(phone, server)
    _fill(phone, org)
    started = dt.datetime.now()
    phone.click("button.wide")
    phone.wait_for_url(f"**/audits/{audit_id}", timeout=20000)
    assert dt.datetime.now() - started < dt.timedelta(seconds=8)  # a refusal never holds it up
    presence = _presence(audit_id)
    assert presence.get("opened") is None and presence.get("sent") is None
    assert presence["opened_distance_m"] is None and presence["form_seconds"] >= 0
    assert phone.errors == []
