"""Branch PDFs from the command line: every branch in one process (``evenly report branch --all``)
against one ``evenly report branch CODE`` process per PDF, per PDF and as a ratio in one run;
then where a cold single PDF's seconds go.

    python bench/batch_pdfs.py [--single 3] [--database sqlite:///...]

Without ``--database`` it loads the demo organisation (24 branches, about 7,400 audits) into a
fresh SQLite file first. The batch runs first, so its one analysis is kept in the database and
the single runs read it (as they would after any page or batch): the ratio does not count the
fit against the single runs. The phases of a cold PDF come from a fresh process doing what the
command does (chromium and WeasyPrint started in the background first), timed step by step.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENLY = [sys.executable, "-m", "web.cli"]

PHASES = """
import time; t0 = time.perf_counter()
import asyncio, json, threading
from web.cli_reports import HEAD_OFFICE, _start_early
from reports.charts import shared_renderer
from reports.pdf import Timings, report_pdf
from reports.report_data import Filters
from reports.services.branch import build_branch
from web.i18n import gettext_for
t1 = time.perf_counter(); _start_early(); _ = gettext_for("en")
report = asyncio.run(build_branch(CODE, Filters(), HEAD_OFFICE, lang="en", _=_))
t2 = time.perf_counter(); renderer = shared_renderer(); t3 = time.perf_counter()
timings = Timings(); report_pdf(report, translate=_, renderer=renderer, timings=timings)
print(json.dumps({"imports": t1 - t0, "read and build": t2 - t1,
  "waiting for chromium": t3 - t2, "charts": timings.charts, "layout": timings.layout}))
"""


def evenly(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([*EVENLY, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def demo_database(folder: Path, env: dict[str, str]) -> None:
    print("Loading the demo organisation ...", flush=True)
    evenly("migrate", env=env)
    evenly("demo", env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=3, help="single-PDF processes to time")
    parser.add_argument("--database", default=None, help="DATABASE_URL (default: a fresh demo)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="evenly-batch-"))
    url = args.database or f"sqlite:///{folder}/demo.db"
    env = {**os.environ, "DATABASE_URL": url}
    if args.database is None:
        demo_database(folder, env)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    batch = evenly("report", "branch", "--all", "-o", str(folder / "all"), env=env)
    pdfs = sorted((folder / "all").glob("branch-*.pdf"))
    per_batch = batch / len(pdfs)
    codes = [p.stem.removeprefix("branch-") for p in pdfs][: args.single]
    singles = [
        evenly("report", "branch", c, "-o", str(folder / f"{c}.pdf"), env=env) for c in codes
    ]
    per_single = sum(singles) / len(singles)
    print(f"batch: {len(pdfs)} PDFs in {batch:.1f} s, {per_batch:.2f} s each", flush=True)
    print(
        f"one process per PDF: {', '.join(f'{s:.1f}' for s in singles)} s, {per_single:.2f} each",
        flush=True,
    )
    print(f"ratio one-at-a-time / batch, per PDF: {per_single / per_batch:.1f} x", flush=True)
    script = PHASES.replace("CODE", repr(codes[0]))
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    phases = json.loads(out.stdout.decode().strip().splitlines()[-1])
    print(
        "a cold single PDF, by phase (s): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items())
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
