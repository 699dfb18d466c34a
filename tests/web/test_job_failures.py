"""A failed job as its reader is told: a sentence in their language of what to do, never the
technical error inside it; that error is head office's alone (folded on the page, in the job's
JSON), and a manager following a job never reads it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from audits.tables import Job
from web.import_jobs import AUDIT_IMPORT
from web.job_failures import BROKEN, BUSY, failure_reason
from web.jobs import PERIOD_ANALYSIS, PROGRESS_ONLY

from ..conftest import run
from .conftest import login

LOCKED = "database is locked"
LEAKY = 'relation "kept_result" does not exist at /srv/evenly/audits/db/kept_results.py'


def _failed_job(kind: str, audience: str, error: str) -> int:
    now = dt.datetime.now(dt.UTC)
    rows = run(
        Job.insert(
            Job(
                kind=kind,
                key=f"test-{kind}-{error[:8]}",
                audience=audience,
                state="failed",
                error=error,
                created_at=now,
                heartbeat_at=now,
                finished_at=now,
            )  # fmt: skip
        )
        .returning(Job.id)
        .run()
    )
    return rows[0]["id"]


def _outside_details(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (LOCKED, BUSY),
        ("could not serialize access due to concurrent update", BUSY),
        ("canceling statement due to statement timeout", BUSY),
        ("the disk is full", BROKEN),
        ("KeyError: 'league'", BROKEN),
    ],
)
def test_a_failure_is_told_as_passing_or_ours(error, reason):
    assert failure_reason(error) == reason


def test_a_failed_import_in_greek_says_what_to_do_with_the_error_folded_for_head_office(
    client, people
):
    job = _failed_job(AUDIT_IMPORT, "office", LOCKED)
    assert login(client, people["office"]).status_code == 302
    page = client.get(f"/imports/jobs/{job}?lang=el").text
    client.get("/?lang=en")
    alert = re.search(
        r'<[a-z]+ class="errors" role="alert">.*?</(?:p|div)>\s*(?:</div>)?', page, re.S
    )
    assert alert, page
    told = _outside_details(alert[0])
    assert "Η εισαγωγή σταμάτησε πριν από το τέλος." in told
    assert "Ο διακομιστής ήταν απασχολημένος· δοκιμάστε ξανά σε ένα λεπτό." in told
    assert LOCKED not in told and "import stopped" not in told
    details = re.search(r'<details class="job-error">.*?</details>', page, re.S)[0]
    assert "Τεχνικές λεπτομέρειες" in details and LOCKED in details


def test_a_manager_following_a_failed_job_gets_no_technical_error(client, people):
    job = _failed_job(PERIOD_ANALYSIS, PROGRESS_ONLY, LEAKY)
    assert login(client, people["manager"]).status_code == 302
    seen = client.get(f"/api/jobs/{job}").json()
    assert seen["state"] == "failed" and seen["error"] is None
    assert "kept_result" not in client.get(f"/api/jobs/{job}").text
    client.cookies.clear()
    assert login(client, people["office"]).status_code == 302
    assert client.get(f"/api/jobs/{job}").json()["error"] == LEAKY
