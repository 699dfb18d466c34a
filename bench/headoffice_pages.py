"""Head office's page, CSV and PDF at thousands of branches, through the app (SQLite).

    python bench/headoffice_pages.py [--branches 5000] [--audits 60000] [--db PATH] [--save PDF]

Builds once (kept at ``--db``, reused while its size matches) an organisation of N branches in
80 regions with three shifts and a year of score-only audits, imported as ``evenly org import``
and ``evenly import audits`` do; then, on a copy of it (no kept analysis or PDF carried over),
the app with a test client logged in as head office reads: the page (its analysis included: past
the size fitted in the request, the page follows the job fitting it, and prints its bar),
the page twice again (the analysis kept), the league's page 2, the league CSV, the CSV of each table
the page leaves to its CSV (with a digest of its bytes) and the PDF (its job,
the charts and the layout), and prints seconds, bytes, the PDF's pages and the league rows on
the page. The same script run against another checkout compares the two:

    PYTHONPATH=/path/to/main python bench/headoffice_pages.py
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The checkout whose code runs is PYTHONPATH's (or this one's): not bench/, whose reports.py
# would stand in for the package.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE.parent)]
REGIONS = 80
PASSWORD = "correct-horse"


def branches_file(n: int) -> str:
    rows = [f"B{i:04d},Branch {i},R{i % REGIONS:02d},Europe/Athens" for i in range(n)]
    return "code,name,region,timezone\n" + "\n".join(rows) + "\n"


def scores_file(branches: int, audits: int, seed: int = 5) -> str:
    """Audits spread over the branches and a year; levels planted per branch, 60 shoppers."""
    rng = random.Random(seed)
    level = [rng.gauss(80, 6) for _ in range(branches)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["audit_ref", "visited_at", "branch", "staff", "auditor", "score"])
    for k in range(audits):
        b = k % branches
        day, hour = rng.randrange(365), rng.choice((9, 14, 19))
        when = (
            f"2025-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T{hour:02d}:{rng.randrange(60):02d}"
        )
        score = min(100.0, max(0.0, round(rng.gauss(level[b], 9), 1)))
        writer.writerow([f"b-{k}", when, f"B{b:04d}", f"B{b:04d}-S{rng.randrange(3)}",
                         f"shopper{rng.randrange(60):02d}", score])  # fmt: skip
    return out.getvalue()


async def build(branches: int, audits: int) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from audits.fieldwork.imports import import_audits
    from audits.org.org_import import import_csv
    from audits.org.organisation import add_shift
    from audits.org.users import create_user
    from audits.tables import Role

    await run_forwards(app_name="all")
    for name, start, end in (("morning", "07:00", "12:00"), ("afternoon", "12:00", "17:00"),
                             ("evening", "17:00", "22:00")):  # fmt: skip
        await add_shift(name, start, end)
    await import_csv("branches", branches_file(branches))
    await import_audits(scores_file(branches, audits), create_missing=True)
    await create_user("ada", PASSWORD, Role.office)


def timed(label: str, fn, results: dict):
    started = time.perf_counter()
    response = fn()
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (label, response.status_code, response.text[:300])
    results[label] = (seconds, len(response.content))
    print(f"{label:<28} {seconds:7.2f} s   {len(response.content) / 1e6:7.2f} MB", flush=True)
    return response


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


def analysed_page(client):
    """The page once its analysis is made: a large period's page follows the job fitting it
    (as the reader's page does) and is read again when it is done; the bar's values seen on
    the way are printed."""
    page = client.get("/reports/headoffice")
    found = re.search(r'data-job-status="([^"]+)"', page.text)
    if found is None:
        return page
    seen: list[float] = []
    while (status := client.get(found[1]).json())["state"] not in ("done", "failed"):
        if not seen or status["progress"] != seen[-1]:
            seen.append(status["progress"])
        time.sleep(0.1)
    assert status["state"] == "done", status
    print("analysis job's bar:", " ".join(f"{p:.2f}" for p in seen), flush=True)
    return client.get("/reports/headoffice")


def measure(url: str, save: Path | None) -> None:
    from litestar.testing import TestClient

    from reports.analysis_cache import AnalysisCache
    from web.app import create_app
    from web.settings import Settings

    # the pool as the app runs (WAL): its worker fits the analysis while the pages read
    settings = Settings(database_url=url, secret_key="bench", db_pool=True, login_rate=1000)
    app = create_app(settings)
    app.state.analyses = AnalysisCache()
    with TestClient(app, timeout=3600) as client:
        client.get("/login")
        token = client.cookies["csrftoken"]
        client.post("/login", data={"username": "ada", "password": PASSWORD,
                                     "_csrf_token": token}, follow_redirects=False)  # fmt: skip
        results: dict = {}
        timed("page, analysis included", lambda: analysed_page(client), results)
        page = timed("page", lambda: client.get("/reports/headoffice"), results)
        timed("page again", lambda: client.get("/reports/headoffice"), results)
        timed("league page 2", lambda: client.get("/reports/headoffice?page=2"), results)
        timed("league CSV", lambda: client.get("/reports/headoffice/csv/league"), results)
        for key in re.findall(r'<p class="download" id="table-([a-z_]+)"', page.text):
            made = timed(
                f"{key} CSV", lambda key=key: client.get(f"/reports/headoffice/csv/{key}"), results
            )
            lines = made.text.count("\n")
            print(f"  {lines} lines, sha256 {hashlib.sha256(made.content).hexdigest()[:16]}")
        pdf = timed("PDF", lambda: client.get("/reports/headoffice/pdf"), results)
        if save is not None:
            save.write_bytes(pdf.content)
        rows = page.text.count("<tr") - page.text.count("<thead")
        print(f"PDF pages {pdf_pages(pdf.content)}   table rows on the page {rows}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=5000)
    parser.add_argument("--audits", type=int, default=60_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "evenly-ho")
    parser.add_argument("--save", type=Path, help="write the PDF here, to look at")
    args = parser.parse_args()
    pristine = args.db.with_name(f"{args.db.name}-{args.branches}-{args.audits}.db")
    if not pristine.exists():
        os.environ["DATABASE_URL"] = f"sqlite:///{pristine}"
        started = time.perf_counter()
        asyncio.run(build(args.branches, args.audits))
        print(f"built {pristine} in {time.perf_counter() - started:.1f} s", flush=True)
        # a fresh process reads the copy: Piccolo's engine is bound to this file now
        subprocess.run([sys.executable, *sys.argv], check=True)
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "evenly.db"
        shutil.copy(pristine, copy)
        os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
        import reports

        code = Path(reports.__file__).resolve().parents[1]
        print(f"{args.branches} branches, {args.audits} audits; code from {code}", flush=True)
        measure(os.environ["DATABASE_URL"], args.save)


if __name__ == "__main__":
    main()
