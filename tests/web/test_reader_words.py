"""Words computed in Python reach a Greek, Polish or Persian reader in their language: why an
item failed, weekday and month names of the charts, dates in the reader's calendar on the
branch's clock, shift names per language."""

import html
import json
import re

import pytest

from audits.tables import Shift
from reports.solar_hijri import MONTHS_FA

from ..conftest import run
from .action_fixtures import actions_of, as_user, file_and_publish
from .conftest import form
from .report_helpers import pdf_text
from .test_report_period import _history

REASONS = {
    # why "answered no" and "9 min, target ≤ 3" failed, in each language
    "el": ("απάντηση όχι", "9 λεπτά, στόχος ≤ 3"),
    "pl": ("odpowiedź nie", "9 min, cel ≤ 3"),
    "fa": ("پاسخ خیر", "هدف ≤ ۳"),
}
PERSIAN_WEEKDAYS = ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه")


def _figure(page: str, key: str) -> dict:
    found = re.search(rf'id="fig-{key}" data-figure="([^"]*)"', page)
    assert found, f"no figure {key}"
    return json.loads(html.unescape(found[1]))


@pytest.mark.parametrize("lang", ["el", "pl", "fa"])
def test_result_page_failed_reasons_in_the_readers_language(client, org, lang):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False, queue_wait_minutes=9)
    as_user(client, "sam")
    page = client.get(f"/audits/{audit_id}?lang={lang}").text
    for words in REASONS[lang]:
        assert words in page
    assert "answered no" not in page and "target ≤" not in page
    if lang == "fa":  # the checklist's version, and every number, in Persian digits
        assert "(نسخه ۱)" in page and "(نسخه 1)" not in page


def test_action_page_reason_due_date_and_history_in_persian(client, org):
    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action = actions_of(audit_id)["acknowledged_promptly"]
    as_user(client, "max")
    page = client.get(f"/actions/{action['id']}?lang=fa").text
    assert "پاسخ خیر" in page and "answered no" not in page
    due = action["due_date"].isoformat()
    assert f'datetime="{due}"' in page  # machine-readable, for the browser
    assert f">{due}<" not in page and " UTC" not in page  # never ISO or UTC to the reader
    due_text = re.search(rf'datetime="{due}">([^<]*)<', page)
    assert due_text and any(month in due_text[1] for month in MONTHS_FA), due_text
    assert re.search("[۰-۹]", due_text[1]) and not re.search("[0-9]", due_text[1])


def test_action_reason_of_an_action_opened_before_codes_is_back_filled(client, org):
    """An action stored with only the English reason (before reason_code) is read in the
    reader's language once the migration's back-fill has run."""
    from audits.piccolo_migrations.audits_2026_12_07t12_23_00_000000 import (
        _reason_codes_of_all,
    )
    from audits.tables import CorrectiveAction

    audit_id = file_and_publish(client, org, acknowledged_promptly=False)
    action = actions_of(audit_id)["acknowledged_promptly"]
    wipe = {CorrectiveAction.reason_code: "", CorrectiveAction.reason_params: {}}
    run(CorrectiveAction.update(wipe).where(CorrectiveAction.id == action["id"]).run())
    assert run(_reason_codes_of_all()) == 1
    as_user(client, "max")
    assert "απάντηση όχι" in client.get(f"/actions/{action['id']}?lang=el").text


def test_branch_report_weekdays_and_months_in_greek(client, org):
    _history(client, org)
    as_user(client, "ada")
    page = client.get("/reports/branches/B1?lang=el").text
    heatmap = _figure(page, "shift_weekday")
    assert heatmap["data"][0]["x"][0] == "Δευ" and "Mon" not in heatmap["data"][0]["x"]
    trend = _figure(page, "trend")
    ticks = trend["layout"]["xaxis"]["ticktext"]
    assert ticks and all(re.fullmatch(r"\d{1,2} \w+", tick) for tick in ticks), ticks
    assert not any(tick.startswith(("Mar", "Apr")) for tick in ticks)
    locale = re.search(r'<script type="application/json" id="plotly-locale"[^>]*>([^<]*)<', page)
    assert locale, "no Plotly locale on the page"
    plotly = json.loads(locale[1])  # plotly.js's tool bar and calendar words, from /static
    assert plotly["dictionary"]["Zoom in"] == "Μεγέθυνση"
    assert plotly["format"]["shortMonths"][0] == "Ιαν" and plotly["format"]["decimal"] == ","


def test_branch_report_in_persian_has_solar_hijri_dates_and_persian_weekdays(client, org):
    _history(client, org)
    as_user(client, "ada")
    page = client.get("/reports/branches/B1?lang=fa").text
    assert "اسفند ۱۴۰۴" in page  # the period's first visit, 2 March 2026
    trend = _figure(page, "trend")
    assert all(re.search("[۰-۹]", tick) for tick in trend["layout"]["xaxis"]["ticktext"])
    pdf = client.get("/reports/branches/B1/pdf?lang=fa")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "اسفند" in text or "دنفسا" in text  # pdftotext may read RTL words reversed
    weekdays = [day for day in PERSIAN_WEEKDAYS if day in text or day[::-1] in text]
    assert weekdays, "no Persian weekday name in the PDF"
    assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b", text)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)


def test_shift_names_per_language_on_admin_page_and_reports(client, org):
    as_user(client, "root")
    morning = run(Shift.select(Shift.id).where(Shift.name == "morning").first().run())
    names = {"name_el": "πρωί", "name_pl": "rano", "name_fa": "صبح", "next": "/admin/org"}
    saved = form(client, f"/admin/org/shifts/{morning['id']}/names", names)
    assert saved.status_code in (302, 303), saved.text
    assert "πρωί" in client.get("/admin/org").text
    _history(client, org)
    as_user(client, "ada")
    greek = _figure(client.get("/reports/branches/B1?lang=el").text, "shift_weekday")
    assert "πρωί" in greek["data"][0]["y"] and "morning" not in greek["data"][0]["y"]
    english = _figure(client.get("/reports/branches/B1?lang=en").text, "shift_weekday")
    assert "morning" in english["data"][0]["y"]
    persian = _figure(client.get("/reports/headoffice?lang=fa").text, "shifts")
    assert "صبح" in persian["data"][0]["y"] or "صبح" in persian["data"][0]["x"]
    as_user(client, "root")
    too_long = form(client, f"/admin/org/shifts/{morning['id']}/names", {"name_el": "x" * 41})
    assert too_long.status_code == 422 and "at most 40 characters" in too_long.text
