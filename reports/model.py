"""The consistency model of a frame: which factors, which fixed columns, one REML fit (pure).

    score = shift (fixed) + branch + branch×shift + staff + auditor + residual

with one random intercept per factor, crossed (an auditor visits many branches). The fixed
shift columns take out what is common to a shift everywhere, so ``branch_shift`` is how a
branch's shift differs from its own other shifts. More than one checklist adds its columns
too, since different checklists score on different ladders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frame import Frame
from .mixed import MixedFit, fit_crossed

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

    def effect(self, name: str) -> np.ndarray:
        return self.fit.effects.get(name, np.zeros(0))

    def pev(self, name: str) -> np.ndarray:
        return self.fit.pev.get(name, np.zeros(0))


def _dummies(codes: np.ndarray, levels: int) -> list[np.ndarray]:
    return [(codes == k).astype(float) for k in range(1, levels) if (codes == k).any()]


def fixed_design(frame: Frame) -> np.ndarray:
    columns = [np.ones(len(frame))]
    columns += _dummies(frame.shift.codes, len(frame.shift.levels))
    columns += _dummies(frame.checklist.codes, len(frame.checklist.levels))
    return np.column_stack(columns)


def cell_codes(frame: Frame) -> tuple[np.ndarray, list[tuple[int, int]]]:
    shifts = max(len(frame.shift.levels), 1)
    key = np.where(frame.shift.codes >= 0, frame.branch.codes * shifts + frame.shift.codes, -1)
    present = np.unique(key[key >= 0])
    codes = np.full(len(frame), -1, np.int64)
    codes[key >= 0] = np.searchsorted(present, key[key >= 0])
    return codes, [(int(k // shifts), int(k % shifts)) for k in present]


def _usable(codes: np.ndarray) -> bool:
    """A factor can carry variance only with at least two levels seen."""
    return len(np.unique(codes[codes >= 0])) >= 2


def fit_frame(frame: Frame) -> Model:
    """Fit the consistency model; factors with fewer than two levels are left out."""
    cell, cell_keys = cell_codes(frame)
    candidates = {
        "branch": frame.branch.codes,
        "branch_shift": cell,
        "staff": frame.staff.codes,
        "auditor": frame.auditor.codes,
    }
    factors = {name: codes for name, codes in candidates.items() if _usable(codes)}
    fit = fit_crossed(frame.score, fixed_design(frame), factors)
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
    )
