"""The webhooks admin page on a phone: an endpoint registered with its secret shown once, a
test sent to a real receiver from the button, the delivery log, all without sideways scrolling
(and in Persian, right to left)."""

import os

import pytest

from ..web.webhook_receiver import HookReceiver
from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_webhooks_page_registers_and_sends_a_test_on_a_phone(server, phone, org, lang):
    receiver = HookReceiver().start()
    try:
        phone.goto(f"{server}/login?next=/admin/webhooks%3Flang%3D{lang}")
        phone.fill("input[name=username]", "root")
        phone.fill("input[name=password]", "correct-horse")
        phone.click("button[type=submit]")
        phone.wait_for_url("**/admin/webhooks**")
        phone.fill("input[name=url]", receiver.url)
        phone.check("input[value='audit.published']")
        phone.click("form.stack button.primary")
        phone.wait_for_load_state()
        secret = phone.inner_text("code.token")
        assert secret.startswith("whsec_")
        assert horizontal_overflow(phone) <= 0
        receiver.use_secret(secret)
        phone.click("form[action$='/test'] button")
        phone.wait_for_load_state()
        main = phone.inner_text("main")
        assert "webhook.test" in main and "HTTP 204" in main
        assert secret not in phone.content()
        assert [e["type"] for e in receiver.processed] == ["webhook.test"]  # signature checked
        assert horizontal_overflow(phone) <= 0
        if SHOTS:
            phone.screenshot(path=f"{SHOTS}/webhooks-{lang}.png", full_page=True)
    finally:
        receiver.stop()
