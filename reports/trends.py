"""Per-branch trends and control-chart signals on severity-adjusted scores (pure).

Charts are individuals charts in visit order, centred on the branch's mean, with σ from the
mean moving range (MR̄ / 1.128, which a drift inflates less than the plain SD does). Over many
charts the usual limits would cry wolf: with 24 branches of 50 visits the Western Electric
rules alone raise several false alarms a year. So the *alarm* of a chart uses two signals whose
false-alarm rates are set for the whole organisation at once (``FAMILY_ALPHA`` across every
point of every chart): rule 1 with a Bonferroni-widened limit, and a two-sided CUSUM (k = ½σ)
whose decision interval h gives an in-control run length of total points / α (Siegmund's
approximation). The four Western Electric rules are still listed, as context, not alarms.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import msgspec
import numpy as np

from .frame import Frame
from .people import bh_q
from .results import Interval, Signal, Trend

FAMILY_ALPHA = 0.05
MIN_TREND_VISITS = 5
CUSUM_K = 0.5


def siegmund_h(arl0: float, k: float = CUSUM_K) -> float:
    """Decision interval h (in σ) of a one-sided CUSUM with in-control run length ``arl0``:
    ARL ≈ (e^{2kb} − 2kb − 1) / (2k²) with b = h + 1.166."""

    def gap(h: float) -> float:
        b = 2 * k * (h + 1.166)
        return (math.exp(b) - b - 1) / (2 * k * k) - arl0

    from scipy import optimize  # only where an analysis is made: a second to import

    return float(optimize.brentq(gap, 0.01, 60))


def cusum(z: np.ndarray, h: float, k: float = CUSUM_K) -> list[tuple[int, str]]:
    """Indices where the upper or lower CUSUM of standardised values crosses h (then resets)."""
    hits, high, low = [], 0.0, 0.0
    for i, value in enumerate(z.tolist()):  # a recursion: plain floats are fastest here
        high += value - k
        if high < 0.0:
            high = 0.0
        elif high > h:
            hits.append((i, "cusum_up"))
            high = 0.0
        low += value + k
        if low > 0.0:
            low = 0.0
        elif low < -h:
            hits.append((i, "cusum_down"))
            low = 0.0
    return hits


def _window(z: np.ndarray, size: int, beyond: float, need: int) -> list[int]:
    """Ends of windows of ``size`` with ``need`` points beyond ``beyond`` σ on one side."""
    if len(z) < size:
        return []
    kernel = np.ones(size)
    above = np.convolve(z > beyond, kernel, "valid") >= need
    below = np.convolve(z < -beyond, kernel, "valid") >= need
    return [int(i) + size - 1 for i in np.flatnonzero(above | below)]


def western_electric(z: np.ndarray) -> list[tuple[int, str]]:
    """The four Western Electric rules on standardised values."""
    hits = [(int(i), "we1") for i in np.flatnonzero(np.abs(z) > 3)]
    hits += [(i, "we2") for i in _window(z, 3, 2, 2)]
    hits += [(i, "we3") for i in _window(z, 5, 1, 4)]
    hits += [(i, "we4") for i in _window(z, 8, 0, 8)]
    return sorted(set(hits))


class Chart(NamedTuple):
    """An individuals chart: centre, σ, its controlled alarms and the Western Electric rules
    that fired (context), each as (index of the point, rule)."""

    centre: float
    sigma: float
    alarms: list[tuple[int, str]]
    we: list[tuple[int, str]]


def chart(values: np.ndarray, limit: float, h: float) -> Chart:
    """One individuals chart: standardised points, its controlled alarms and WE context."""
    centre = float(values.mean())
    mr = np.abs(np.diff(values))
    sigma = float(mr.mean() / 1.128) if len(mr) and mr.mean() > 0 else float(values.std() or 1)
    z = (values - centre) / sigma
    alarms = [(int(i), "limit") for i in np.flatnonzero(np.abs(z) > limit)] + cusum(z, h)
    return Chart(centre, sigma, sorted(alarms), western_electric(z))


class _Slope(NamedTuple):
    slope: float  # OLS slope per year
    se: float  # its standard error
    df: int  # residual degrees of freedom


def _slope(t: np.ndarray, y: np.ndarray) -> _Slope:
    """OLS slope per year, its standard error and degrees of freedom."""
    tc = t - t.mean()
    sxx = float(tc @ tc)
    if sxx <= 0:
        return _Slope(0.0, math.inf, 0)
    slope = float(tc @ (y - y.mean()) / sxx)
    resid = y - y.mean() - slope * tc
    df = len(y) - 2
    se = math.sqrt(float(resid @ resid) / df / sxx) if df > 0 else math.inf
    return _Slope(slope, se, df)


def _p_and_half(fits: list[_Slope]) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p of each slope and the half-width of its 95% interval, in one call of each
    distribution (a call per branch costs more than the slopes at 5,000 branches)."""
    slope = np.array([f.slope for f in fits], float)
    se = np.array([f.se for f in fits], float)
    df = np.array([f.df for f in fits], float)
    testable = (se > 0) & (df > 0) & np.isfinite(se)
    from scipy import stats  # only where an analysis is made: a second to import

    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(testable, 2 * stats.t.sf(np.abs(slope / se), np.maximum(df, 1)), 1.0)
        half = np.where(df > 0, stats.t.isf(0.025, np.maximum(df, 1)) * se, math.inf)
    return p, half


def _branch_rows(years: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return rows[np.argsort(years[rows], kind="stable")]


def _branch_trend(
    frame: Frame,
    adjusted: np.ndarray,
    rows: np.ndarray,
    fit: _Slope,
    p: float,
    half: float,
    limit: float,
    h: float,
) -> Trend:
    """One branch's trend (``rows`` in time order); ``q`` (across branches) is filled in by
    the caller."""
    days = frame.visited_at[rows].astype("datetime64[D]")
    slope = fit.slope
    interval = (
        Interval(round(slope - half, 2), round(slope + half, 2)) if math.isfinite(half) else None
    )
    result = chart(adjusted[rows], limit, h)
    rules = [rule for _, rule in result.we]
    return Trend(
        branch=frame.branch.levels[int(frame.branch.codes[rows[0]])],
        n=len(rows),
        slope_per_year=round(slope, 2),
        interval=interval,
        p=p,
        signals=[
            Signal(rule=rule, date=str(days[i]), ref=frame.refs[int(rows[i])])
            for i, rule in result.alarms
        ],
        alarm=bool(result.alarms),
        centre=round(result.centre, 3),
        sigma=round(result.sigma, 3),
        limit=round(limit, 3),
        cusum_h=round(h, 3),
        western_electric={rule: rules.count(rule) for rule in sorted(set(rules))},
        q=math.nan,
    )


def trends_section(frame: Frame, adjusted: np.ndarray) -> list[Trend]:
    """Per branch with enough visits: slope per year (95% interval, BH q across branches)
    and chart signals (dates). Most significant change first."""
    counts = np.bincount(frame.branch.codes, minlength=len(frame.branch.levels))
    eligible = np.flatnonzero(counts >= MIN_TREND_VISITS)
    total_points = max(int(counts[eligible].sum()), 1)
    from scipy import stats

    limit = float(stats.norm.isf(FAMILY_ALPHA / 4 / total_points))
    h = siegmund_h(4 * total_points / FAMILY_ALPHA)  # two sides, two signals
    order = np.argsort(frame.branch.codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    years = frame.years
    ordered = [_branch_rows(years, order[bounds[b] : bounds[b + 1]]) for b in eligible]
    fits = [_slope(years[rows], adjusted[rows]) for rows in ordered]
    p, half = _p_and_half(fits)
    rows = [
        _branch_trend(frame, adjusted, branch_rows, fit, float(p[i]), float(half[i]), limit, h)
        for i, (branch_rows, fit) in enumerate(zip(ordered, fits, strict=True))
    ]
    qs = bh_q(np.array([row.p for row in rows]))
    rows = [
        msgspec.structs.replace(row, p=round(row.p, 6), q=round(float(q), 6))
        for row, q in zip(rows, qs, strict=True)
    ]
    return sorted(rows, key=lambda row: (row.q, -abs(row.slope_per_year)))
