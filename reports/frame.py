"""The analysis input: one row per published audit, as numpy arrays (pure).

A :class:`Frame` is built from plain records (dicts), so the database loader
(``reports/report_data.py`` through ``reports/queries.py``) and the demo generator feed the
same analysis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

_EPOCH = np.datetime64("1970-01-01T00:00:00", "s")
SECONDS_PER_YEAR = 365.25 * 86400


@dataclass(frozen=True)
class Factor:
    """A categorical column: ``codes[i]`` indexes ``levels``; -1 means missing."""

    codes: np.ndarray
    levels: tuple[str, ...]

    @classmethod
    def of(cls, values: Sequence[str | None]) -> Factor:
        levels = tuple(sorted({v for v in values if v is not None}))
        index = {level: n for n, level in enumerate(levels)}
        codes = np.fromiter((-1 if v is None else index[v] for v in values), np.int64, len(values))
        return cls(codes, levels)

    def label(self, code: int) -> str | None:
        return None if code < 0 else self.levels[code]

    def take(self, rows: np.ndarray) -> Factor:
        return Factor(self.codes[rows], self.levels)


@dataclass(frozen=True)
class Frame:
    """Per audit: score (0–100), who, where, when; ``visited_at`` is branch-local wall time.

    ``pairs`` holds row-index pairs of audits of the same visit by two auditors (calibration)
    and ``pair_items[p, side, j]`` the 0–1 score of item ``items[j]`` (NaN when unscored).
    """

    score: np.ndarray
    branch: Factor
    region: Factor
    shift: Factor
    channel: Factor
    staff: Factor
    auditor: Factor
    checklist: Factor
    visited_at: np.ndarray  # datetime64[s]
    refs: tuple[str, ...]
    calibration_of: np.ndarray  # row index of the audit this one re-scores, or -1
    items: tuple[str, ...] = ()
    pairs: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    pair_items: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 0)))

    def __len__(self) -> int:
        return len(self.score)

    @property
    def weekday(self) -> np.ndarray:
        """0 = Monday, as ``datetime.weekday``."""
        days = self.visited_at.astype("datetime64[D]").astype(np.int64)
        return (days + 3) % 7  # 1970-01-01 was a Thursday

    @property
    def years(self) -> np.ndarray:
        """Visit time in years since 1970, for slopes per year."""
        return (self.visited_at - _EPOCH).astype(np.float64) / SECONDS_PER_YEAR

    def period(self) -> tuple[str, str] | None:
        if not len(self):
            return None
        days = self.visited_at.astype("datetime64[D]")
        return str(days.min()), str(days.max())


def frame_digest(frame: Frame) -> str:
    """SHA-256 of every value the analysis reads from ``frame``: the same digest is the same
    audits with the same labels, so an analysis kept under it is never stale."""
    sha = hashlib.sha256()
    for part in fields(frame):
        value = getattr(frame, part.name)
        arrays = (value.codes, value.levels) if isinstance(value, Factor) else (value,)
        for array in arrays:
            if isinstance(array, np.ndarray):
                sha.update(f"{part.name}:{array.dtype}:{array.shape}:".encode())
                sha.update(np.ascontiguousarray(array).tobytes())
            else:
                sha.update(f"{part.name}:{len(array)}:".encode())
                sha.update("\x1f".join(array).encode())
    return sha.hexdigest()


def _local_naive(value: dt.datetime) -> np.datetime64:
    return np.datetime64(value.replace(tzinfo=None, microsecond=0), "s")


def frame_from_records(records: Iterable[Mapping[str, Any]]) -> Frame:
    """Build a frame from dicts with keys ``ref``, ``score``, ``branch``, ``auditor``,
    ``visited_at`` (a datetime in the branch's local time) and optionally ``region``,
    ``shift``, ``channel``, ``staff``, ``checklist``, ``calibration_of`` (the ``ref`` of the
    audit of the same visit) and ``item_scores`` (item key → 0–1, for calibration pairs).
    Records without a score are left out: there is nothing to analyse in them."""
    rows = [r for r in records if r.get("score") is not None]

    def col(name: str) -> list:
        return [r.get(name) for r in rows]

    refs = tuple(str(r["ref"]) for r in rows)
    position = {ref: n for n, ref in enumerate(refs)}
    other = np.array([position.get(str(r.get("calibration_of")), -1) for r in rows], np.int64)
    visited = np.array([_local_naive(r["visited_at"]) for r in rows], "datetime64[s]")
    pair_list = [(int(o), n) for n, o in enumerate(other) if o >= 0]
    items = tuple(sorted({k for r in rows for k in (r.get("item_scores") or {})}))
    pair_items = np.full((len(pair_list), 2, len(items)), np.nan)
    for p, pair in enumerate(pair_list):
        for side, row in enumerate(pair):
            scores = rows[row].get("item_scores") or {}
            for j, key in enumerate(items):
                value = scores.get(key)
                if value is not None:
                    pair_items[p, side, j] = value
    return Frame(
        score=np.array([float(r["score"]) for r in rows]),
        branch=Factor.of(col("branch")),
        region=Factor.of(col("region")),
        shift=Factor.of(col("shift")),
        channel=Factor.of(col("channel")),
        staff=Factor.of(col("staff")),
        auditor=Factor.of(col("auditor")),
        checklist=Factor.of(col("checklist")),
        visited_at=visited,
        refs=refs,
        calibration_of=other,
        items=items,
        pairs=np.array(pair_list, np.int64).reshape(-1, 2),
        pair_items=pair_items,
    )
