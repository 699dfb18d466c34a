"""Head office's coverage page (planned and done visits per branch × shift × weekday) at a
national chain's size, through the app (SQLite).

    python bench/coverage_page.py [--branches 5000] [--db PATH]

Builds once (kept at ``--db``, reused while its size matches) an organisation of N branches in
80 regions with three shifts (as ``bench/headoffice_pages.py`` does, with a handful of audits
for its checklist) and this month's visits: none at one branch in ten, else two to four, some
done; then, on a copy of it, the app with a test client logged in as head office reads the
coverage page, the page again, its page 2, one region's page and the CSV of every cell, and
prints seconds, bytes and the table rows on each page. The same script run against another
checkout compares the two (the newer URLs answer 200 there too: the page ignores what it does
not know):

    PYTHONPATH=/path/to/main python bench/coverage_page.py
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE.parent)]
sys.path.append(str(HERE))  # headoffice_pages, for its chain

from headoffice_pages import PASSWORD, build  # noqa: E402


async def add_visits(seed: int = 9) -> int:
    """This month's visits: none at every tenth branch, two to four elsewhere, a third done."""
    from audits.tables import Branch, ChecklistTemplate, Shift, Visit

    rng = random.Random(seed)
    checklist = (await ChecklistTemplate.select(ChecklistTemplate.id).first())["id"]
    shifts = [r["id"] for r in await Shift.select(Shift.id)]
    branches = [r["id"] for r in await Branch.select(Branch.id).order_by(Branch.code)]
    first = dt.date.today().replace(day=1)
    rows = []
    for index, branch in enumerate(branches):
        if index % 10 == 9:
            continue
        for _ in range(rng.randint(2, 4)):
            day = first + dt.timedelta(days=rng.randrange(28))
            status = "done" if rng.random() < 1 / 3 else "planned"
            rows.append(Visit(branch=branch, checklist=checklist, window_start=day,
                              window_end=day, shift=rng.choice(shifts), status=status))  # fmt: skip
    for start in range(0, len(rows), 1000):
        await Visit.insert(*rows[start : start + 1000])
    return len(rows)


def timed(label: str, fn) -> str:
    started = time.perf_counter()
    response = fn()
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (label, response.status_code, response.text[:300])
    rows = response.text.count("<tr") - response.text.count("<thead")
    shown = f"{rows:6d} table rows" if "html" in response.headers["content-type"] else ""
    print(f"{label:<20} {seconds:7.2f} s {len(response.content) / 1e6:7.2f} MB {shown}", flush=True)
    return response.text


def measure(url: str) -> None:
    from litestar.testing import TestClient

    from web.app import create_app
    from web.settings import Settings

    settings = Settings(database_url=url, secret_key="bench", db_pool=True, login_rate=1000)
    with TestClient(create_app(settings), timeout=3600) as client:
        client.get("/login")
        token = client.cookies["csrftoken"]
        client.post("/login", data={"username": "ada", "password": PASSWORD,
                                     "_csrf_token": token}, follow_redirects=False)  # fmt: skip
        timed("page", lambda: client.get("/visits/coverage"))
        timed("page again", lambda: client.get("/visits/coverage"))
        timed("page 2", lambda: client.get("/visits/coverage?page=2"))
        timed("region R07", lambda: client.get("/visits/coverage?region=R07"))
        found = client.get("/visits/coverage.csv")
        if found.status_code == 200:
            csv = timed("CSV", lambda: client.get("/visits/coverage.csv"))
            print(f"  {csv.count(chr(10))} lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=5000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "evenly-cover")
    args = parser.parse_args()
    pristine = args.db.with_name(f"{args.db.name}-{args.branches}.db")
    if not pristine.exists():
        os.environ["DATABASE_URL"] = f"sqlite:///{pristine}"
        started = time.perf_counter()

        async def made() -> int:
            await build(args.branches, audits=200)
            return await add_visits()

        visits = asyncio.run(made())
        print(f"built {pristine} ({visits} visits) in {time.perf_counter() - started:.1f} s")
        subprocess.run([sys.executable, *sys.argv], check=True)
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "evenly.db"
        shutil.copy(pristine, copy)
        os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
        import web

        code = Path(web.__file__).resolve().parents[1]
        print(f"{args.branches} branches; code from {code}", flush=True)
        measure(os.environ["DATABASE_URL"])


if __name__ == "__main__":
    main()
