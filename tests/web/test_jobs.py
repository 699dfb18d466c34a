"""Head office's PDF as a job (issue 18): asked for by the page, made by a worker process
(``evenly worker``), followed to the end and downloaded; one job and one PDF however many ask
at once; nothing lost when the app that asked stops first; only head office sees it."""

from __future__ import annotations

import asyncio
import re

from litestar.testing import TestClient

from audits.db.kept_results import count_kept
from audits.fieldwork.imports import import_audits
from audits.jobs import queue
from audits.org.users import get_current_user
from audits.tables import Job, KeptResult
from reports import charts, kept_pdfs
from reports.pdf import clear_pdf_cache
from reports.report_data import Filters
from reports.services import period
from reports.services.branch import build_branch
from web import jobs
from web.jobs import (
    ANALYSIS_STEPS,
    BUILT,
    DIRECT_BRANCH_PDF_VISITS,
    LAID_OUT,
    defer_headoffice_pdf,
)
from web.report_views import translator

from ..conftest import run
from ..db.test_import_runs import big_file
from .chain_fixtures import import_chain
from .conftest import csrf
from .job_fixtures import _app_client, _worker
from .report_helpers import as_user, pdf_text
from .test_report_period import _history

JOB_URL = "/reports/headoffice/pdf/job"


def _ask(client: TestClient, query: str = "", url: str = JOB_URL) -> dict:
    csrf(client)
    response = client.post(url + query)
    assert response.status_code == 202, response.text
    return response.json()


def test_a_worker_process_makes_the_pdf_the_page_asked_for_after_the_app_stopped(
    queued_settings, org, db
):
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "ada")
        job = _ask(client)
        assert job["state"] == "queued" and job["progress"] == 0 and job["result_url"] is None
        assert client.get(job["status_url"]).json()["state"] == "queued"
        assert client.get(f"{job['status_url']}/result").status_code == 404  # not made yet

    _worker(db)  # the app that asked is gone; a worker started afterwards runs the job

    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        status = client.get(job["status_url"]).json()
        assert status["state"] == "done" and status["progress"] == 1
        pdf = client.get(status["result_url"])
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert 'filename="headoffice.pdf"' in pdf.headers["content-disposition"]
        assert "B1" in pdf_text(pdf.content)
        # Asked again for unchanged audits: the same job, done, nothing made again.
        again = _ask(client)
        assert again["id"] == job["id"] and again["state"] == "done"
    assert run(count_kept(kept_pdfs.KIND)) == 1
    kept = run(KeptResult.select(KeptResult.data).run())
    assert [bytes(row["data"]) for row in kept].count(pdf.content) == 1  # not once per store


def test_requests_at_once_join_one_job_and_the_pdf_is_made_once(queued_settings, org, db):
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "ada")
        first = _ask(client)
        assert _ask(client)["id"] == first["id"]
        other = _ask(client, "?from=2026-03-01&to=2026-03-31")  # another period: another job
        assert other["id"] != first["id"]

    async def many_at_once() -> set[int]:
        reader = await get_current_user(await _user_id("ada"))
        assert reader is not None
        jobs = await asyncio.gather(
            *(defer_headoffice_pdf(Filters(), reader, "en") for _ in range(8))
        )
        return {job.id for job in jobs}

    assert run(many_at_once()) == {first["id"]}
    assert run(queue.count_jobs()) == 2
    _worker(db)
    rows = run(Job.select(Job.state, Job.attempts).order_by(Job.id).run())
    assert rows == [{"state": "done", "attempts": 1}] * 2  # each run once
    assert run(count_kept(kept_pdfs.KIND)) == 2


async def _user_id(username: str) -> int:
    from piccolo.apps.user.tables import BaseUser

    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == username).first()
    assert row is not None
    return row["id"]


def test_only_head_office_follows_and_downloads_its_job(queued_settings, org, db):
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "ada")
        job = _ask(client)
        _worker(db)
        for user, status in (("max", 404), ("sam", 404), ("root", 200)):
            as_user(client, user)
            assert client.get(job["status_url"]).status_code == status, user
            assert client.get(f"{job['status_url']}/result").status_code == status, user
            if user != "root":
                csrf(client)
                assert client.post(JOB_URL).status_code == 403  # nor may they ask for one
        as_user(client, None)
        assert client.get(job["status_url"]).status_code == 401


def test_the_app_runs_its_own_worker_by_default(client, org):
    """`make demo`: one process, the SQLite worker (or procrastinate's) inside the app."""
    _history(client, org)
    as_user(client, "ada")
    job = _ask(client)
    status = job
    for _ in range(3000):  # until the job ends, however slow the machine
        status = client.get(job["status_url"]).json()
        if status["state"] in ("done", "failed"):
            break
        assert 0 <= status["progress"] < 1
        run(asyncio.sleep(0.1))
    assert status["state"] == "done", status
    assert client.get(status["result_url"]).content.startswith(b"%PDF")


def test_a_branch_pdf_is_a_job_its_managers_follow_and_others_do_not(queued_settings, org, db):
    """A manager's job is theirs and their branch's other managers'; head office's own view of
    the branch (it names the shoppers) is another job, which no manager may follow."""
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "max")  # B1's manager
        mine = _ask(client, url="/reports/branches/B1/pdf/job")
        assert _ask(client, url="/reports/branches/B1/pdf/job")["id"] == mine["id"]
        assert client.post("/reports/branches/B2/pdf/job").status_code == 403
        assert client.post("/reports/branches/NOPE/pdf/job").status_code == 403
        as_user(client, "ada")
        office = _ask(client, url="/reports/branches/B1/pdf/job")
        assert office["id"] != mine["id"]  # head office's view of B1, not the manager's
        assert client.post("/reports/branches/NOPE/pdf/job").status_code == 404
        _worker(db)
        for user, job, status in (
            ("max", mine, 200),
            ("max", office, 404),
            ("mia", mine, 404),  # B2's manager
            ("ada", mine, 200),
            ("ada", office, 200),
        ):
            as_user(client, user)
            assert client.get(job["status_url"]).status_code == status, (user, job)
            result = client.get(f"{job['status_url']}/result")
            assert result.status_code == status, (user, job)
            if status == 200:
                assert 'filename="branch-B1.pdf"' in result.headers["content-disposition"]


def test_a_small_branchs_pdf_downloads_directly_and_a_large_ones_is_a_job(queued_settings, org, db):
    """No worker runs here: a PDF that arrives was made in the request."""
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "max")
        page = client.get("/reports/branches/B1").text
        assert 'href="/reports/branches/B1/pdf"' in page and "data-job=" not in page
        pdf = client.get("/reports/branches/B1/pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert 'filename="branch-B1.pdf"' in pdf.headers["content-disposition"]
        assert "B1" in pdf_text(pdf.content)
        assert run(queue.count_jobs()) == 0

        # B1 grows past the size a PDF is made in the request for: its button asks for a job.
        run(import_audits(big_file(DIRECT_BRANCH_PDF_VISITS + 1)))
        page = client.get("/reports/branches/B1").text
        assert 'data-job="/reports/branches/B1/pdf/job"' in page
        assert "data-job=" not in client.get("/reports/branches/B2").text  # still small
        assert _ask(client, url="/reports/branches/B1/pdf/job")["state"] == "queued"


def test_a_large_periods_analysis_is_made_by_a_worker_while_the_page_shows_its_progress(
    queued_settings, org, db, monkeypatch
):
    monkeypatch.setattr(period, "FIT_IN_REQUEST", 5)  # 12 audits make a large period here
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "ada")
        waiting = client.get("/reports/headoffice")
        assert waiting.status_code == 200 and "Analysing the period" in waiting.text
        status_url = re.search(r'data-job-status="([^"]+)"', waiting.text).group(1)
        assert client.get(status_url).json()["state"] == "queued"
        as_user(client, "max")  # B1's manager waits for the same analysis
        assert status_url in client.get("/reports/branches/B1").text
        assert client.get(status_url).status_code == 200
        assert client.get(f"{status_url}/result").status_code == 404  # nobody downloads it
    assert run(queue.count_jobs()) == 1

    _worker(db)

    with _app_client(queued_settings) as client:  # another process: the kept analysis
        as_user(client, "ada")
        page = client.get("/reports/headoffice").text
        assert "Analysing the period" not in page and "B1" in page
        as_user(client, "max")
        assert "Analysing the period" not in client.get("/reports/branches/B1").text
    assert run(queue.count_jobs()) == 1


def test_a_pdf_jobs_bar_moves_per_chart_and_layout_step_and_only_forward(queued_settings, org, db):
    with _app_client(queued_settings) as client:
        _history(client, org)
        as_user(client, "ada")
        job = _ask(client, url="/reports/branches/B1/pdf/job")
    seen: list[float] = []

    async def follow(job_id: int) -> None:  # what the reader's page would read at that moment
        found = await queue.status(job_id)
        assert found is not None
        seen.append(found[0].progress)

    charts.clear_image_cache()  # every chart drawn here, none remembered from another test
    clear_pdf_cache()
    queue.on_progress.append(follow)
    try:
        assert run(queue.run_job(job["id"])) == queue.DONE
    finally:
        queue.on_progress.remove(follow)
    assert seen == sorted(seen)
    assert len(set(seen)) > 3
    assert seen[0] > 0 and seen[-1] < 1
    office = run(get_current_user(run(_user_id("ada"))))
    report = run(build_branch("B1", Filters(), office, lang="en", _=translator("en")))
    drawing = {fraction for fraction in seen if BUILT < fraction < LAID_OUT}
    assert len(drawing) >= len(report.figures())  # a step per chart, then the layout's


def _following(job_id: int) -> list[float]:
    """Run the job as a worker does, and the bar a reader's page would read at each step."""
    seen: list[float] = []

    async def follow(_job: int) -> None:
        found = await queue.status(job_id)
        assert found is not None
        seen.append(found[0].progress)

    queue.on_progress.append(follow)
    try:
        assert run(queue.run_job(job_id)) == queue.DONE
    finally:
        queue.on_progress.remove(follow)
    return seen


def test_a_period_analysis_jobs_bar_moves_during_the_fit_and_only_forward(
    queued_settings, org, monkeypatch
):
    monkeypatch.setattr(period, "FIT_IN_REQUEST", 5)  # the chain's 480 audits: a large period
    monkeypatch.setattr(jobs, "BAR_EVERY", 0.0)  # a fit of seconds here: every step written
    import_chain()
    with _app_client(queued_settings) as client:
        as_user(client, "ada")
        waiting = client.get("/reports/headoffice").text
        assert "Analysing the period" in waiting
        job_id = int(re.search(r'data-job-status="/api/jobs/(\d+)"', waiting).group(1))
    seen = _following(job_id)
    assert seen == sorted(seen) and seen[-1] < 1
    low, high = ANALYSIS_STEPS["rows"], ANALYSIS_STEPS["analysis"]
    fitting = sorted({fraction for fraction in seen if low < fraction < high})
    assert len(fitting) >= 5, seen  # the bar moves while the model is fitted
    assert fitting[-1] - fitting[0] > (high - low) / 2
    with _app_client(queued_settings) as client:  # and the page reads the fit the job kept
        as_user(client, "ada")
        assert "Analysing the period" not in client.get("/reports/headoffice").text
