"""A page following a job that fails tells its reader so in their language, on a phone: the
analysis of a large period fails, and the waiting page (in Greek) says it could not be made and
offers to try again, without the job's technical error and without reloading for ever."""

from __future__ import annotations

import pytest

from audits.tables import Job
from reports.services import period
from web.settings import Settings

from ..conftest import run
from ..web.chain_fixtures import import_chain
from ..web.live_server import serve
from .conftest import horizontal_overflow

LOCKED = "database is locked"


@pytest.fixture
def queued_server(db: str):
    """The app on a free port that only queues its jobs: no worker runs them here."""
    settings = Settings(database_url=db, secret_key="browser", login_rate=1000, app_worker=False)
    with serve(settings) as url:
        yield url


def test_a_failed_analysis_is_told_in_greek_without_its_error(
    queued_server, org, phone, monkeypatch
):
    monkeypatch.setattr(period, "FIT_IN_REQUEST", 5)  # the chain's 480 audits: a large period
    import_chain()
    phone.goto(f"{queued_server}/login?next=/reports/headoffice?lang=el")
    phone.fill("input[name=username]", "ada")
    phone.fill("input[name=password]", "correct-horse")
    phone.click("button[type=submit]")
    phone.wait_for_selector("#analysis-progress")
    note = phone.locator("#analysis-failed")
    assert not note.is_visible()

    run(Job.update({Job.state: "failed", Job.error: LOCKED}).where(Job.state == "queued").run())
    note.wait_for(state="visible", timeout=15_000)
    said = note.inner_text()
    assert "Η ανάλυση δεν ήταν δυνατό να γίνει." in said and "Δοκιμάστε ξανά" in said
    assert not phone.locator("#analysis-progress").is_visible()
    assert LOCKED not in phone.content()
    assert horizontal_overflow(phone) <= 0
    assert phone.errors == []
