"""Importing audit history in bulk, on SQLite and on PostgreSQL, against Piccolo objects per row.

``python bench/import.py`` (``--help`` for options). It generates a seeded file of ``--n`` audits
(default 100,000: 200 branches in four time zones, 40 auditors, staff, shifts derived from the
visit time, 5 % calibration pairs, scores 0–100) and, for each database (migrated fresh, in a
child process that reads ``DATABASE_URL`` as the command does):

1. imports it through ``audits.fieldwork.imports.import_audits`` (what
   ``evenly import audits`` runs: parse, check, one transaction of multi-row ``executemany``
   batches), creating the branches, staff and auditors it names;
2. imports it again (every row already there: nothing written);
3. imports ``--items`` audits with a column per item of the default checklist (scored like a
   filed audit);
4. imports another ``--n`` fresh audits the way a large upload's job does
   (``audits.fieldwork.import_runs``: a chunk of 1,000 audits per transaction, so its progress
   shows and a restart resumes it), against the bulk path's one transaction;
5. the baselines: ``--sample`` fresh audits, checked the same way but saved as one Piccolo
   ``Audit(...).save()`` per row, each committed on its own (the plain way), and again all in
   one transaction (as the bulk path, all or nothing), in the same run.

It prints audits/s and the bulk path's ratio to each baseline. PostgreSQL is
``postgresql://postgres@127.0.0.1:5432/import_bench`` (``--postgres``; created when missing,
emptied every run; the name must contain ``bench`` or ``test``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/import_bench"
ZONES = ("Europe/Athens", "Europe/Warsaw", "Asia/Tehran", "UTC")
START = dt.datetime(2024, 1, 1)
console = Console(width=160)


# -- the files --


def _visit(rng: random.Random) -> dt.datetime:
    day = START + dt.timedelta(days=rng.randrange(700))
    return day + dt.timedelta(minutes=rng.randrange(7 * 60, 22 * 60))


def score_file(n: int, seed: int, prefix: str = "h") -> str:
    """``n`` score-only audits; every 20th is a calibration pair of the one before."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["audit_ref", "visited_at", "branch", "staff", "auditor", "calibration_of", "score"]
    )
    last = None
    for i in range(n):
        ref = f"{prefix}-{i:07}"
        if last is not None and i % 20 == 0:
            ref_of, when, branch, staff = last
            writer.writerow(
                [
                    ref,
                    when,
                    branch,
                    staff,
                    f"aud{rng.randrange(40):02}",
                    ref_of,
                    rng.randrange(40, 101),
                ]
            )
            continue
        branch = f"B{rng.randrange(200):03}"
        staff = f"S{rng.randrange(6)}"
        when = _visit(rng).isoformat(timespec="minutes")
        writer.writerow(
            [
                ref,
                when,
                branch,
                f"{branch}-{staff}",
                f"aud{rng.randrange(40):02}",
                "",
                round(rng.gauss(78, 12) % 100, 1),
            ]
        )
        last = (ref, when, branch, f"{branch}-{staff}")
    return out.getvalue()  # fmt: skip


def branches_file() -> str:
    rows = [f"B{i:03},Branch {i},R{i % 8},{ZONES[i % len(ZONES)]}" for i in range(200)]
    return "code,name,region,timezone\n" + "\n".join(rows) + "\n"


def item_file(n: int, seed: int) -> str:
    """``n`` audits answering every item of the default checklist at random."""
    from checklists.model import ItemType
    from checklists.scoring import applicable_items

    doc = _checklist()
    rng = random.Random(seed)
    items = [i for i in doc.items() if i.type is not ItemType.photo]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["audit_ref", "visited_at", "branch", "auditor", *(f"item:{i.key}" for i in items)]
    )
    for k in range(n):
        answers: dict = {}
        for item in items:
            if item.key in applicable_items(doc, answers):
                answers[item.key] = _answer(item, rng)
        cells = [_cell(answers.get(i.key)) for i in items]
        branch = f"B{rng.randrange(200):03}"
        writer.writerow(
            [
                f"i-{k:07}",
                _visit(rng).isoformat(timespec="minutes"),
                branch,
                f"aud{rng.randrange(40):02}",
                *cells,
            ]
        )
    return out.getvalue()  # fmt: skip


def _answer(item, rng: random.Random):
    kind = item.type.value
    if kind == "yes_no":
        return rng.random() < 0.8
    if kind == "scale":
        return rng.randint(item.scale.min, item.scale.max)
    if kind == "choice":
        return rng.choice(item.options).value
    if kind == "number":
        return rng.randrange(0, 12)
    return "ok" if rng.random() < 0.3 else None


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _checklist():
    from checklists.documents import load_checklist

    return load_checklist((ROOT / "checklists/defaults/service-fundamentals.yaml").read_text())


# -- in the child process, on one database --


def _use_database(url: str) -> None:
    os.environ["DATABASE_URL"] = url  # read when Piccolo first looks for its engine


def bench_here(n: int, items: int, sample: int, seed: int) -> dict[str, float]:
    from audits.fieldwork.import_csv import AuditCsvError

    try:
        return asyncio.run(_bench(n, items, sample, seed))
    except AuditCsvError as error:  # it does not cross the process boundary whole
        raise RuntimeError("\n".join(map(str, error.problems[:20]))) from None


async def _timed(coroutine) -> tuple[object, float]:
    start = time.perf_counter()
    result = await coroutine
    return result, time.perf_counter() - start


async def _bench(n: int, items: int, sample: int, seed: int) -> dict[str, float]:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from audits.fieldwork.imports import import_audits
    from audits.org.org_import import import_csv
    from audits.org.organisation import add_shift
    from checklists import queries

    await run_forwards(app_name="all")
    await import_csv("branches", branches_file())
    for name, start, end in (
        ("morning", "07:00", "12:00"),
        ("afternoon", "12:00", "17:00"),
        ("evening", "17:00", "22:00"),
    ):
        await add_shift(name, start, end)  # fmt: skip
    await queries.import_checklist(_checklist(), by="bench", publish=True)
    text = score_file(n, seed)
    first, bulk = await _timed(import_audits(text, create_missing=True))
    assert first.new == n, first
    again, repeat = await _timed(import_audits(text))
    assert (again.new, again.already) == (0, n), again
    scored, item_time = await _timed(
        import_audits(item_file(items, seed), checklist="service-fundamentals")
    )
    assert scored.new == items, scored
    chunked = await _as_a_job(score_file(n, seed + 3, prefix="j"))
    alone = await _per_row(score_file(sample, seed + 1, prefix="p"), together=False)
    together = await _per_row(score_file(sample, seed + 2, prefix="q"), together=True)
    return {
        "bulk": bulk,
        "repeat": repeat,
        "items": item_time,
        "job": chunked,
        "alone": alone,
        "one": together,
    }


async def _as_a_job(text: str) -> float:
    """The path of a large upload (``import_runs``): a chunk of audits per transaction."""
    from audits.fieldwork.import_runs import run_import, store_upload

    now = dt.datetime.now(dt.UTC)
    start = time.perf_counter()
    data = text.encode()
    await store_upload("bench", "bench", data, checklist=None, create_missing=True, now=now)
    outcome = await run_import("bench", now=now)
    assert outcome.result is not None and outcome.result.new == text.count("\n") - 1, outcome
    return time.perf_counter() - start


async def _per_row(text: str, together: bool) -> float:
    """The same checks, then one Piccolo object saved per audit (the path not taken)."""
    from audits.db.write_lock import write_transaction
    from audits.fieldwork import imports as imp
    from audits.fieldwork.import_csv import parse_audits
    from audits.fieldwork.import_plan import plan_import
    from audits.tables import Audit

    start = time.perf_counter()
    rows = parse_audits(text)
    now = dt.datetime.now(dt.UTC)
    plan = plan_import(rows, await imp.known_of(rows), doc=None, create_missing=True, now=now)
    version = await imp.imported_score_version()
    async with write_transaction():
        await imp.create_missing_people(plan)
    ids = await imp.ids_of(plan)
    # In one transaction, as the bulk path (all or nothing); or each save committed alone.
    async with write_transaction() if together else contextlib.nullcontext():
        for audit in plan.audits:
            values = dict(zip(imp._COLUMNS, imp._values(audit, version, ids, now), strict=True))
            await Audit(**values, calibration_of=audit.calibration_of).save()
    return time.perf_counter() - start


# -- the parent --


async def reset_postgres(url: str) -> None:
    import asyncpg

    from web.settings import postgres_config

    config = postgres_config(url)
    if "bench" not in config["database"] and "test" not in config["database"]:
        raise SystemExit(f"Refusing to empty {config['database']!r}: its name lacks bench/test")
    admin = await asyncpg.connect(**{**config, "database": "postgres"})
    try:
        exists = "SELECT 1 FROM pg_database WHERE datname=$1"
        if not await admin.fetchval(exists, config["database"]):
            await admin.execute(f'CREATE DATABASE "{config["database"]}"')
    finally:
        await admin.close()
    connection = await asyncpg.connect(**config)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()


def run_on(url: str, options: argparse.Namespace) -> dict[str, float]:
    with ProcessPoolExecutor(1, get_context("spawn"), _use_database, (url,)) as pool:
        job = pool.submit(bench_here, options.n, options.items, options.sample, options.seed)
        return job.result()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="audits in the file")
    parser.add_argument("--items", type=int, default=10_000, help="audits with item answers")
    parser.add_argument("--sample", type=int, default=2_000, help="audits saved one by one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=POSTGRES_URL)
    parser.add_argument("--skip-postgres", action="store_true")
    options = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite"] = run_on(f"sqlite:///{folder}/bench.db", options)
    if not options.skip_postgres:
        asyncio.run(reset_postgres(options.postgres))
        results["PostgreSQL"] = run_on(options.postgres, options)
    columns = ("bulk import", "as a job (chunks)", "again (all there)", "item columns")
    columns += ("per-row objects",)
    table = Table("database", *columns, "… in one transaction")
    for name, r in results.items():
        bulk_rate = options.n / r["bulk"]
        alone, together = options.sample / r["alone"], options.sample / r["one"]
        table.add_row(
            name,
            f"{options.n:,} in {r['bulk']:.1f} s = {bulk_rate:,.0f}/s",
            f"{r['job']:.1f} s = {options.n / r['job']:,.0f}/s ({r['job'] / r['bulk']:.2f}× bulk)",
            f"{r['repeat']:.1f} s = {options.n / r['repeat']:,.0f}/s",
            f"{options.items:,} in {r['items']:.1f} s = {options.items / r['items']:,.0f}/s",
            f"{alone:,.0f}/s (bulk {bulk_rate / alone:.0f}×)",
            f"{together:,.0f}/s (bulk {bulk_rate / together:.0f}×)",
        )
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
