"""A finished analysis is kept in the database: a second app on the same database, or a second
process, reads it instead of fitting again; a newly published audit is a new analysis.

Fits are counted through ``reports.kept_analyses.on_fit`` (the real fit runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from reports import kept_analyses
from web.app import create_app

from .report_helpers import as_user, publish_visits

LEAGUE = "/reports/headoffice/csv/league"


@pytest.fixture
def fits() -> Iterator[list[str]]:
    made: list[str] = []
    kept_analyses.on_fit.append(made.append)
    yield made
    kept_analyses.on_fit.remove(made.append)


@pytest.fixture
def history(client, org) -> None:
    publish_visits(client, org, 12)


def test_a_second_app_on_the_same_database_reads_the_kept_analysis(
    client, app_settings, history, fits
):
    as_user(client, "ada")
    first = client.get(LEAGUE)
    assert first.status_code == 200
    assert len(fits) == 1
    with TestClient(create_app(app_settings)) as other:
        as_user(other, "ada")
        again = other.get(LEAGUE)
        assert again.status_code == 200
        assert other.get("/reports/branches/B1").status_code == 200
    assert again.text == first.text  # the same fair scores, ranks and intervals
    assert len(fits) == 1


def test_a_newly_published_audit_is_analysed_afresh_once(client, org, app_settings, fits):
    publish_visits(client, org, 12)
    as_user(client, "ada")
    before = client.get(LEAGUE).text
    publish_visits(client, org, 1, first=12)
    with TestClient(create_app(app_settings)) as other:
        as_user(other, "ada")
        after = other.get(LEAGUE).text
    as_user(client, "ada")
    assert client.get(LEAGUE).text == after != before
    assert len(fits) == 2


SECOND_PROCESS = """
import asyncio
from reports import kept_analyses
from reports.report_data import Filters
from reports.services.period import rows_and_analysis
fits = []
kept_analyses.on_fit.append(fits.append)
rows, analysis = asyncio.run(rows_and_analysis(Filters(), None))
print(len(fits), analysis.n_audits, len(analysis.branches))
"""


def test_a_second_process_reads_the_kept_analysis(client, history, fits):
    as_user(client, "ada")
    assert client.get(LEAGUE).status_code == 200
    done = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS],
        capture_output=True,
        text=True,
        env=os.environ,
        check=True,
        timeout=120,
    )
    assert done.stdout.split() == ["0", "12", "2"]  # no fit: 12 audits, 2 branches, kept
    assert len(fits) == 1
