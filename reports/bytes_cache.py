"""A process's memory of work it need not do twice: exported chart images and laid-out PDFs,
each by a digest of everything that went into it (so a hit is the same bytes by
construction). Thread-safe: PDFs are made in worker threads. Pure."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import msgspec


def digest(*parts: object) -> str:
    """SHA-256 of the parts as JSON (figure dicts, options, HTML strings)."""
    return hashlib.sha256(msgspec.json.encode(list(parts))).hexdigest()


class BytesCache:
    """Bytes by digest, the least recently used dropped past ``limit`` bytes in all."""

    def __init__(self, limit: int) -> None:
        self._images: OrderedDict[str, bytes] = OrderedDict()
        self._size, self.limit = 0, limit
        self._lock = threading.Lock()

    def get(self, digest: str) -> bytes | None:
        with self._lock:
            data = self._images.get(digest)
            if data is not None:
                self._images.move_to_end(digest)
            return data

    def put(self, digest: str, data: bytes) -> None:
        with self._lock:
            if digest in self._images or len(data) > self.limit:
                return
            self._images[digest] = data
            self._size += len(data)
            while self._size > self.limit:
                self._size -= len(self._images.popitem(last=False)[1])

    def clear(self) -> None:
        with self._lock:
            self._images.clear()
            self._size = 0
