"""The import page on a phone: a bad file shows its errors by row and column in a table that
scrolls inside its box; the corrected file imports; the pooled app takes the upload too."""

import os

import pytest

from audits.tables import Audit

from ..conftest import IS_POSTGRES, run
from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("EVENLY_SCREENSHOTS")
HEAD = "audit_ref,visited_at,branch,staff,auditor,calibration_of,score\n"
GOOD = HEAD + "x-1,2026-03-10T18:30,B1,B1-S1,sam,,81.5\nx-2,2026-03-10T18:50,B1,,sue,x-1,77\n"
BAD = GOOD + "x-3,10/03/2026,B1,,sam,,70\nx-4,2026-03-11T10:00,B1,,sam,,170\n"


def _log_in(page, server):
    page.goto(f"{server}/login?next=/imports")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", "correct-horse")
    page.click("button[type=submit]")
    page.wait_for_url("**/imports")


def _upload(page, path):
    page.set_input_files("input[name=file]", str(path))
    page.click("button.primary")
    page.wait_for_load_state()


# The pooled variant is SQLite's pooled write path; on PostgreSQL the asyncpg pool belongs to the
# server's event loop, which the test's own set-up cannot share.
POOLS = [False] if IS_POSTGRES else [False, True]


@pytest.mark.parametrize("server", POOLS, indirect=True, ids=["no-pool", "pool"][: len(POOLS)])
def test_import_page_shows_errors_then_imports_on_a_phone(server, phone, org, tmp_path):
    _log_in(phone, server)
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    _upload(phone, bad)
    main = phone.inner_text("main")
    assert "Nothing was imported: 2 problems." in main
    rows = phone.locator("table tbody tr")
    assert rows.nth(0).locator("td").all_inner_texts()[:2] == ["4", "visited_at"]
    assert rows.nth(1).locator("td").all_inner_texts()[:2] == ["5", "score"]
    assert horizontal_overflow(phone) <= 0
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/imports-errors.png", full_page=True)
    assert run(Audit.count().run()) == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    _upload(phone, good)
    assert "Imported: 2 new, 0 already imported." in phone.inner_text("main")
    assert run(Audit.count().run()) == 2
    # the rejected upload's 422 is the only thing the console reports
    assert [e for e in phone.errors if "status of 422" not in e] == []


def test_a_large_upload_is_imported_by_the_apps_worker_and_the_page_turns_into_the_result(
    server, phone, org, tmp_path
):
    """The page follows the job (a bar, reloading itself) until it shows the result."""
    from ..db.test_import_runs import big_file

    _log_in(phone, server)
    large = tmp_path / "large.csv"
    large.write_text(big_file(4000))
    _upload(phone, large)
    assert "/imports/jobs/" in phone.url
    phone.wait_for_selector("text=Imported: 4,000 new, 0 already imported.", timeout=120_000)
    assert phone.locator("#import-progress").count() == 0
    assert run(Audit.count().run()) == 4000
    assert phone.errors == []
