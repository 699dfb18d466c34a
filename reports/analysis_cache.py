"""The last few analyses a process made, so a reader's page, its PDF and its CSVs share one.

A head-office page runs a mixed-model fit over every published audit in its period; the PDF
and each table's CSV, one click later, would run it again. Entries are keyed by what the
analysis reads (the filters, whether staff show as codes) and kept only while the audits'
fingerprint (how many there are, the latest change to any) is unchanged, so a newly published
or returned audit is in the very next read, in every process. What the fingerprint cannot
see (a branch renamed, a shift edited) is picked up once an entry is ``max_age`` seconds old.
Readers asking for the same analysis at once (a page and its PDF) wait for one computation.
Pure: the caller supplies the fingerprint and the computation.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

SIZE = 8
MAX_AGE = 60.0
_MISSING = object()


class AnalysisCache:
    def __init__(
        self,
        size: int = SIZE,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, Any]] = OrderedDict()
        self._computing: dict[Hashable, asyncio.Lock] = {}
        self.size, self.max_age, self._clock = size, max_age, clock
        self.hits = self.misses = 0

    async def get(
        self, key: Hashable, fingerprint: Hashable, compute: Callable[[], Awaitable[Any]]
    ) -> Any:
        """The cached value for ``key`` if it was computed on the same ``fingerprint`` less
        than ``max_age`` ago; otherwise ``await compute()``, kept for next time."""
        value = self._fresh(key, fingerprint)
        if value is not _MISSING:
            self.hits += 1
            return value
        lock = self._computing.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                value = self._fresh(key, fingerprint)  # made while this reader waited
                if value is not _MISSING:
                    self.hits += 1
                    return value
                self.misses += 1
                started = self._clock()
                value = await compute()
                self._entries[key] = (fingerprint, started, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
                return value
        finally:
            if not lock.locked():  # nobody else waiting: the lock is not kept
                self._computing.pop(key, None)

    def _fresh(self, key: Hashable, fingerprint: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None or entry[0] != fingerprint or self._clock() - entry[1] >= self.max_age:
            return _MISSING
        self._entries.move_to_end(key)
        return entry[2]

    def has(self, key: Hashable, fingerprint: Hashable) -> bool:
        """Whether ``get`` would answer at once (a fresh value), without computing."""
        return self._fresh(key, fingerprint) is not _MISSING

    def clear(self) -> None:
        self._entries.clear()
