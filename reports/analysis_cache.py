"""The last few analyses a process made, so a reader's page, its PDF and its CSVs share one.

A head-office page runs a mixed-model fit over every published audit in its period; the PDF
and each table's CSV, one click later, would run it again. Entries are keyed by what the
analysis reads (the filters, whether staff show as codes) and kept only while the audits'
fingerprint (how many there are, the latest change to any) is unchanged, so a newly published
or returned audit is in the very next read, in every process. What the fingerprint cannot
see (a branch renamed, a shift edited) is picked up once an entry is ``max_age`` seconds old.
Pure: the caller supplies the fingerprint and the computation.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

SIZE = 8
MAX_AGE = 60.0


class AnalysisCache:
    def __init__(
        self,
        size: int = SIZE,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, Any]] = OrderedDict()
        self.size, self.max_age, self._clock = size, max_age, clock
        self.hits = self.misses = 0

    async def get(
        self, key: Hashable, fingerprint: Hashable, compute: Callable[[], Awaitable[Any]]
    ) -> Any:
        """The cached value for ``key`` if it was computed on the same ``fingerprint`` less
        than ``max_age`` ago; otherwise ``await compute()``, kept for next time."""
        entry = self._entries.get(key)
        now = self._clock()
        if entry is not None and entry[0] == fingerprint and now - entry[1] < self.max_age:
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[2]
        self.misses += 1
        value = await compute()
        self._entries[key] = (fingerprint, now, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        self._entries.clear()
