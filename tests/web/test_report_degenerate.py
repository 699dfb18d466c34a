"""Reports on data too thin or lopsided for every term of the consistency model: one shopper,
one branch, one shift, one staff member, one visit. Each page, PDF and CSV answers, and
``evenly analyse`` says what it can rather than failing."""

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from web.cli import main

from .audit_fixtures import audit_body
from .report_helpers import as_user, publish

START = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)  # morning in Athens and in Warsaw


def _visits(n: int, *, shoppers=("sam",), branches=("B1",), hours=(0,)) -> list[dict]:
    """n visits, the i-th by shoppers[i], at branches[i], hours[i] after a morning start
    (each list cycled), a day apart."""
    return [
        {
            "shopper": shoppers[i % len(shoppers)],
            "branch": branches[i % len(branches)],
            "at": START + dt.timedelta(days=i, hours=hours[i % len(hours)]),
        }
        for i in range(n)
    ]


ORGANISATIONS = {
    "one shopper, one branch, one shift": _visits(6),
    "one visit": _visits(1),
    "one shopper across two branches": _visits(6, branches=("B1", "B2")),
    "a single shift org-wide": _visits(8, shoppers=("sam", "sue"), branches=("B1", "B2")),
    "each shift once": _visits(3, hours=(0, 5, 10)),
}


def _file(client, doc, visits: list[dict]) -> None:
    for i, visit in enumerate(visits):
        branch = visit["branch"]
        body = audit_body(
            doc, branch=branch, staff=f"{branch}-S1", visited_at=visit["at"].isoformat()
        )
        if i % 2:
            body["answers"]["greeted_verbally"] = False  # scores that differ a little
        as_user(client, visit["shopper"])
        response = client.post("/api/audits", json=body)
        assert response.status_code == 201, response.text
        publish(body["id"])
    client.cookies.clear()


def _csv_links(page: str) -> set[str]:
    return set(re.findall(r'href="(/reports/[^"?]*/csv/[a-z_-]+)', page))


def _answers(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:2000])
    return response.text


@pytest.mark.parametrize("visits", ORGANISATIONS.values(), ids=ORGANISATIONS)
def test_reports_on_degenerate_organisation_answer_everywhere(client, org, visits):
    _file(client, org, visits)
    for user, base in (("max", "/reports/branches/B1"), ("ada", "/reports/headoffice")):
        as_user(client, user)
        page = _answers(client, base)
        assert "Internal Server Error" not in page
        assert client.get(f"{base}/pdf").content.startswith(b"%PDF")
        for link in _csv_links(page):
            _answers(client, link)
    as_user(client, "ada")
    _answers(client, "/reports/branches/B2")
    result = CliRunner().invoke(main, ["analyse"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("visits", [_visits(1), _visits(3, hours=(0, 5, 10))], ids=["1", "3"])
def test_headoffice_report_too_little_to_analyse_says_so(client, org, visits):
    _file(client, org, visits)
    as_user(client, "ada")
    page = _answers(client, "/reports/headoffice")
    assert "Too few published visits in this period to compare branches." in page
