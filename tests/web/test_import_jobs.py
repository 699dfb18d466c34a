"""A large upload at /imports is imported by a worker process (``evenly worker``): the page
follows it on a bar, then shows the result, or the problems by row; the same file uploaded
while it is queued joins that import; a small file is still imported in the request."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time

from audits.fieldwork.imports import BATCH
from audits.jobs.queue import STALE
from audits.tables import Audit, Job
from web.import_jobs import JOB_ABOVE_BYTES

from ..conftest import IS_POSTGRES, run
from ..db.test_import_runs import big_file
from .conftest import form
from .job_fixtures import ROOT, _app_client, _worker
from .report_helpers import as_user

ROWS = 4000


def _upload(client, text: str, **fields: str):
    files = {"file": ("audits.csv", text.encode(), "text/csv")}
    return form(client, "/imports", fields, files=files)


def _bar(page: str) -> int:
    found = re.search(r'<progress id="import-progress" max="100" value="(\d+)"', page)
    assert found, page
    return int(found.group(1))


def test_a_large_upload_is_imported_by_a_worker_and_the_page_shows_the_result(
    queued_settings, org, db
):
    text = big_file(ROWS)
    assert len(text.encode()) > JOB_ABOVE_BYTES
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        asked = _upload(client, text)
        assert asked.status_code == 303
        page_url = asked.headers["location"]
        assert _upload(client, text).headers["location"] == page_url  # joins the same import
        waiting = client.get(page_url)
        assert waiting.status_code == 200 and "Importing the file." in waiting.text
        assert _bar(waiting.text) == 0 and run(Audit.count().run()) == 0
        job_id = int(page_url.rsplit("/", 1)[1])
        assert client.get(f"/api/jobs/{job_id}").json()["state"] == "queued"

    _worker(db)

    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        done = client.get(page_url)
        assert f"Imported: {ROWS:,} new, 0 already imported." in done.text
        assert "import-progress" not in done.text
        assert client.get(f"/api/jobs/{job_id}").json()["progress"] == 1
        as_user(client, "max")  # a manager: not theirs to follow
        assert client.get(page_url).status_code == 403
        assert client.get(f"/api/jobs/{job_id}").status_code == 404
    assert run(Audit.count().run()) == ROWS


def test_a_large_upload_with_problems_shows_them_by_row_and_imports_nothing(
    queued_settings, org, db
):
    text = big_file(ROWS) + "bad-1,yesterday,B1,,sam,,70\n"
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page_url = _upload(client, text).headers["location"]
    _worker(db)
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page = client.get(page_url).text
        assert "Nothing was imported: 1 problems." in page
        assert f'<td class="number">{ROWS + 2:,}</td><td><code>visited_at</code></td>' in page
    assert run(Audit.count().run()) == 0


def test_a_worker_killed_mid_import_leaves_whole_chunks_and_the_next_finishes_it_once(
    queued_settings, org, db
):
    rows = 40 * BATCH
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page_url = _upload(client, big_file(rows)).headers["location"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "worker"],
        env={**os.environ, "DATABASE_URL": db, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while run(Audit.count().run()) < BATCH:  # its first chunk is in
            assert worker.poll() is None, "the worker stopped by itself"
            time.sleep(0.05)
    finally:
        worker.kill()  # no goodbye: its job stays "running", its heartbeat stops
        worker.wait()
    written = run(Audit.count().run())
    assert written % BATCH == 0 and 0 < written < rows  # whole chunks, not all of them
    stale = dt.datetime.now(dt.UTC) - STALE - dt.timedelta(seconds=1)  # a minute later
    run(Job.update({Job.heartbeat_at: stale}).where(Job.state == "running").run())

    _worker(db)  # the next worker takes the job up again and finishes it

    assert run(Audit.count().run()) == rows
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        assert f"Imported: {rows:,} new, 0 already imported." in client.get(page_url).text


FAIL_AT = "big-2500"  # in the third chunk


def _database_fails_at(ref: str) -> None:
    """A trigger that makes the database refuse the audit ``ref``: an import failing for no
    fault of its file (a full disk, say)."""
    if IS_POSTGRES:
        run(
            Audit.raw(f"""CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN
            IF NEW.external_ref = '{ref}' THEN RAISE EXCEPTION 'the disk is full'; END IF;
            RETURN NEW; END $$ LANGUAGE plpgsql""").run()
        )
        run(
            Audit.raw("""CREATE TRIGGER refuse_audit BEFORE INSERT ON audit
            FOR EACH ROW EXECUTE FUNCTION refuse_audit()""").run()
        )
    else:
        run(
            Audit.raw(f"""CREATE TRIGGER refuse_audit BEFORE INSERT ON audit
            WHEN NEW.external_ref = '{ref}' BEGIN SELECT RAISE(ABORT, 'the disk is full');
            END""").run()
        )


def _database_works_again() -> None:
    run(
        Audit.raw(
            "DROP TRIGGER IF EXISTS refuse_audit" + (" ON audit" if IS_POSTGRES else "")
        ).run()
    )
    if IS_POSTGRES:
        run(Audit.raw("DROP FUNCTION IF EXISTS refuse_audit()").run())


def test_an_import_the_database_stopped_is_tried_again_from_where_it_stopped_once(
    queued_settings, org, db
):
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        page_url = _upload(client, big_file(ROWS)).headers["location"]
    _database_fails_at(FAIL_AT)
    try:
        _worker(db)
    finally:
        _database_works_again()
    assert run(Audit.count().run()) == 2 * BATCH  # the chunks before the one refused

    with _app_client(queued_settings) as client:
        as_user(client, "max")  # a manager: not theirs to follow or retry
        assert client.get(page_url).status_code == 403
        assert form(client, f"{page_url}/retry").status_code == 403
        as_user(client, "ada")
        failed = client.get(page_url)
        assert "The import stopped before the end." in failed.text
        assert "Something went wrong on our side" in failed.text
        assert re.search(r"<details[^>]*>.*the disk is full.*</details>", failed.text, re.S)
        assert f'action="{page_url}/retry"' in failed.text and "Try again" in failed.text
        token = client.headers.pop("x-csrftoken")
        no_token = client.post(f"{page_url}/retry", follow_redirects=False)
        client.headers["x-csrftoken"] = token
        assert no_token.status_code == 403
        retried = form(client, f"{page_url}/retry")
        assert retried.status_code == 303 and retried.headers["location"] != page_url
        new_url = retried.headers["location"]
        assert form(client, f"{page_url}/retry").headers["location"] == new_url  # joins it
        assert "Importing the file." in client.get(new_url).text

    _worker(db)

    refs = run(Audit.select(Audit.external_ref).run())
    assert len(refs) == len({r["external_ref"] for r in refs}) == ROWS  # each audit once
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        done = client.get(new_url).text
        assert f"Imported: {ROWS:,} new, 0 already imported." in done  # the file, as planned
        again = form(client, f"{page_url}/retry")  # the old page's button: the import is done
        assert again.headers["location"] == new_url
    assert run(Audit.count().run()) == ROWS
