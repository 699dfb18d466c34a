"""The period a scheduled run delivers, who may be sent which report, and the period's name in
each reader's calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.subscriptions.rules import claim_key, last_complete, problems
from reports.formatting import format_period


@pytest.mark.parametrize(
    ("today", "key", "start", "end"),
    [
        (dt.date(2026, 3, 16), "2026-W11", dt.date(2026, 3, 9), dt.date(2026, 3, 15)),  # Monday
        (dt.date(2026, 3, 22), "2026-W11", dt.date(2026, 3, 9), dt.date(2026, 3, 15)),  # Sunday
        (dt.date(2026, 1, 1), "2025-W52", dt.date(2025, 12, 22), dt.date(2025, 12, 28)),
        (dt.date(2027, 1, 4), "2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
    ],
)
def test_weekly_period_is_the_last_whole_monday_to_sunday(today, key, start, end):
    period = last_complete("weekly", today)
    assert (period.key, period.start, period.end) == (key, start, end)


@pytest.mark.parametrize(
    ("today", "key", "start", "end"),
    [
        (dt.date(2026, 4, 1), "2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 30), "2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 15), "2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
        (dt.date(2028, 3, 1), "2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
    ],
)
def test_monthly_period_is_the_last_whole_calendar_month(today, key, start, end):
    period = last_complete("monthly", today)
    assert (period.key, period.start, period.end) == (key, start, end)


def test_every_day_of_a_week_delivers_the_same_period():
    week = [dt.date(2026, 3, 16) + dt.timedelta(days=i) for i in range(7)]
    assert len({last_complete("weekly", day).key for day in week}) == 1


def test_claim_key_names_subscription_period_and_branch():
    assert claim_key(7, "2026-03", "B1") == "7:2026-03:B1"
    assert claim_key(7, "2026-03", "") == "7:2026-03:-"


@pytest.mark.parametrize(
    ("kind", "role", "branch", "managed", "wrong"),
    [
        ("branch", "manager", None, ("B1",), set()),
        ("branch", "manager", "B1", ("B1",), set()),
        ("branch", "manager", "B2", ("B1",), {"branch"}),
        ("branch", "office", "B2", (), set()),
        ("branch", "office", None, (), {"branch"}),
        ("branch", "shopper", "B1", (), {"username"}),
        ("headoffice", "office", None, (), set()),
        ("headoffice", "admin", None, (), set()),
        ("headoffice", "manager", None, ("B1",), {"username"}),
        ("headoffice", "office", "B1", (), {"branch"}),
        ("visits", "manager", None, ("B1",), set()),
        ("visits", "office", "B1", (), {"username"}),
    ],
)
def test_who_may_be_sent_which_report(kind, role, branch, managed, wrong):
    cadence = "approval" if kind == "visits" else "monthly"
    found = problems(kind=kind, cadence=cadence, role=role, branch=branch, managed=managed)
    assert set(found) == wrong


def test_a_pdf_needs_a_weekly_or_monthly_cadence():
    found = problems(kind="branch", cadence="approval", role="office", branch="B1", managed=())
    assert set(found) == {"cadence"}


@pytest.mark.parametrize(
    ("lang", "month", "week"),
    [
        ("en", "March 2026", "Mar 9, 2026 – Mar 15, 2026"),
        ("el", "Μάρτιος 2026", "9 Μαρ 2026 – 15 Μαρ 2026"),
        ("pl", "marzec 2026", "9 mar 2026 – 15 mar 2026"),
        (
            "fa",
            "۱۰ اسفند ۱۴۰۴ (۱ مارس ۲۰۲۶) – ۱۱ فروردین ۱۴۰۵ (۳۱ مارس ۲۰۲۶)",
            "۱۸ اسفند ۱۴۰۴ (۹ مارس ۲۰۲۶) – ۲۴ اسفند ۱۴۰۴ (۱۵ مارس ۲۰۲۶)",
        ),
    ],
)
def test_period_is_named_in_the_readers_calendar(lang, month, week):
    assert format_period(dt.date(2026, 3, 1), dt.date(2026, 3, 31), lang) == month
    assert format_period(dt.date(2026, 3, 9), dt.date(2026, 3, 15), lang) == week
