"""Where service differs inside a branch: branch × shift cells and staff members (pure)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .results import CellEffect, Interval, StaffFinding
from .variance import Z95

if TYPE_CHECKING:  # the fit imports SciPy: a report read from a kept analysis needs neither
    from .model import Model

MIN_STAFF_VISITS = 4
ALPHA = 0.05


def bh_q(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg q-values (false discovery rate), in the input's order."""
    p = np.asarray(p, float)
    if not len(p):
        return p
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(q)
    out[order] = np.minimum(q, 1.0)
    return out


def cells_section(model: Model) -> list[CellEffect]:
    """Each branch × shift seen: how far that shift sits from the branch's own other shifts
    (its BLUP, points) with a 95% interval; the largest deviation first."""
    frame = model.frame
    effects, pev = model.effect("branch_shift"), model.pev("branch_shift")
    if not len(effects):
        return []
    n = np.bincount(model.cell[model.cell >= 0], minlength=len(model.cell_keys))
    rows = []
    for code, (branch, shift) in enumerate(model.cell_keys):
        effect, half = float(effects[code]), Z95 * math.sqrt(pev[code])
        rows.append(
            CellEffect(
                branch=frame.branch.levels[branch],
                shift=frame.shift.levels[shift],
                effect=round(effect, 2),
                interval=Interval(round(effect - half, 2), round(effect + half, 2)),
                n=int(n[code]),
                z=round(effect / math.sqrt(pev[code]), 2) if pev[code] > 0 else 0.0,
            )
        )
    return sorted(rows, key=lambda row: -abs(row.effect))


class _SpreadTest(NamedTuple):
    n: np.ndarray  # visits per member
    p: np.ndarray  # one-sided p of a greater spread than everyone else's


def _sorted_medians(ordered: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each group's median (0 for an empty one) when ``ordered`` holds the groups one after
    another, each sorted: the middle value or the mean of the middle two, as ``np.median``,
    for every group at once."""
    medians = np.zeros(len(counts))
    some = counts > 0
    low = starts[some] + (counts[some] - 1) // 2
    high = starts[some] + counts[some] // 2
    medians[some] = (ordered[low] + ordered[high]) / 2
    return medians


def _spread_test(resid: np.ndarray, codes: np.ndarray, levels: int) -> _SpreadTest:
    """Brown–Forsythe for each member against everyone else: the absolute deviations from
    the member's own median, compared by a one-sided Welch t-test (greater spread)."""
    keep = codes >= 0
    resid, codes = resid[keep], codes[keep]
    n = np.bincount(codes, minlength=levels).astype(float)
    order = np.lexsort((resid, codes))
    starts = np.concatenate([[0], np.cumsum(n)]).astype(int)[:-1]
    medians = _sorted_medians(resid[order], starts, n.astype(int))
    d = np.abs(resid - medians[codes])
    s1, s2 = np.bincount(codes, d, levels), np.bincount(codes, d * d, levels)
    total_n, total_1, total_2 = n.sum(), s1.sum(), s2.sum()
    safe = np.maximum(n, 1)
    m_own, v_own = s1 / safe, (s2 - s1**2 / safe) / np.maximum(n - 1, 1)
    n_rest = np.maximum(total_n - n, 1)
    m_rest = (total_1 - s1) / n_rest
    v_rest = ((total_2 - s2) - (total_1 - s1) ** 2 / n_rest) / np.maximum(n_rest - 1, 1)
    se2 = v_own / safe + v_rest / n_rest
    t = (m_own - m_rest) / np.sqrt(np.maximum(se2, 1e-12))
    df = se2**2 / (
        (v_own / safe) ** 2 / np.maximum(n - 1, 1)
        + (v_rest / n_rest) ** 2 / np.maximum(n_rest - 1, 1)
        + 1e-300
    )
    from scipy import stats

    return _SpreadTest(n, stats.t.sf(t, np.maximum(df, 1)))


def _group_sd(values: np.ndarray, codes: np.ndarray, levels: int) -> np.ndarray:
    """Each level's sample SD of ``values`` (two passes, as ``np.std``; NaN under two rows):
    one sweep over the rows, not one per level (30,000 staff × 360,000 visits)."""
    keep = codes >= 0
    values, codes = values[keep], codes[keep]
    n = np.bincount(codes, minlength=levels).astype(float)
    mean = np.bincount(codes, values, levels) / np.maximum(n, 1)
    squares = np.bincount(codes, (values - mean[codes]) ** 2, levels)
    return np.sqrt(np.divide(squares, n - 1, out=np.full(levels, np.nan), where=n > 1))


def staff_section(model: Model) -> list[StaffFinding]:
    """Members whose visits vary far more than their peers' (``q``: FDR over members of the
    spread test on residuals after branch, shift, cell and auditor) or sit far below their
    branch (``q_below``: FDR of the one-sided test of their BLUP); most striking first."""
    frame = model.frame
    codes, levels = frame.staff.codes, len(frame.staff.levels)
    if not levels:
        return []
    resid = (
        frame.score
        - model.fit.fitted_fixed
        - sum(model.row_effect[name] for name in ("branch", "branch_shift", "auditor"))
    )
    test = _spread_test(resid, codes, levels)
    effects, pev = model.effect("staff"), model.pev("staff")
    if not len(effects):
        effects, pev = np.zeros(levels), np.ones(levels)
    listed = np.flatnonzero(test.n >= MIN_STAFF_VISITS)
    q = bh_q(test.p[listed])
    # A staff component estimated at zero leaves every BLUP at 0 with no prediction error:
    # no evidence either way (p = 0.5), not 0/0.
    sd = np.sqrt(pev[listed])
    z = np.divide(effects[listed], sd, out=np.zeros(len(listed)), where=sd > 0)
    from scipy import stats

    q_below = bh_q(stats.norm.cdf(z))
    branch_of = np.full(levels, -1)
    branch_of[codes[codes >= 0]] = frame.branch.codes[codes >= 0]
    sds = _group_sd(model.adjusted, codes, levels)
    rows = []
    for i, code in enumerate(listed):
        effect, half = float(effects[code]), Z95 * math.sqrt(pev[code])
        flags = [
            name for name, value in (("erratic", q[i]), ("below", q_below[i])) if value < ALPHA
        ]
        rows.append(
            StaffFinding(
                staff=frame.staff.levels[code],
                branch=frame.branch.levels[branch_of[code]],
                n=int(test.n[code]),
                sd=round(float(sds[code]), 2),
                q=round(float(q[i]), 5),
                effect=round(effect, 2),
                interval=Interval(round(effect - half, 2), round(effect + half, 2)),
                q_below=round(float(q_below[i]), 5),
                flags=flags,
            )
        )
    return sorted(rows, key=lambda row: (min(row.q, row.q_below), -row.sd))
