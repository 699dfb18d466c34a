"""The consistency model of a frame: which factors, which fixed columns, one REML fit (pure).

    score = shift (fixed) + branch + branch×shift + staff + auditor + residual

with one random intercept per factor, crossed (an auditor visits many branches). The fixed
shift columns take out what is common to a shift everywhere, so ``branch_shift`` is how a
branch's shift differs from its own other shifts. More than one checklist adds its columns
too, since different checklists score on different ladders.

Small or lopsided data cannot carry every term: a random term is fitted only when it has two
levels, some level seen twice (else it is the residual under another name) and levels that do
not match an earlier term's one to one (one shift per branch makes branch × shift the branch:
such a term is left out and named in the result, :class:`~reports.results.DroppedTerm`);
a fixed column only when it adds information. Data that leaves no residual degree of freedom
cannot be analysed at all: :class:`NotEstimable`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frame import Frame
from .mixed import FitProgress, MixedFit, fit_crossed
from .results import DroppedTerm

FACTORS = ("branch", "branch_shift", "staff", "auditor")


@dataclass(frozen=True)
class Model:
    """A fitted frame: the fit plus each row's effects, and severity-adjusted scores."""

    frame: Frame
    fit: MixedFit
    cell: np.ndarray  # row → branch×shift code, -1 without a shift
    cell_keys: list[tuple[int, int]]  # code → (branch code, shift code)
    adjusted: np.ndarray  # score minus the auditor's severity
    row_effect: dict[str, np.ndarray]  # factor → that factor's BLUP for each row (0 if none)
    dropped: list[DroppedTerm]  # terms the design cannot separate from another (not fitted)

    def effect(self, name: str) -> np.ndarray:
        return self.fit.effects.get(name, np.zeros(0))

    def pev(self, name: str) -> np.ndarray:
        return self.fit.pev.get(name, np.zeros(0))


class NotEstimable(ValueError):
    """The visits leave nothing to estimate a residual from (as many fixed columns as visits)."""


def _dummies(codes: np.ndarray, levels: int) -> list[np.ndarray]:
    return [(codes == k).astype(float) for k in range(1, levels) if (codes == k).any()]


def fixed_design(frame: Frame) -> np.ndarray:
    """Intercept, shift and checklist columns, each kept only if it raises the rank (a
    checklist only ever used in the morning adds nothing the morning column has not)."""
    candidates = [np.ones(len(frame))]
    candidates += _dummies(frame.shift.codes, len(frame.shift.levels))
    candidates += _dummies(frame.checklist.codes, len(frame.checklist.levels))
    columns: list[np.ndarray] = []
    for column in candidates:
        if np.linalg.matrix_rank(np.column_stack([*columns, column])) > len(columns):
            columns.append(column)
    return np.column_stack(columns)


def cell_codes(frame: Frame) -> tuple[np.ndarray, list[tuple[int, int]]]:
    shifts = max(len(frame.shift.levels), 1)
    key = np.where(frame.shift.codes >= 0, frame.branch.codes * shifts + frame.shift.codes, -1)
    present = np.unique(key[key >= 0])
    codes = np.full(len(frame), -1, np.int64)
    codes[key >= 0] = np.searchsorted(present, key[key >= 0])
    return codes, [(int(k // shifts), int(k % shifts)) for k in present]


def _grouping(codes: np.ndarray) -> tuple[int, ...]:
    """The partition of the visits ``codes`` makes, whatever the codes' names: each group
    numbered by its first visit."""
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    number = np.empty(len(first), np.int64)
    number[np.argsort(first)] = np.arange(len(first))
    return tuple(number[inverse.ravel()].tolist())


def same_levels(codes: np.ndarray, other: np.ndarray) -> bool:
    """Whether the two factors' levels match one to one on the visits that have both: each
    level of one always comes with the same level of the other, so their effects cannot be
    told apart (one shift per branch, one shopper per branch, one staff member per branch)."""
    both = (codes >= 0) & (other >= 0)
    if not both.any():
        return False
    first, second = codes[both].astype(np.int64), other[both].astype(np.int64)
    pairs = _distinct(first * (int(second.max()) + 1) + second)  # one key per pair
    return pairs == _distinct(first) == _distinct(second)


def _distinct(values: np.ndarray) -> int:
    """How many different values (non-negative integers): by sorting, which at 360,000
    visits is several times faster than ``np.unique``'s hashing."""
    ordered = np.sort(values)
    return int(np.count_nonzero(np.diff(ordered))) + 1 if len(ordered) else 0


def separable_factors(
    candidates: dict[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], list[DroppedTerm]]:
    """The random terms the data can estimate, in order, and those it cannot separate from an
    earlier term (named with that term). A term needs two levels or more and some level
    replicated (else it is the residual under another name); one whose levels match an earlier
    term's one to one is the earlier term again, and fitting both would split one variance
    between them at random (lme4 on Penicillin with one shift per branch: half and half)."""
    kept: dict[str, np.ndarray] = {}
    dropped: list[DroppedTerm] = []
    seen: set[tuple[int, ...]] = set()
    for name, codes in candidates.items():
        counts = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, int)
        counts = counts[counts > 0]
        if len(counts) < 2 or counts.max() < 2:
            continue
        grouping = _grouping(codes)
        twin = next((other for other, c in kept.items() if same_levels(codes, c)), None)
        if twin is not None:
            dropped.append(DroppedTerm(term=name, same_as=twin))
        elif grouping not in seen:
            kept[name] = codes
            seen.add(grouping)
    return kept, dropped


def estimable_factors(candidates: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The random terms the data can estimate (see :func:`separable_factors`)."""
    return separable_factors(candidates)[0]


def fit_frame(frame: Frame, progress: FitProgress | None = None) -> Model:
    """Fit the consistency model with the terms the data can estimate (see the module);
    ``progress`` follows the search (``reports.mixed.FitProgress``)."""
    cell, cell_keys = cell_codes(frame)
    candidates = {
        "branch": frame.branch.codes,
        "branch_shift": cell,
        "staff": frame.staff.codes,
        "auditor": frame.auditor.codes,
    }
    factors, dropped = separable_factors(candidates)
    X = fixed_design(frame)
    if len(frame) <= X.shape[1]:
        raise NotEstimable(f"{len(frame)} visits for {X.shape[1]} fixed columns")
    fit = fit_crossed(frame.score, X, factors, progress=progress)
    row_effect = {}
    for name, codes in candidates.items():
        effects = fit.effects.get(name)
        values = np.zeros(len(frame))
        if effects is not None:
            values[codes >= 0] = effects[codes[codes >= 0]]
        row_effect[name] = values
    return Model(
        frame=frame,
        fit=fit,
        cell=cell,
        cell_keys=cell_keys,
        adjusted=frame.score - row_effect["auditor"],
        row_effect=row_effect,
        dropped=dropped,
    )
