"""``evenly worker`` makes PDFs beside the app processes: it runs below them on the CPU, so a
page read meanwhile is not kept waiting behind a layout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .job_fixtures import ROOT


def _niceness_of_worker(db: str, **settings: str) -> int:
    """The niceness a fresh ``evenly worker`` settles at, read from outside."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "worker"],
        env={**os.environ, "DATABASE_URL": db, "PYTHONPATH": str(ROOT), **settings},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Its startup line is printed once the priority is set: read the niceness then.
        line = worker.stderr.readline() if worker.stderr else ""
        assert "Job worker on" in line, line
        return os.getpriority(os.PRIO_PROCESS, worker.pid) - os.getpriority(os.PRIO_PROCESS, 0)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.skipif(os.getpriority(os.PRIO_PROCESS, 0) > 9, reason="already at the lowest")
def test_a_worker_runs_ten_steps_below_the_app_unless_told_otherwise(db):
    assert _niceness_of_worker(db) == 10
    assert _niceness_of_worker(db, EVENLY_WORKER_NICE="3") == 3
    assert _niceness_of_worker(db, EVENLY_WORKER_NICE="0") == 0
