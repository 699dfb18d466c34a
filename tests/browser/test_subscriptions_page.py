"""Head office subscribes a manager to their branch's monthly report on a phone: the form fits a
390 px screen, in Persian (right to left) too, and a wrong choice is said beside its field."""

import pytest
from playwright.sync_api import expect

from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def _log_in(page, server, user, next_path):
    page.context.clear_cookies()
    page.goto(f"{server}/login?next={next_path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "correct-horse")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_office_subscribes_a_manager_on_a_phone(server, phone, org):
    _log_in(phone, server, "ada", "/admin/subscriptions/")
    assert horizontal_overflow(phone) == 0
    phone.select_option("select[name=username]", "max")
    phone.select_option("select[name=kind]", "headoffice")
    phone.click("button.primary")
    expect(phone.locator("#error-username")).to_contain_text("Only head office reads")
    phone.select_option("select[name=kind]", "branch")
    phone.check("input[name=cadence][value=weekly]")
    phone.click("button.primary")
    expect(phone.locator(".cards").first).to_contain_text("max")
    expect(phone.locator(".cards").first).to_contain_text("weekly")
    assert horizontal_overflow(phone) == 0
    phone.goto(f"{server}/admin/subscriptions/?lang=fa")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("h1")).to_have_text("گزارش‌های زمان‌بندی‌شده")
    assert horizontal_overflow(phone) == 0
