"""Branch PDFs from the command line: every branch in one process (``evenly report branch --all``)
against one ``evenly report branch CODE`` process per PDF, per PDF and as a ratio in one run;
then where a cold single PDF's seconds go. With ``--cold N``, only the cold single PDF: N fresh
processes for one branch (the first with nothing kept in the database, the second with the
analysis kept, the third with the analysis and the charts, the others with the PDF too), then
the same PDF in a warm app, and this checkout's phases with the analysis kept and no chart;
``--before REF`` times git REF's command in turn with each of them, on the same database, and
every PDF must read the same.

    python bench/batch_pdfs.py [--single 3] [--database sqlite:///...]
    python bench/batch_pdfs.py --cold 4 [--code B10] [--before main] [--database sqlite:///...]

Without ``--database`` it loads the demo organisation (24 branches, about 7,400 audits) into a
fresh SQLite file first. The batch runs first, so its one analysis is kept in the database and
the single runs read it (as they would after any page or batch): the ratio does not count the
fit against the single runs. The phases of a cold PDF come from a fresh process doing what the
command does (WeasyPrint started in the background first, chromium only for a chart no process
kept), timed step by step. Wall seconds depend on the machine's load (printed); CPU seconds
(the command's and its chromium's) less so. Each checkout's bytecode is compiled first and
kept (as an installed Evenly's is, whatever ``PYTHONDONTWRITEBYTECODE`` says).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENLY = [sys.executable, "-m", "web.cli"]

PHASES = """
import time; t0 = time.perf_counter()
import asyncio, datetime as dt, json
from web.cli_reports import HEAD_OFFICE, _start_early
from reports.charts import shared_renderer
from reports.kept_charts import keep_charts, kept_charts
from reports.pdf import Timings, report_pdf
from reports.report_data import Filters
from reports.services.branch import build_branch
from web.i18n import gettext_for
t1 = time.perf_counter(); _start_early(); _ = gettext_for("en")
now = dt.datetime.now(dt.UTC)
report = asyncio.run(build_branch(CODE, Filters(), HEAD_OFFICE, lang="en", _=_))
t2 = time.perf_counter(); known = asyncio.run(kept_charts(report, now=now))
t3 = time.perf_counter(); timings, drawn, start = Timings(), {}, []
def renderer():
    s = time.perf_counter(); r = shared_renderer(); start.append(time.perf_counter() - s); return r
report_pdf(report, translate=_, renderer=renderer, timings=timings, known_images=known,
  drawn_images=drawn)
asyncio.run(keep_charts(drawn, now=now))
print(json.dumps({"imports": t1 - t0, "read and build": t2 - t1, "kept charts read": t3 - t2,
  "chromium start (if a chart is missing)": sum(start), "charts": timings.charts - sum(start),
  "layout": timings.layout}))
"""

FORGET = """
import asyncio
from audits.tables import KeptResult
asyncio.run(KeptResult.delete().where(KeptResult.kind.is_in(KINDS)).run())
"""

WARM = """
import asyncio, json, time
from reports.analysis_cache import AnalysisCache
from reports.charts import clear_image_cache, shared_renderer
from reports.pdf import clear_pdf_cache, report_pdf, warm_up
from reports.report_data import Filters
from reports.services.branch import build_branch
from web.cli_reports import HEAD_OFFICE
from web.i18n import gettext_for
_, cache = gettext_for("en"), AnalysisCache()
warm_up()

async def pdf():
    report = await build_branch(CODE, Filters(), HEAD_OFFICE, lang="en", _=_, analyses=cache)
    return report_pdf(report, translate=_, renderer=shared_renderer())

asyncio.run(pdf())  # the app after its first PDF: browser, fonts, the period's analysis
clear_image_cache(); clear_pdf_cache()  # a reader's first download of this PDF: drawn anew
started = time.perf_counter(); asyncio.run(pdf())
print(json.dumps({"warm": time.perf_counter() - started}))
"""


STATES = [  # what each cold run forgets first, and what it finds kept
    (["analysis", "chart", "laid_out"], "nothing kept"),
    (["chart", "laid_out"], "analysis kept, no chart"),
    (["laid_out"], "analysis and charts kept, no PDF"),
]
ALL_KEPT = ([], "analysis, charts and PDF kept")


class Tree:
    """A checkout whose ``evenly`` is timed: this one, or ``--before REF`` exported from git
    into a temporary folder (its bytecode compiled first, as an installed Evenly's is)."""

    def __init__(self, name: str, root: Path, env: dict[str, str]) -> None:
        self.name, self.root = name, root
        self.env = {**env, "PYTHONPATH": str(root)}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps bytecode
        packages = ["web", "reports", "audits", "checklists", "piccolo_conf.py"]
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", *packages],
            cwd=root,
            env=self.env,
            check=True,
            capture_output=True,
        )

    @classmethod
    def exported(cls, ref: str, folder: Path, env: dict[str, str]) -> Tree:
        root = folder / "before"
        root.mkdir()
        archive = subprocess.run(
            ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        for catalog in (ROOT / "web" / "locales").glob("*/LC_MESSAGES/*.mo"):  # not in git
            target = root / catalog.relative_to(ROOT)
            target.write_bytes(catalog.read_bytes())
        return cls(f"before ({ref})", root, env)

    def timed(self, *args: str) -> tuple[float, float]:
        """Wall and CPU seconds (user + system, the process and its chromium) of a command."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = evenly(*args, env=self.env, cwd=self.root)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return wall, cpu

    def forget(self, kinds: list[str]) -> None:
        if kinds:
            script = FORGET.replace("KINDS", repr(kinds))
            subprocess.run([sys.executable, "-c", script], cwd=self.root, env=self.env, check=True)


def python(script: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1] or "{}")


def cold(code: str, runs: int, folder: Path, trees: list[Tree]) -> None:
    """``evenly report branch CODE`` as fresh processes, each tree in turn in each state: with
    nothing kept, the analysis kept and no chart (as after the app showed the period), the
    analysis and charts kept, then everything any process kept before; then a warm app's PDF.
    The PDFs of every tree and state must read the same (pdftotext)."""
    print(f"load average before: {_load()}", flush=True)
    states = [*STATES[: max(runs - 1, 1)], *[ALL_KEPT] * max(runs - len(STATES), 1)]
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    texts: dict[str, str] = {}
    for forget, what in states:
        for tree in trees:
            tree.forget(forget)
            pdf = folder / f"{code}-{len(figures)}.pdf"
            wall, cpu = tree.timed("report", "branch", code, "-o", str(pdf))
            figures.setdefault((what, tree.name), []).append((wall, cpu))
            texts[f"{tree.name}, {what}"] = _text(pdf)
            print(
                f"{tree.name}: {what}: {wall:.2f} s, CPU {cpu:.2f} s (load {_load()})", flush=True
            )
    warm = python(WARM.replace("CODE", repr(code)), trees[-1].env)["warm"]
    print(f"warm app, the same PDF drawn and laid out anew: {warm:.2f} s", flush=True)
    trees[-1].forget(STATES[1][0])
    phases = python(PHASES.replace("CODE", repr(code)), trees[-1].env)
    print(f"{STATES[1][1]}, by phase (s): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print(f"load average after: {_load()}", flush=True)
    for (what, name), times in figures.items():
        walls = ", ".join(f"{w:.2f}" for w, _ in times)
        cpus = ", ".join(f"{c:.2f}" for _, c in times)
        print(f"  {name:>24} | {what:<34} | wall {walls} s | CPU {cpus} s")
    if None not in texts.values():
        same = len(set(texts.values())) == 1
        print(f"pdftotext: every PDF {'reads the same' if same else 'DIFFERS'}", flush=True)


def _text(pdf: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def evenly(*args: str, env: dict[str, str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run([*EVENLY, *args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def demo_database(folder: Path, env: dict[str, str]) -> None:
    print("Loading the demo organisation ...", flush=True)
    evenly("migrate", env=env)
    evenly("demo", env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=3, help="single-PDF processes to time")
    parser.add_argument(
        "--cold",
        type=int,
        default=0,
        help="only time N cold single PDFs (the first forgets "
        "the kept analyses and charts) and a warm app's",
    )
    parser.add_argument("--code", default="B10", help="the branch of --cold")
    parser.add_argument(
        "--before",
        default=None,
        metavar="REF",
        help="with --cold: time git REF's command too (e.g. main), in turn, on the same database",
    )
    parser.add_argument("--database", default=None, help="DATABASE_URL (default: a fresh demo)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="evenly-batch-"))
    url = args.database or f"sqlite:///{folder}/demo.db"
    env = {**os.environ, "DATABASE_URL": url}
    if args.database is None:
        demo_database(folder, env)
    if args.cold:
        trees = [Tree("this checkout", ROOT, env)]
        if args.before:
            trees.insert(0, Tree.exported(args.before, folder, env))
        cold(args.code, args.cold, folder, trees)
        return
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
    phases = python(PHASES.replace("CODE", repr(codes[0])), env)
    print(
        "a cold single PDF, by phase (s): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items())
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
