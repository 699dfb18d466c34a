"""Kept results (``audits.db.kept_results``): read back by key, kept once, old rows pruned; on
both databases."""

import datetime as dt

from audits.db import kept_results
from audits.db.kept_results import UNUSED_FOR, count_kept, keep, read_kept

from ..conftest import run

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)


def test_a_kept_result_reads_back_by_its_key_and_is_kept_once(db):
    run(keep("k1", "analysis", b"first", now=NOW))
    run(keep("k1", "analysis", b"second", now=NOW))
    assert run(read_kept("k1", now=NOW)) == b"first"
    assert run(read_kept("k2", now=NOW)) is None
    assert run(count_kept("analysis")) == 1


def test_results_unused_for_a_month_are_pruned_and_used_ones_stay(db):
    run(keep("old", "analysis", b"old", now=NOW - UNUSED_FOR - dt.timedelta(days=2)))
    run(keep("read", "analysis", b"read", now=NOW - UNUSED_FOR - dt.timedelta(days=2)))
    assert run(read_kept("read", now=NOW - dt.timedelta(days=1))) == b"read"  # used since
    run(keep("new", "analysis", b"new", now=NOW))
    assert run(read_kept("old", now=NOW)) is None
    assert run(read_kept("read", now=NOW)) == b"read"


def test_only_the_newest_results_of_a_kind_are_kept(db, monkeypatch):
    monkeypatch.setattr(kept_results, "NEWEST", 3)
    for n in range(5):
        run(keep(f"k{n}", "analysis", b"x", now=NOW + dt.timedelta(minutes=n)))
    run(keep("other", "pdf", b"y", now=NOW))
    assert run(count_kept("analysis")) == 3
    assert run(read_kept("k0", now=NOW)) is None
    assert run(read_kept("k4", now=NOW)) == b"x"
    assert run(count_kept("pdf")) == 1
