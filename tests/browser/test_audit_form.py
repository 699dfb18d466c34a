"""A shopper on a phone: fill the default checklist, lose the connection, submit anyway,
and find exactly one audit once the connection returns. Drafts survive a reload."""

import pytest

from audits.tables import Audit, AuditDraft
from checklists.model import ItemType

from ..conftest import run
from ..web.audit_fixtures import perfect_answers
from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def _log_in(page, server, user="sam"):
    page.goto(f"{server}/login?next=/audits")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "correct-horse")
    page.click("button[type=submit]")
    page.wait_for_url("**/audits")


def _fill(page, doc):
    page.fill("input[name=visited_at]", "2026-03-10T18:30")
    page.fill("input[name=visit_minutes]", "15")
    for key, value in perfect_answers(doc).items():
        item = doc.item(key)
        name = f"answers.{key}"
        if item.type in (ItemType.yes_no, ItemType.scale, ItemType.choice):
            choice = {True: "yes", False: "no"}.get(value, str(value))
            page.check(f'input[name="{name}"][value="{choice}"]')
        else:
            page.fill(f'[name="{name}"]', str(value))


def _open_form(page, server):
    page.goto(f"{server}/audits/new?branch=B1&checklist=service-fundamentals")
    return page.get_attribute("#audit-form", "data-audit-id")


def test_offline_submission_is_sent_once_when_back_online(server, phone, org):
    _log_in(phone, server)
    audit_id = _open_form(phone, server)
    assert horizontal_overflow(phone) <= 0
    _fill(phone, org)
    phone.context.set_offline(True)
    phone.click("button.wide")
    phone.wait_for_selector("#sync-status:not([hidden])")
    assert "offline" in phone.inner_text("#sync-status")
    assert run(Audit.count().run()) == 0
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_url(f"**/audits/{audit_id}", timeout=20000)
    assert "100" in phone.inner_text("#score")
    phone.goto(f"{server}/audits")
    phone.wait_for_timeout(500)  # any leftover queue flush would happen now
    rows = run(Audit.select(Audit.id, Audit.score).run())
    assert [(str(r["id"]), r["score"]) for r in rows] == [(audit_id, 100.0)]
    assert phone.errors == []


def _csrf_cookie(page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"), None)


def test_offline_submission_goes_through_after_reopening_with_a_new_csrf_token(server, phone, org):
    """The queue keeps the audit, not the token: sent from a page opened later, with the CSRF
    cookie changed meanwhile (a new browser session), it still files exactly once."""
    _log_in(phone, server)
    audit_id = _open_form(phone, server)
    _fill(phone, org)
    phone.context.set_offline(True)
    phone.click("button.wide")
    phone.wait_for_selector("#sync-status:not([hidden])")
    old_token = _csrf_cookie(phone)
    phone.goto("about:blank")
    kept = [c for c in phone.context.cookies() if c["name"] != "csrftoken"]
    phone.context.clear_cookies()
    phone.context.add_cookies(kept)
    phone.context.set_offline(False)
    phone.goto(f"{server}/audits")  # reopened: this page gets a new token and sends the queue
    phone.wait_for_function(
        "() => !JSON.parse(localStorage.getItem('evenly.queue') || '[]').length"
    )
    assert _csrf_cookie(phone) not in (None, old_token)
    rows = run(Audit.select(Audit.id).run())
    assert [str(r["id"]) for r in rows] == [audit_id]
    assert phone.errors == []


def test_form_api_writes_carry_the_csrf_token(server, phone, org):
    """The draft the form keeps on the server is accepted (no 403 from a missing token)."""
    _log_in(phone, server)
    _open_form(phone, server)
    with phone.expect_response(lambda r: "/api/drafts/" in r.url, timeout=10000) as draft:
        phone.fill('[name="answers.queue_wait_minutes"]', "7")
    assert draft.value.status == 204
    assert run(AuditDraft.count().run()) == 1


def test_draft_survives_a_reload(server, phone, org):
    _log_in(phone, server)
    _open_form(phone, server)
    phone.check('input[name="answers.entrance_clean_tidy"][value="no"]')
    phone.fill('[name="answers.queue_wait_minutes"]', "7")
    phone.wait_for_timeout(300)
    phone.reload()
    assert phone.is_checked('input[name="answers.entrance_clean_tidy"][value="no"]')
    assert phone.input_value('[name="answers.queue_wait_minutes"]') == "7"


def test_conditional_items_appear_only_after_their_answer(server, phone, org):
    _log_in(phone, server)
    _open_form(phone, server)
    gated = [i for i in org.items() if i.condition and not doc_condition_on_gated(org, i)]
    item = gated[0]
    assert phone.locator(f"#item-{item.key}").is_hidden()
    source = org.item(item.condition.item)
    wanted = item.condition.in_[0]
    value = {True: "yes", False: "no"}.get(wanted, str(wanted))
    if source.type is ItemType.number:
        phone.fill(f'[name="answers.{source.key}"]', value)
    else:
        phone.check(f'input[name="answers.{source.key}"][value="{value}"]')
    assert phone.locator(f"#item-{item.key}").is_visible()


def doc_condition_on_gated(doc, item) -> bool:
    """Whether the item's condition source is itself conditional (skip those for simplicity)."""
    return doc.item(item.condition.item).condition is not None
