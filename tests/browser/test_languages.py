"""Every language on a phone: the login, the audit form, the shopper's and head office's
start pages and an audit's result, in that language, fitting 390 px; Persian mirrored.
A language switch on the audit form keeps what was typed.

``EVENLY_SCREENSHOTS=/some/dir`` keeps a screenshot of every page to look at."""

import os

import pytest

from audits.tables import Audit

from ..conftest import run
from ..web.audit_fixtures import audit_body
from .conftest import PHONE, api_post, horizontal_overflow

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")

# A phrase each page shows, per language: the page's text really is in that language.
WORDS = {
    "en": {"login": "Log in", "form": "Submit audit", "home": "Coming up", "result": "Failed items",
           "review": "the ones most worth a careful look first"},
    "el": {"login": "Σύνδεση", "form": "Υποβολή ελέγχου", "home": "Επερχόμενες",
           "result": "Αποτυχημένα σημεία", "review": "πρώτα όσοι αξίζουν πιο προσεκτική ματιά"},
    "pl": {"login": "Zaloguj się", "form": "Złóż audyt", "home": "Nadchodzące",
           "result": "Niezaliczone pozycje", "review": "Przesłane audyty, najpierw te"},
    "fa": {"login": "ورود", "form": "ثبت ممیزی", "home": "پیش رو", "result": "موارد ناموفق",
           "review": "بیش از همه ارزش نگاهی دقیق دارند"},
}  # fmt: skip


def _log_in(page, server, user, lang):
    page.context.clear_cookies()
    page.goto(f"{server}/login?lang={lang}&next=/")
    _check(page, lang, "login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "correct-horse")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def _check(page, lang, name):
    """The page is in ``lang``, fits the phone, and in Persian reads from the right."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{lang}.png", full_page=True)
    assert page.get_attribute("html", "lang") == lang
    assert WORDS[lang][name] in page.inner_text("body")
    assert horizontal_overflow(page) <= 0
    box = page.locator("main h1").first.bounding_box()
    text_width = page.evaluate(
        "() => { const r = document.createRange(); r.selectNodeContents(document.querySelector"
        "('main h1')); return r.getBoundingClientRect(); }"
    )
    if lang == "fa":
        assert page.get_attribute("html", "dir") == "rtl"
        # The heading's text hugs the right edge of the page's column, not the left.
        assert text_width["right"] >= box["x"] + box["width"] - 2
        assert text_width["left"] > box["x"] + 2 or text_width["width"] >= box["width"] - 4
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    else:
        assert page.get_attribute("html", "dir") == "ltr"
        assert abs(text_width["left"] - box["x"]) < 2


@pytest.mark.parametrize("lang", ["en", "el", "pl", "fa"])
def test_pages_in_each_language_fit_a_phone_and_mirror_in_persian(server, phone, org, lang):
    assert phone.viewport_size == PHONE
    _log_in(phone, server, "sam", lang)  # a shopper starts on My visits
    _check(phone, lang, "home")
    phone.goto(f"{server}/audits/new?branch=B1&checklist=service-fundamentals")
    _check(phone, lang, "form")
    body = audit_body(org)
    assert api_post(phone, f"{server}/api/audits", data=body).status == 201
    phone.goto(f"{server}/audits/{body['id']}")
    _check(phone, lang, "result")
    _log_in(phone, server, "ada", lang)
    phone.goto(f"{server}/review")
    _check(phone, lang, "review")
    assert phone.errors == []


def test_persian_back_link_arrow_points_right(server, phone, org):
    body = audit_body(org)
    _log_in(phone, server, "sam", "fa")
    assert api_post(phone, f"{server}/api/audits", data=body).status == 201
    _log_in(phone, server, "ada", "fa")
    phone.goto(f"{server}/review/{body['id']}")
    assert phone.inner_text("main p a").startswith("→")


@pytest.mark.parametrize("javascript", [True, False])
def test_audit_form_language_switch_keeps_what_was_typed(server, browser, org, javascript):
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=javascript)
    page = context.new_page()
    try:
        _log_in(page, server, "sam", "en")
        page.goto(f"{server}/audits/new?branch=B1&checklist=service-fundamentals")
        audit_id = page.get_attribute("#audit-form", "data-audit-id")
        page.fill("input[name=visit_minutes]", "23")
        page.check('input[name="answers.entrance_clean_tidy"][value="no"]')
        page.fill('[name="answers.queue_wait_minutes"]', "7")
        page.click(".menu summary")  # the languages are in the phone's menu, at the top
        page.click(".menu .languages button[value=fa]")
        page.wait_for_url("**/audits/new?*lang=fa")
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.get_attribute("#audit-form", "data-audit-id") == audit_id
        assert page.input_value("input[name=visit_minutes]") == "23"
        assert page.is_checked('input[name="answers.entrance_clean_tidy"][value="no"]')
        assert page.input_value('[name="answers.queue_wait_minutes"]') == "7"
        assert run(Audit.count().run()) == 0
    finally:
        context.close()
