"""A serving app process hides what it holds at start (its modules, WeasyPrint's after the
warm-up) from the cyclic collector, so that a full collection, which scanned all of it in
115-160 ms every few seconds under load, scans only what requests made."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .job_fixtures import ROOT

_SERVE = """
import gc, json, threading
from litestar.testing import TestClient
from web.app import create_app
from web.settings import Settings

with TestClient(create_app(Settings.from_env())) as client:
    assert client.get("/health").status_code == 200
    for thread in threading.enumerate():
        if thread.name == "weasyprint-warm-up":
            thread.join(timeout=120)
    print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}))
"""


def _objects_of_a_started_app(db: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", _SERVE],
        env={**os.environ, "DATABASE_URL": db, "PYTHONPATH": str(ROOT), "EVENLY_DB_POOL": "0"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_started_app_leaves_its_modules_and_weasyprint_out_of_full_collections(db):
    counts = _objects_of_a_started_app(db)
    assert counts["frozen"] > 100_000  # the modules of the analysis, the charts, the layout
    assert counts["tracked"] < counts["frozen"] / 2  # what a full collection still scans
