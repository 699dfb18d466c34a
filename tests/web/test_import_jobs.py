"""A large upload at /imports is imported by a worker process (``evenly worker``): the page
follows it on a bar, then shows the result, or the problems by row; the same file uploaded
while it is queued joins that import; a small file is still imported in the request."""

from __future__ import annotations

import re

from audits.tables import Audit
from web.import_jobs import JOB_ABOVE_BYTES

from ..conftest import run
from ..db.test_import_runs import big_file
from .conftest import form
from .job_fixtures import _app_client, _worker
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
