"""Head office's PDF as a job, on PostgreSQL: N app processes that only queue, M workers.

``python bench/jobs.py`` (``--help`` for options). It rebuilds a PostgreSQL database
(``--postgres``; its tables dropped), loads the demo organisation (24 branches, a year of
audits), starts N app processes (uvicorn ``--workers N``, ``EVENLY_APP_WORKER=0``) and M
``evenly worker`` processes, then:

1. an ordinary page (the office's home, ``/``) read one request after another: p50 and p99 while
   nothing else runs;
2. 20 readers, logged in beforehand, ask for head office's PDF at once
   (``POST /reports/headoffice/pdf/job``), follow their job as the page does (every second) and
   download it, while the same ordinary page is read as before: each reader's seconds to the
   PDF, how many jobs and PDFs were made (one of each, however many ask), the ordinary page's
   p50 and p99 meanwhile, and its slowest reads with when they started.

With ``--branches N --audits M`` the organisation is instead a chain of N branches in 80
regions with M audits over a year (``bench.headoffice_pages``), e.g. ``--branches 5000
--audits 60000``: head office's PDF is then the summarised one, its analysis the chain's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.submit import _free_port, _wait_until_up, reset_postgres  # noqa: E402

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/evenly_bench_jobs"
console = Console(width=120)


def _evenly(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _chain(url: str, branches: int, audits: int) -> None:
    """The chain of bench.headoffice_pages, loaded as its bench loads it, into ``url``."""
    build = (
        "import asyncio\nfrom bench.headoffice_pages import build\n"
        f"asyncio.run(build({branches}, {audits}))\n"
    )
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-c", build], env=env, cwd=ROOT, check=True)


async def _as_of_today(url: str, backlog: int) -> None:
    """The chain's year moved to end today, its latest ``backlog`` audits waiting for review and
    the rest reviewed, so that the office's home has this month's and this quarter's work and
    the shoppers' track records to show, as a chain in use has (the generated year is 2025's,
    imported unreviewed: its home was all but empty)."""
    import asyncpg

    from web.settings import postgres_config

    connection = await asyncpg.connect(**postgres_config(url))
    try:
        await connection.execute(
            "UPDATE audit SET visited_at = visited_at + (date_trunc('day', now())"
            " - date_trunc('day', (SELECT max(visited_at) FROM audit)))"
        )
        await connection.execute(
            "UPDATE audit SET status = 'submitted', submitted_at = visited_at WHERE id IN"
            " (SELECT id FROM audit ORDER BY visited_at DESC LIMIT $1)",
            backlog,
        )
        # The reviews that published them (one in twenty returned once first): the shoppers'
        # track records, which the review queue ranks by.
        if not await connection.fetchval("SELECT count(*) FROM audit_change"):
            await connection.execute(
                "INSERT INTO audit_change (audit, at, action) SELECT id, visited_at, action"
                " FROM audit, (VALUES ('approved'), ('returned')) AS review(action)"
                " WHERE status = 'published'"
                " AND (action = 'approved' OR get_byte(decode(md5(id::text), 'hex'), 0) < 13)"
            )
        # as autovacuum would soon after: every row was rewritten, and counts read the table
        await connection.execute("VACUUM ANALYZE audit, audit_change")
    finally:
        await connection.close()


@contextlib.contextmanager
def running(url: str, apps: int, workers: int, logs: Path, nice: int = 0) -> Iterator[str]:
    """N app processes behind one port (uvicorn's workers) and M job workers, these at a
    ``nice`` lower CPU priority (their chromium too)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EVENLY_SECRET_KEY": "bench",
        "EVENLY_DB_POOL": "1",
        "EVENLY_APP_WORKER": "0",
        "EVENLY_WEBHOOK_INTERVAL": "0",
        "EVENLY_LOGIN_RATE": "1000",
    }
    command = [sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(apps)]
    processes = []
    with contextlib.ExitStack() as stack:
        app_log = stack.enter_context((logs / "apps.log").open("wb"))
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=app_log, stderr=app_log)
        processes.append(server)
        for n in range(workers):
            log = stack.enter_context((logs / f"worker-{n}.log").open("wb"))
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "web.cli", "worker"],
                    env={**env, "EVENLY_WORKER_NICE": str(nice)},
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                )
            )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server, logs / "apps.log")
            yield base
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


# Head office's login: the demo's, or the chain's (bench.headoffice_pages)
OFFICE = {"username": "office", "password": "demo"}
CHAIN_OFFICE = {"username": "ada", "password": "correct-horse"}


async def _logged_in(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=1800)
    await client.get("/login")
    token = client.cookies["csrftoken"]
    response = await client.post("/login", data={**OFFICE, "_csrf_token": token})
    assert response.status_code in (200, 302, 303), response.text[:300]
    client.headers["x-csrftoken"] = client.cookies["csrftoken"]
    return client


async def _ordinary_page(
    client: httpx.AsyncClient, stop: asyncio.Event, seen: list[float], when: list[float]
):
    while not stop.is_set():
        start = time.perf_counter()
        response = await client.get("/")
        assert response.status_code == 200, response.status_code
        seen.append(time.perf_counter() - start)
        when.append(start)


async def _reader(
    client: httpx.AsyncClient, seconds: list[float], jobs: list[int], asks: list[float]
) -> None:
    try:
        start = time.perf_counter()
        job = (await client.post("/reports/headoffice/pdf/job")).json()
        asks.append(time.perf_counter() - start)
        jobs.append(job["id"])
        while job["state"] not in ("done", "failed"):
            await asyncio.sleep(1.0)  # as the page polls (web/static/js/report-download.js)
            job = (await client.get(job["status_url"])).json()
        assert job["state"] == "done", job
        pdf = await client.get(job["result_url"])
        assert pdf.content.startswith(b"%PDF"), pdf.status_code
        seconds.append(time.perf_counter() - start)
    finally:
        await client.aclose()


def _ms(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] * 1000 if len(values) > 1 else float("nan")


async def _measure(base: str, readers: int, idle_reads: int) -> dict:
    page = await _logged_in(base)
    try:
        # Unmeasured: each process's first reads and its start (WeasyPrint's warm-up and the
        # collection that then hides the modules from the collector, web.app), once a process.
        for _ in range(20):
            assert (await page.get("/")).status_code == 200
        await asyncio.sleep(3)
        idle: list[float] = []
        for _ in range(idle_reads):
            start = time.perf_counter()
            assert (await page.get("/")).status_code == 200
            idle.append(time.perf_counter() - start)
        console.print(f"ordinary page alone: {len(idle)} reads")
        # The readers are head offices already at work: they log in before the clock starts
        # (a log-in costs ~0.3 s of CPU, off the event loop but not off the machine).
        readers_in = await asyncio.gather(*(_logged_in(base) for _ in range(readers)))
        busy: list[float] = []
        busy_at: list[float] = []
        stop = asyncio.Event()
        reading = asyncio.create_task(_ordinary_page(page, stop, busy, busy_at))
        seconds: list[float] = []
        jobs: list[int] = []
        asks: list[float] = []
        started = time.perf_counter()
        await asyncio.gather(*(_reader(client, seconds, jobs, asks) for client in readers_in))
        wall = time.perf_counter() - started
        stop.set()
        await reading
    finally:
        await page.aclose()
    # the slowest reads meanwhile, and when they started (seconds after the readers asked)
    slowest = sorted(zip(busy, busy_at, strict=True), reverse=True)[:5]
    console.print(
        "slowest reads meanwhile: "
        + ", ".join(f"{s * 1000:.0f} ms at {at - started:.1f} s" for s, at in slowest)
    )
    return {
        "idle": idle,
        "busy": busy,
        "seconds": seconds,
        "jobs": jobs,
        "asks": asks,
        "wall": wall,
    }


async def _made(url: str) -> tuple[int, int]:
    import asyncpg

    from web.settings import postgres_config

    connection = await asyncpg.connect(**postgres_config(url))
    try:
        jobs = await connection.fetchval("SELECT count(*) FROM job")
        pdfs = await connection.fetchval("SELECT count(*) FROM kept_result WHERE kind = 'laid_out'")
    finally:
        await connection.close()
    return jobs, pdfs


async def _forget_jobs(url: str) -> None:
    import asyncpg

    from web.settings import postgres_config

    connection = await asyncpg.connect(**postgres_config(url))
    try:
        await connection.execute(
            "DELETE FROM job; DELETE FROM procrastinate_jobs; "
            "DELETE FROM kept_result WHERE kind = 'laid_out'"
        )
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=POSTGRES_URL)
    parser.add_argument("--apps", type=int, default=2, help="app processes (N)")
    parser.add_argument("--workers", type=int, default=2, help="job workers (M)")
    parser.add_argument("--readers", type=int, default=20, help="readers asking at once")
    parser.add_argument("--idle-reads", type=int, default=200)
    parser.add_argument(
        "--again", action="store_true", help="keep the data loaded by the last run (its jobs go)"
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the workers' niceness, EVENLY_WORKER_NICE (docs/deployment.md; 10 as deployed)",
    )
    parser.add_argument("--branches", type=int, help="a chain of this many branches, not the demo")
    parser.add_argument("--audits", type=int, default=60_000, help="the chain's audits")
    parser.add_argument(
        "--backlog", type=int, default=300, help="the chain's latest audits left for review"
    )
    options = parser.parse_args()
    url = options.postgres

    if options.branches:
        OFFICE.update(CHAIN_OFFICE)
    if options.again:
        _evenly(url, "migrate")  # the code may have moved on since the data was loaded
        asyncio.run(_forget_jobs(url))
        if options.branches:
            asyncio.run(_as_of_today(url, options.backlog))
    elif options.branches:
        console.print(f"Preparing {url}: a chain of {options.branches} branches")
        asyncio.run(reset_postgres(url))
        _chain(url, options.branches, options.audits)
        asyncio.run(_as_of_today(url, options.backlog))
    else:
        console.print(f"Preparing {url}: migrate, demo organisation")
        asyncio.run(reset_postgres(url))
        _evenly(url, "migrate")
        _evenly(url, "demo")
    with (
        tempfile.TemporaryDirectory(prefix="evenly-bench-jobs-") as logs,
        running(url, options.apps, options.workers, Path(logs), options.worker_nice) as base,
    ):
        result = asyncio.run(_measure(base, options.readers, options.idle_reads))
    jobs, pdfs = asyncio.run(_made(url))

    scale = f"{options.branches} branches" if options.branches else "the demo"
    table = Table(
        title=f"{options.apps} app processes, {options.workers} workers"
        f" (nice {options.worker_nice}), PostgreSQL, {scale}"
    )
    table.add_column("what")
    table.add_column("figure", justify="right")
    table.add_row("ordinary page alone: p50 / p99 (ms)", _pair(result["idle"]))
    table.add_row("ordinary page meanwhile: p50 / p99 (ms)", _pair(result["busy"]))
    table.add_row("ordinary page reads meanwhile", str(len(result["busy"])))
    seconds = sorted(result["seconds"])
    table.add_row(
        f"{options.readers} readers: PDF in (s, fastest / median / slowest)",
        f"{seconds[0]:.1f} / {statistics.median(seconds):.1f} / {seconds[-1]:.1f}",
    )
    asks = sorted(result["asks"])
    table.add_row(
        f"{options.readers} asks answered in (ms, fastest / median / slowest)",
        f"{asks[0] * 1000:.0f} / {statistics.median(asks) * 1000:.0f} / {asks[-1] * 1000:.0f}",
    )
    table.add_row("distinct job ids the readers got", str(len(set(result["jobs"]))))
    table.add_row("jobs in the database / PDFs made", f"{jobs} / {pdfs}")
    console.print(table)
    if len(set(result["jobs"])) != 1 or jobs != 1 or pdfs != 1:
        raise SystemExit("the PDF was not made exactly once")


def _pair(values: list[float]) -> str:
    return f"{_ms(values, 50):.0f} / {_ms(values, 99):.0f}"


if __name__ == "__main__":
    main()
