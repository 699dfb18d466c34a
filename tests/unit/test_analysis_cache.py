"""The analysis cache: a page, its PDF and CSVs share one analysis, never a stale one."""

import asyncio

import pytest

from reports.analysis_cache import AnalysisCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _counting():
    calls = []

    async def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_same_key_and_fingerprint_compute_once():
    cache, (calls, compute) = AnalysisCache(), _counting()
    values = [asyncio.run(cache.get("2026", (10, "t1"), compute)) for _ in range(3)]
    assert values == [1, 1, 1] and len(calls) == 1 and (cache.hits, cache.misses) == (2, 1)


def test_a_changed_fingerprint_recomputes():
    """A newly published audit changes the fingerprint: the next read sees it."""
    cache, (_calls, compute) = AnalysisCache(), _counting()
    asyncio.run(cache.get("2026", (10, "t1"), compute))
    assert asyncio.run(cache.get("2026", (11, "t2"), compute)) == 2


def test_entries_older_than_max_age_recompute():
    clock = Clock()
    cache, (_calls, compute) = AnalysisCache(max_age=60, clock=clock), _counting()
    asyncio.run(cache.get("2026", (10, "t1"), compute))
    clock.now = 59.9
    assert asyncio.run(cache.get("2026", (10, "t1"), compute)) == 1
    clock.now = 60.0
    assert asyncio.run(cache.get("2026", (10, "t1"), compute)) == 2


def test_least_recently_used_entry_goes_first():
    cache, (calls, compute) = AnalysisCache(size=2), _counting()
    for key in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" arrives
        asyncio.run(cache.get(key, 0, compute))
    assert len(calls) == 3
    asyncio.run(cache.get("a", 0, compute))
    assert len(calls) == 3
    asyncio.run(cache.get("b", 0, compute))
    assert len(calls) == 4


def test_readers_asking_at_once_share_one_computation():
    cache, calls = AnalysisCache(), []

    async def slow():
        calls.append(1)
        await asyncio.sleep(0.05)  # the fit is still running when the PDF request arrives
        return "analysis"

    async def page_and_pdf():
        return await asyncio.gather(*(cache.get("2026", (10, "t1"), slow) for _ in range(3)))

    assert asyncio.run(page_and_pdf()) == ["analysis"] * 3
    assert len(calls) == 1 and (cache.hits, cache.misses) == (2, 1)


def test_a_failed_computation_is_not_kept_and_the_next_reader_retries():
    cache, attempts = AnalysisCache(), []

    async def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database went away")
        return "analysis"

    with pytest.raises(RuntimeError):
        asyncio.run(cache.get("2026", (10, "t1"), flaky))
    assert asyncio.run(cache.get("2026", (10, "t1"), flaky)) == "analysis"
    assert len(attempts) == 2
