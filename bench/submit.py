"""Filing audits under load: 32 shoppers at once, on SQLite and on PostgreSQL.

``python bench/submit.py`` (``--help`` for options). For each database it migrates a fresh one,
loads a small organisation (4 branches, the default checklist, one API token per shopper), starts
the real app with uvicorn on a free port and measures, with every shopper sending its next request
as soon as the last one is answered:

1. validation only: answers scored without filing (POST /api/checklists/.../score);
2. submitting: audits with fresh ids (POST /api/audits);
3. then checks that no request failed, that the database holds exactly the audits sent and that
   re-sending some of them (a retry) answers 200 and adds nothing.

PostgreSQL is ``postgresql://postgres@127.0.0.1:5432/evenly_bench`` (``--postgres`` to change;
created when missing, its tables dropped and rebuilt on every run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checklists.documents import load_checklist  # noqa: E402
from checklists.model import Checklist, ItemType  # noqa: E402
from checklists.scoring import applicable_items  # noqa: E402

CHECKLIST = "service-fundamentals"
BRANCHES = ("B1", "B2", "B3", "B4")
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/evenly_bench"
console = Console(width=120)


# -- the organisation, set up in a child process that reads DATABASE_URL like the app does --


def _in_database(url: str) -> ProcessPoolExecutor:
    """A one-process pool whose Piccolo engine is the database at ``url``."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=get_context("spawn"),
        initializer=_use_database,
        initargs=(url,),
    )


def _use_database(url: str) -> None:
    os.environ["DATABASE_URL"] = url  # read when Piccolo first looks for its engine


def prepare_database(shoppers: int) -> list[str]:
    """Migrate, load the organisation; return one API token per shopper."""
    return asyncio.run(_prepare(shoppers))


async def _prepare(shoppers: int) -> list[str]:
    from piccolo.apps.user.tables import BaseUser

    from audits.org.tokens import create_token
    from audits.org.users import create_user
    from audits.tables import Branch, Region, Role, Shift, Staff
    from checklists import queries
    from web.cli import migrate_database

    BaseUser._pbkdf2_iteration_count = 1_000  # nobody logs in with a password here
    with contextlib.redirect_stdout(io.StringIO()):
        await migrate_database()
    region = (await Region.insert(Region(code="R1", name="Attica")).returning(Region.id))[0]
    for code in BRANCHES:
        branch = await Branch.insert(
            Branch(code=code, name=code, region=region["id"], timezone="Europe/Athens")
        ).returning(Branch.id)
        await Staff.insert(Staff(branch=branch[0]["id"], code=f"{code}-S1", name="Anna"))
    await Shift.insert(
        Shift(name="morning", start_minute=7 * 60, end_minute=12 * 60),
        Shift(name="afternoon", start_minute=12 * 60, end_minute=22 * 60),
    )
    await queries.import_checklist(_checklist(), by="bench", publish=True)
    tokens = []
    for n in range(shoppers):
        await create_user(f"shopper{n:02}", "bench-password", Role.shopper)
        tokens.append(await create_token(f"shopper{n:02}", "bench"))
    return tokens


def count_audits() -> int:
    return asyncio.run(_count_audits())


async def _count_audits() -> int:
    from audits.tables import Audit

    return await Audit.count()


async def reset_postgres(url: str) -> None:
    """Create the database when missing and empty it, so every run starts the same."""
    import asyncpg

    from web.settings import postgres_config

    config = postgres_config(url)
    admin = await asyncpg.connect(**{**config, "database": "postgres"})
    try:
        if not await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname=$1", config["database"]
        ):
            await admin.execute(f'CREATE DATABASE "{config["database"]}"')
    finally:
        await admin.close()
    connection = await asyncpg.connect(**config)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()


# -- what the shoppers send --


def _checklist() -> Checklist:
    path = ROOT / "checklists" / "defaults" / f"{CHECKLIST}.yaml"
    return load_checklist(path.read_text("utf-8"))


def random_answers(doc: Checklist, rng: random.Random) -> dict:
    """Plausible answers to every item the form would show (about 20 of them)."""
    answers: dict = {}
    for item in doc.items():
        if item.key not in applicable_items(doc, answers):
            continue
        if item.type is ItemType.yes_no:
            answers[item.key] = rng.random() < 0.85
        elif item.type is ItemType.scale:
            answers[item.key] = rng.randint(item.scale.min, item.scale.max)
        elif item.type is ItemType.choice:
            answers[item.key] = rng.choice(item.options).value
        elif item.type is ItemType.number:
            answers[item.key] = rng.randint(0, int(item.target.full_at) * 2)
        elif item.type is ItemType.text:
            answers[item.key] = "Anna at the counter"
    return answers


def audit_body(doc: Checklist, rng: random.Random) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "branch": rng.choice(BRANCHES),
        "checklist": CHECKLIST,
        "visited_at": "2026-03-10T18:30:00+02:00",
        "channel": "in_person",
        "staff": None,
        "answers": random_answers(doc, rng),
        "comments": {},
    }


# -- the load --


@dataclass
class Phase:
    """What one phase sent and how long each request took (seconds)."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[p - 1] * 1000


async def run_phase(base: str, jobs: list[list], cap: float, think: float = 0.0) -> Phase:
    """Each shopper sends its (token, url, body, expected status) list in turn, all shoppers at
    once; with ``think``, a shopper pauses that many seconds on average before each request."""
    phase = Phase()
    limits = httpx.Limits(max_connections=len(jobs), max_keepalive_connections=len(jobs))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        deadline = time.monotonic() + cap
        start = time.perf_counter()
        await asyncio.gather(
            *(_shopper(client, job, deadline, phase, think, n) for n, job in enumerate(jobs))
        )
        phase.seconds = time.perf_counter() - start
    return phase


async def _shopper(
    client: httpx.AsyncClient, job: list, deadline: float, phase: Phase, think: float, seed: int
) -> None:
    pauses = random.Random(seed)
    for token, url, body, expected in job:
        if think:
            await asyncio.sleep(pauses.expovariate(1 / think))
        if time.monotonic() > deadline:
            return
        start = time.perf_counter()
        try:
            response = await client.post(
                url, json=body, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as error:
            phase.errors.append(f"{url}: {error!r}")
            continue
        phase.latencies.append(time.perf_counter() - start)
        if response.status_code != expected:
            phase.errors.append(f"{url}: {response.status_code} {response.text[:200]}")


def score_jobs(tokens: list[str], per_shopper: int, doc: Checklist) -> list[list]:
    url = f"/api/checklists/{CHECKLIST}/versions/latest/score"
    rng = random.Random(1)
    return [
        [(token, url, {"answers": random_answers(doc, rng)}, 200) for _ in range(per_shopper)]
        for token in tokens
    ]


def submit_jobs(tokens: list[str], per_shopper: int, doc: Checklist, seed: int) -> list[list]:
    rng = random.Random(seed)
    return [
        [(token, "/api/audits", audit_body(doc, rng), 201) for _ in range(per_shopper)]
        for token in tokens
    ]


def resend_jobs(jobs: list[list]) -> list[list]:
    """Each shopper's first audit again, as a client retrying after a lost answer would."""
    return [[(token, url, body, 200)] for token, url, body, _ in (job[0] for job in jobs)]


# -- the server --


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(url: str, workers: int, log: Path) -> Iterator[str]:
    """The app under uvicorn, as ``evenly serve`` runs it (uvloop, httptools, access log)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "EVENLY_SECRET_KEY": "bench", "EVENLY_DB_POOL": "1"}
    command = [sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server, log)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"The server stopped:\n{log.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"The server did not answer /health within 30 s:\n{log.read_text()}")


# -- one database --


@dataclass
class Result:
    database: str
    workers: int
    phases: dict[str, Phase]
    stored: int


def bench_database(name: str, url: str, workers: int, options: argparse.Namespace) -> Result:
    console.print(f"[bold]{name}[/] ({url}, {workers} worker(s))")
    if url.startswith("postgresql"):
        asyncio.run(reset_postgres(url))
    with _in_database(url) as database:
        tokens = database.submit(prepare_database, options.shoppers).result()
        with serving(url, workers, Path(options.tmp) / f"{name}-{workers}.log") as base:
            phases, jobs = _measure(base, tokens, options)
            stored = database.submit(count_audits).result()
            retried = asyncio.run(run_phase(base, resend_jobs(jobs), options.cap))
            after_retry = database.submit(count_audits).result()
    phases["submit"].errors += retried.errors
    if after_retry != stored:
        phases["submit"].errors.append(f"re-sending audits changed the count to {after_retry}")
    return Result(name, workers, phases, stored)


def _measure(base: str, tokens: list[str], options: argparse.Namespace) -> tuple[dict, list]:
    """Validation only and submitting, flat out; then submitting at a steady pace."""
    doc, cap = _checklist(), options.cap
    asyncio.run(run_phase(base, score_jobs(tokens, 1, doc), cap))  # warm up
    jobs = submit_jobs(tokens, options.audits, doc, seed=2)
    phases = {
        "validate": asyncio.run(run_phase(base, score_jobs(tokens, options.audits, doc), cap)),
        "submit": asyncio.run(run_phase(base, jobs, cap)),
    }
    if options.rate:
        paced = submit_jobs(tokens, options.paced, doc, seed=3)
        think = len(tokens) / options.rate
        phases["paced"] = asyncio.run(run_phase(base, paced, cap, think=think))
    return phases, jobs


# -- the report --


def problems(result: Result) -> list[str]:
    """Why a run does not count: failed requests, lost or doubled audits."""
    found = [error for phase in result.phases.values() for error in phase.errors]
    sent = sum(len(p.latencies) for name, p in result.phases.items() if name != "validate")
    if result.stored != sent:
        found.append(f"{sent} audits sent but {result.stored} stored")
    return found


LOADS = {
    "validate": "validation only, flat out",
    "submit": "submit, flat out",
    "paced": "submit, paced",
}


def report(results: list[Result], options: argparse.Namespace) -> None:
    table = Table(title=f"{options.shoppers} shoppers, one request each in flight at most")
    for column in ("database", "workers", "load", "requests", "per s", "p50 ms", "p99 ms"):
        table.add_column(column, justify="left" if column == "load" else "right")
    for r in results:
        for name, phase in r.phases.items():
            pause = options.shoppers / options.rate if options.rate else 0
            load = LOADS[name] + (f" (pauses of {pause:g} s mean)" if name == "paced" else "")
            table.add_row(
                r.database, str(r.workers), load, str(len(phase.latencies)), f"{phase.rate:.0f}",
                f"{phase.percentile_ms(50):.0f}", _p99(phase),
            )  # fmt: skip
        ratio = r.phases["submit"].rate / r.phases["validate"].rate
        table.add_row("", "", f"[dim]submit / validation-only rate: {ratio:.2f}", end_section=True)
    console.print(table)
    for r in results:
        for problem in problems(r)[:5]:
            console.print(f"[red]{r.database}: {problem}")


def _p99(phase: Phase) -> str:
    value = phase.percentile_ms(99)
    return f"[{'green' if value < 100 else 'red'}]{value:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shoppers", type=int, default=32, help="clients at once (32)")
    parser.add_argument("--audits", type=int, default=20, help="audits per shopper (20)")
    parser.add_argument("--cap", type=float, default=30, help="seconds per phase at most (30)")
    parser.add_argument(
        "--rate", type=float, default=8, help="paced: aim at N audits/s in all (8; 0: skip)"
    )
    parser.add_argument("--paced", type=int, default=5, help="paced audits per shopper (5)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database")
    parser.add_argument("--postgres", default=POSTGRES_URL, help="PostgreSQL database to use")
    parser.add_argument("--pg-workers", type=int, nargs="+", default=[1, 2], help="(1 2)")
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="evenly-bench-") as tmp:
        options.tmp = tmp
        if options.only != "postgresql":
            url = f"sqlite:///{tmp}/evenly.db"
            results.append(bench_database("SQLite", url, 1, options))
        if options.only != "sqlite":
            for workers in options.pg_workers:
                results.append(bench_database("PostgreSQL", options.postgres, workers, options))
    report(results, options)
    return 1 if any(problems(r) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
