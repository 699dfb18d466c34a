"""Analyses kept in the database, so every process and every reader reuses one fit.

A finished analysis is stored (msgspec's MessagePack of the ``AnalysisResult``) under a digest
of its inputs: the frame (every value of the audits the fit reads, ``frame_digest``), the
parameters (``standard``) and the analysis code itself (the source of the ``reports`` modules,
so an upgraded analysis never reads an older one's result). A newly published, returned or
imported audit, or a relabelled branch, is a different frame and so a different key: nothing
is ever invalidated by hand, and old rows are pruned by ``audits.db.kept_results``.

Two processes missing the same key at once both fit (the in-process ``AnalysisCache`` in front
of this makes one fit per process); each keeps the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import anyio.to_thread
import msgspec

from audits.db.kept_results import keep, read_kept

from .frame import Frame, frame_digest
from .results import AnalysisResult

KIND = "analysis"
STANDARD = 80.0
"""The score a visit meets the standard at, unless a caller says otherwise."""
on_fit: list[Callable[[str], None]] = []
"""Called with the key of every analysis this process fits (benchmarks and tests count them)."""


@cache
def analysis_code() -> str:
    """A digest of the source of every module of ``reports/`` (read once per process)."""
    sha = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def analysis_key(frame: Frame, *, standard: float) -> str:
    parts = [KIND, analysis_code(), repr(float(standard)), frame_digest(frame)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def encode(result: AnalysisResult) -> bytes:
    return msgspec.msgpack.encode(result)


def decode(data: bytes) -> AnalysisResult | None:
    """The result, or None for bytes that are not one (a row a failed write left, say)."""
    try:
        return msgspec.msgpack.decode(data, type=AnalysisResult)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


async def is_kept(frame: Frame, *, standard: float = STANDARD) -> bool:
    """Whether some process has fitted and kept the analysis of ``frame``."""
    data = await read_kept(analysis_key(frame, standard=standard), now=dt.datetime.now(dt.UTC))
    return data is not None and decode(data) is not None


async def kept_analysis(
    frame: Frame, *, standard: float = STANDARD, share: Callable[[float], None] | None = None
) -> AnalysisResult:
    """The analysis of ``frame``: the kept one if any process made it, else fitted now (in a
    worker thread: CPU seconds) and kept; ``share`` follows a fit (``analyse``'s, called
    from that thread)."""
    key = analysis_key(frame, standard=standard)
    now = dt.datetime.now(dt.UTC)
    data = await read_kept(key, now=now)
    result = None if data is None else decode(data)
    if result is not None:
        return result
    from .analysis import analyse  # SciPy and the fit: only when no process kept one

    result = await anyio.to_thread.run_sync(lambda: analyse(frame, standard=standard, share=share))
    for hook in on_fit:
        hook(key)
    await keep(key, KIND, encode(result), now=now)
    return result
