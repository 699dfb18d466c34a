"""Checklist pages in a real browser at phone size: they fit, they work, no console errors."""

import pytest

from audits.org.users import create_user
from audits.tables import Role

from ..conftest import run
from ..web.audit_fixtures import DEFAULTS
from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def office(db):
    run(create_user("ada", "correct-horse", Role.office))
    return "ada"


def _log_in(page, server, next_path="/"):
    page.goto(f"{server}/login?next={next_path}")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", "correct-horse")
    page.click("button[type=submit]")


def test_import_publish_and_preview_on_a_phone(server, phone, office, tmp_path):
    _log_in(phone, server, "/checklists/import")
    phone.set_input_files("input[name=file]", str(DEFAULTS / "service-fundamentals.yaml"))
    phone.check("input[name=publish]")
    phone.click("button.primary")
    phone.wait_for_url("**/checklists/service-fundamentals/versions/1")
    assert "Service fundamentals" in phone.inner_text("h1")
    assert horizontal_overflow(phone) <= 0  # long condition badges wrap

    phone.click("text=Phone preview")
    phone.wait_for_url("**/preview")
    fieldsets = phone.locator("fieldset").count()
    assert fieldsets >= 5
    assert phone.locator("input[inputmode=decimal]").count() >= 1  # the measured wait
    phone.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    assert horizontal_overflow(phone) <= 0
    assert phone.errors == []


@pytest.mark.parametrize("lang, word, direction", [("el", "Υποδοχή", "ltr"), ("fa", "", "rtl")])
def test_preview_in_other_languages_fits_and_mirrors(server, phone, office, lang, word, direction):
    _log_in(phone, server, "/checklists/import")
    phone.set_input_files("input[name=file]", str(DEFAULTS / "service-fundamentals.yaml"))
    phone.check("input[name=publish]")
    phone.click("button.primary")
    phone.goto(f"{server}/checklists/service-fundamentals/versions/1/preview?lang={lang}")
    assert phone.get_attribute("html", "dir") == direction
    assert word in phone.inner_text("form.audit-form")
    assert horizontal_overflow(phone) <= 0
    assert phone.errors == []


def test_published_version_edit_shows_the_message_in_the_browser(server, phone, office):
    _log_in(phone, server, "/checklists/import")
    phone.set_input_files("input[name=file]", str(DEFAULTS / "phone-call.yaml"))
    phone.check("input[name=publish]")
    phone.click("button.primary")
    phone.goto(f"{server}/checklists/phone-call/versions/1/edit")
    assert "can no longer change" in phone.inner_text("main")
    phone.click("text=Edit as a new draft")
    phone.wait_for_url("**/versions/2/edit")
    assert phone.locator("textarea[name=text]").input_value().startswith("slug: phone-call")
