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


def _spreads(model: Model, branch: int) -> tuple[float | None, float | None]:
    """Range of the branch's shift levels (fixed shift + its cell effect) and of its staff."""
    frame = model.frame
    rows = frame.branch.codes == branch
    shift_level = model.fit.fitted_fixed + model.row_effect["branch_shift"]
    shifts = {
        int(s): shift_level[rows & (frame.shift.codes == s)][0]
        for s in np.unique(frame.shift.codes[rows])
        if s >= 0
    }
    staff_codes = np.unique(frame.staff.codes[rows & (frame.staff.codes >= 0)])
    staff = model.effect("staff")[staff_codes] if len(model.effect("staff")) else []
    shift_range = max(shifts.values()) - min(shifts.values()) if len(shifts) > 1 else None
    staff_range = float(np.ptp(staff)) if len(staff) > 1 else None
    return shift_range, staff_range


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
    rows = []
    for i, code in enumerate(seen):
        n = int(per.n[code])
        half = Z95 * math.sqrt(pev[code])
        shift_range, staff_range = _spreads(model, int(code))
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
                shift_spread=None if shift_range is None else round(float(shift_range), 2),
                staff_spread=None if staff_range is None else round(staff_range, 2),
                consistency=round(consistency_index(shrunk_sd(sd, n, pooled)), 1),
            )
        )
    return sorted(rows, key=lambda row: row.rank)
