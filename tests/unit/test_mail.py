"""E-mail settings and scheduling, without a server: SMTP URLs, the daily time, rendering."""

import datetime as dt

import pytest

from audits.actions.selectors import ActionOut
from web.mail import SmtpServer, parse_smtp_url, render
from web.reminders import parse_at, seconds_until


@pytest.mark.parametrize(
    "url, server",
    [
        ("smtp://127.0.0.1:1025", SmtpServer("127.0.0.1", 1025)),
        ("smtp://mail.example", SmtpServer("mail.example", 25)),
        ("smtps://mail.example", SmtpServer("mail.example", 465, ssl=True)),
        (
            "smtp://me%40x:p%3Ass@mail.example:587?starttls=1",
            SmtpServer("mail.example", 587, starttls=True, username="me@x", password="p:ss"),
        ),
    ],
)
def test_parse_smtp_url_reads_host_port_tls_and_login(url, server):
    assert parse_smtp_url(url) == server


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "127.0.0.1:25"])
def test_parse_smtp_url_refuses_other_urls_naming_the_setting(url):
    with pytest.raises(ValueError, match="EVENLY_SMTP_URL"):
        parse_smtp_url(url)


NOW = dt.datetime(2026, 3, 10, 6, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "at, seconds",
    [("07:00", 30 * 60), ("06:30", 0), ("06:00", 23.5 * 3600), ("00:00", 17.5 * 3600)],
)
def test_seconds_until_next_daily_time(at, seconds):
    assert seconds_until(NOW, at) == seconds


@pytest.mark.parametrize("at", ["7am", "24:00", "07:60", "", "7"])
def test_parse_at_refuses_what_is_not_hh_mm(at):
    with pytest.raises(ValueError, match="EVENLY_REMIND_AT"):
        parse_at(at)


def _action(**overrides) -> ActionOut:
    values = {
        "id": 7,
        "branch": "B1",
        "branch_name": "Syntagma",
        "audit": "00000000-0000-4000-8000-000000000000",
        "checklist": "c",
        "item": "greeted",
        "item_text": {"en": "Were you greeted?", "el": "Σας χαιρέτησαν;"},
        "reason": "answered no",
        "severity": "minor",
        "critical": False,
        "state": "open",
        "overdue": True,
        "due_date": dt.date(2026, 3, 1),
        "opened_at": NOW,
    }
    return ActionOut(**{**values, **overrides})


def test_render_reminder_lists_actions_with_links_and_item_text_in_the_language():
    context = {"name": "max", "overdue": [_action()], "due": [], "base_url": "https://e.test"}
    subject, body = render("reminder", "en", **context)
    assert subject == "Corrective actions: 1 overdue, 0 due soon"
    assert "Were you greeted?" in body and "https://e.test/actions/7" in body
    assert "due Mar 1, 2026" in body
    _, greek = render("reminder", "el", **context)
    assert "Σας χαιρέτησαν;" in greek and "https://e.test/actions/7" in greek
    assert "1 Μαρ 2026" in greek and "2026-03-01" not in greek
    persian_subject, persian = render("reminder", "fa", **context)
    assert "۱۰ اسفند ۱۴۰۴" in persian and "2026-03-01" not in persian  # Solar Hijri
    assert "۱" in persian_subject and "1" not in persian_subject  # Persian digits
    _, unknown = render("reminder", "xx", **context)  # an unknown language: English
    assert unknown == body
