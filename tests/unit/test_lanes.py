"""The two lanes of ``make test`` together run the whole suite: the database tests in both (one
on SQLite, one on PostgreSQL), every other test in exactly one (tests/lanes.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import lanes

ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str, lane: str = "") -> subprocess.Popen[str]:
    """pytest collecting the whole tree, as a lane of ``make test`` would (no lane: as asked)."""
    env = {**os.environ, lanes.VARIABLE: lane, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    return subprocess.Popen([*command, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen[str]) -> set[str]:
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0, out[-2000:]
    return {line for line in out.splitlines() if "::" in line}


@pytest.mark.slow
def test_the_two_lanes_run_the_database_tests_twice_and_every_other_test_once():
    # Four collections of the whole tree (~15 s each), at once.
    runs = {
        "all": _start(),
        "db": _start("-m", "db"),
        "sqlite": _start(lane="sqlite"),
        "postgres": _start(lane="postgres"),
    }
    everything, database, sqlite, postgres = (_finish(run) for run in runs.values())
    assert len(everything) > 2000 and len(database) > 1000
    assert sqlite | postgres == everything
    assert sqlite & postgres == database
    # Each lane has a share of the engine-independent tests, as tests/lanes.py says.
    for lane, ids in (("sqlite", sqlite), ("postgres", postgres)):
        others = ids - database
        assert others
        assert all(lanes.lanes_of(test, needs_database=False) == (lane,) for test in others)


def test_a_test_s_lanes_follow_its_file_and_whether_it_needs_a_database():
    early = "tests/unit/test_architecture.py::test_one"
    late = "tests/unit/test_scoring.py::test_one"
    web = "tests/web/test_security_headers.py::test_one[x]"
    for test in (early, late, web):
        assert lanes.lanes_of(test, needs_database=True) == ("sqlite", "postgres")
    assert lanes.lanes_of(early, needs_database=False) == ("postgres",)
    assert lanes.lanes_of(late, needs_database=False) == ("sqlite",)
    assert lanes.lanes_of(web, needs_database=False) == ("sqlite",)


def test_an_unknown_lane_is_refused_before_any_test_runs():
    with pytest.raises(pytest.UsageError, match="TEST_LANE='mysql'"):
        lanes.split([], "mysql")
