"""Fair comparison of branches: adjusted and shrunken levels, ranks, funnel, consistency (pure).

Every figure here uses scores adjusted for auditor severity; the raw mean stays beside them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .results import BranchEstimate, Funnel, Interval, Position, RankInterval
from .variance import Z95

if TYPE_CHECKING:  # the fit imports SciPy: a report read from a kept analysis needs neither
    from .model import Model

Z998 = 3.090232306167813
CONSISTENCY_TOLERANCE = 10.0  # points either side of the branch's own level
PRIOR_VISITS = 10.0  # pseudo-visits of the organisation's spread behind a branch's own SD
RANK_DRAWS = 1000


def consistency_index(sd: float, tolerance: float = CONSISTENCY_TOLERANCE) -> float:
    """Out of 100 visits, how many land within ``tolerance`` points of the branch's own level,
    if visits spread normally with standard deviation ``sd``: 100 (2Φ(tol/sd) − 1)."""
    if sd <= 0:
        return 100.0
    return 100.0 * math.erf(tolerance / sd / math.sqrt(2))  # 2Φ(x) − 1 = erf(x / √2)


def shrunk_sd(sd: float, n: int, pooled_sd: float) -> float:
    """A branch's SD pulled toward the organisation's (as if PRIOR_VISITS more visits had
    the pooled spread), so a branch with 3 lucky visits is not called perfectly consistent."""
    own = max(n - 1, 0)
    var = (own * sd * sd + PRIOR_VISITS * pooled_sd * pooled_sd) / (own + PRIOR_VISITS)
    return math.sqrt(var)


def funnel_positions(means: np.ndarray, n: np.ndarray, within_var: float) -> list[Funnel]:
    """Funnel-plot position of each branch's adjusted mean against the organisation's mean,
    with an additive over-dispersion allowance τ² estimated from winsorised z-scores
    (Spiegelhalter 2005, "Funnel plots for comparing institutional performance")."""
    target = float(np.average(means, weights=n))
    s2 = within_var / n
    z = (means - target) / np.sqrt(s2)
    low, high = np.quantile(z, [0.1, 0.9]) if len(z) >= 10 else (-np.inf, np.inf)
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    w = 1 / s2
    count = len(means)
    excess = count * phi - (count - 1)
    tau2 = max(0.0, excess / (w.sum() - (w * w).sum() / w.sum())) if count > 1 else 0.0
    rows = []
    for mean, var in zip(means.tolist(), (s2 + tau2).tolist(), strict=True):
        sd = math.sqrt(var)
        rows.append(
            Funnel(
                p95=_side(mean, target, Z95 * sd),
                p998=_side(mean, target, Z998 * sd),
                z=round((mean - target) / sd, 3),
                target=round(target, 2),
                limits95=Interval(round(target - Z95 * sd, 2), round(target + Z95 * sd, 2)),
                limits998=Interval(round(target - Z998 * sd, 2), round(target + Z998 * sd, 2)),
                tau2=round(float(tau2), 3),
                within_var=round(float(within_var), 3),
            )
        )
    return rows


def funnel_curve(
    funnel: Funnel, z: float, n_min: float, n_max: float, points: int = 60
) -> tuple[Sequence[float], Sequence[float], Sequence[float]]:
    """The funnel's limits as smooth curves for a plot: (n grid, lower, upper) at ``z``,
    from one branch's ``funnel`` entry (target, within-branch variance and τ² are shared)."""
    low = max(n_min, 1.0)
    grid = np.unique(np.round(np.geomspace(low, max(n_max, low + 1), points), 2))
    half = z * np.sqrt(funnel.within_var / grid + funnel.tau2)
    target = funnel.target
    return grid.tolist(), (target - half).round(2).tolist(), (target + half).round(2).tolist()


def _side(mean: float, target: float, half: float) -> Position:
    return "above" if mean > target + half else "below" if mean < target - half else "within"


def rank_intervals(level: np.ndarray, pev: np.ndarray, seed: int = 0) -> np.ndarray:
    """95% intervals of each branch's rank (1 = best) from draws of its posterior."""
    rng = np.random.default_rng(seed)
    draws = level + rng.standard_normal((RANK_DRAWS, len(level))) * np.sqrt(pev)
    order = (-draws).argsort(axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, len(level) + 1)[None, :], axis=1)
    return np.quantile(ranks, [0.025, 0.975], axis=0).T


class _PerBranch(NamedTuple):
    """Per branch code: visits, raw mean, mean adjusted for severity, SD of adjusted scores."""

    n: np.ndarray
    mean: np.ndarray
    adjusted: np.ndarray
    sd: np.ndarray


def _per_branch(model: Model) -> _PerBranch:
    frame = model.frame
    codes, levels = frame.branch.codes, len(frame.branch.levels)
    n = np.bincount(codes, minlength=levels).astype(float)
    safe = np.maximum(n, 1)
    mean = np.bincount(codes, frame.score, levels) / safe
    adj = np.bincount(codes, model.adjusted, levels) / safe
    sq = np.bincount(codes, model.adjusted**2, levels)
    var = np.where(n > 1, (sq - n * adj**2) / np.maximum(n - 1, 1), 0.0)
    return _PerBranch(n, mean, adj, np.sqrt(np.maximum(var, 0)))


class _Spreads(NamedTuple):
    """Per branch code: range of its shift levels and of its staff effects (NaN: under two)."""

    shift: np.ndarray
    staff: np.ndarray


def _ranges(groups: np.ndarray, values: np.ndarray, levels: int) -> np.ndarray:
    """max − min of ``values`` per group code, NaN where a group has fewer than two."""
    out = np.full(levels, np.nan)
    if not len(groups):
        return out
    order = np.argsort(groups, kind="stable")
    groups, values = groups[order], values[order]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    spread = np.maximum.reduceat(values, starts) - np.minimum.reduceat(values, starts)
    out[groups[starts]] = np.where(sizes > 1, spread, np.nan)
    return out


def _spreads(model: Model) -> _Spreads:
    """Range of each branch's shift levels (fixed shift + its cell effect, at the first visit
    of that shift) and of its staff members' effects, for every branch in one pass."""
    frame = model.frame
    codes, levels = frame.branch.codes, len(frame.branch.levels)
    shift_level = model.fit.fitted_fixed + model.row_effect["branch_shift"]
    shifts = max(len(frame.shift.levels), 1)
    has_shift = np.flatnonzero(frame.shift.codes >= 0)
    pairs = codes[has_shift] * shifts + frame.shift.codes[has_shift]
    keys, first = np.unique(pairs, return_index=True)
    shift = _ranges(keys // shifts, shift_level[has_shift[first]], levels)
    effects = model.effect("staff")
    if not len(effects):
        return _Spreads(shift, np.full(levels, np.nan))
    has_staff = frame.staff.codes >= 0
    staff_keys = np.unique(codes[has_staff] * len(effects) + frame.staff.codes[has_staff])
    staff = _ranges(staff_keys // len(effects), effects[staff_keys % len(effects)], levels)
    return _Spreads(shift, staff)


def branches_section(model: Model, standard: float) -> list[BranchEstimate]:
    """One entry per branch, best shrunken level first."""
    frame = model.frame
    per = _per_branch(model)
    seen = np.flatnonzero(per.n > 0)
    effect = model.effect("branch")
    pev = model.pev("branch")
    if not len(effect):
        effect, pev = np.zeros(len(frame.branch.levels)), np.full(len(frame.branch.levels), 1e-9)
    base = float(model.fit.fitted_fixed.mean())
    level = base + effect[seen]
    ranks = rank_intervals(level, pev[seen])
    point_rank = (-level).argsort().argsort() + 1
    pooled = float(
        np.sqrt(np.average(per.sd[seen] ** 2, weights=np.maximum(per.n[seen] - 1, 0) + 1e-12))
    )
    funnel = funnel_positions(per.adjusted[seen], per.n[seen], max(pooled**2, 1e-9))
    meets = np.bincount(frame.branch.codes, frame.score >= standard, len(frame.branch.levels))
    spreads = _spreads(model)
    rows = []
    for i, code in enumerate(seen):
        n = int(per.n[code])
        half = Z95 * math.sqrt(pev[code])
        shift_range, staff_range = spreads.shift[code], spreads.staff[code]
        sd = float(per.sd[code])
        shrunken = float(level[i])
        rows.append(
            BranchEstimate(
                branch=frame.branch.levels[code],
                n=n,
                mean=round(float(per.mean[code]), 2),
                adjusted_mean=round(float(per.adjusted[code]), 2),
                shrunken=round(shrunken, 2),
                interval=Interval(round(shrunken - half, 2), round(shrunken + half, 2)),
                rank=int(point_rank[i]),
                rank_interval=RankInterval(int(ranks[i, 0]), int(ranks[i, 1])),
                funnel=funnel[i],
                sd=round(sd, 2),
                share_meeting_standard=round(float(meets[code] / n), 3),
                shift_spread=None if np.isnan(shift_range) else round(float(shift_range), 2),
                staff_spread=None if np.isnan(staff_range) else round(float(staff_range), 2),
                consistency=round(consistency_index(shrunk_sd(sd, n, pooled)), 1),
            )
        )
    return sorted(rows, key=lambda row: row.rank)
