"""The two lanes of ``make test``: which tests each runs.

``make test`` runs the suite as two pytest processes side by side, one on SQLite and one on
PostgreSQL, each told its lane by ``TEST_LANE`` (``sqlite`` or ``postgres``). The database
tests (marked ``db``) run in both lanes: that is the point of two engines. Every other test
needs no database, so it runs once, in the lane its file is given here: the files whose path
sorts within ``POSTGRES_LANE_FILES`` in the PostgreSQL lane, the rest in the SQLite lane. The
range is chosen so that the two lanes end close together (about half of tests/unit's time goes
each way; figures in docs/development.md). Without
``TEST_LANE`` pytest runs whatever it was asked to, as always.

``tests/unit/test_lanes.py`` checks that the two lanes together run every collected test: the
database tests in both, each other test in exactly one.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

VARIABLE = "TEST_LANE"
LANES = ("sqlite", "postgres")
POSTGRES_LANE_FILES = ("tests/unit/", "tests/unit/test_m")
"""From (inclusive) and to (exclusive), the paths from the repository root of the files whose
engine-independent tests run in the PostgreSQL lane: tests/unit's test_a… to test_l…."""


def lanes_of(nodeid: str, needs_database: bool) -> tuple[str, ...]:
    """The lanes that run this test."""
    if needs_database:
        return LANES
    path = nodeid.split("::", 1)[0]
    first, after = POSTGRES_LANE_FILES
    return ("postgres",) if first <= path < after else ("sqlite",)


def split(items: Sequence[pytest.Item], lane: str) -> tuple[list[pytest.Item], list[pytest.Item]]:
    """The items this lane runs, and the ones it leaves to the other lane."""
    if lane not in LANES:
        raise pytest.UsageError(f"{VARIABLE}={lane!r}: expected one of {', '.join(LANES)}")
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        needs_database = item.get_closest_marker("db") is not None
        (kept if lane in lanes_of(item.nodeid, needs_database) else left).append(item)
    return kept, left
