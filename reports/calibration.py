"""Agreement between two auditors who scored the same visit (pure).

Per item: Krippendorff's α (interval metric on the 0–1 item scores; for a yes/no item that is
the nominal α) and Cohen's κ on items scored only 0 or 1. On the total: the one-way ICC(1),
since the two auditors of a pair differ from pair to pair (Shrout & Fleiss 1979).
"""

from __future__ import annotations

import numpy as np

from .frame import Frame
from .results import Calibration, ItemAgreement


def icc1(ratings: np.ndarray) -> float | None:
    """One-way random-effects ICC(1,1) of an (subjects × raters) array without gaps:
    (MSB − MSW) / (MSB + (k − 1) MSW)."""
    ratings = np.asarray(ratings, float)
    n, k = ratings.shape
    if n < 2 or k < 2:
        return None
    grand = ratings.mean()
    msb = k * ((ratings.mean(axis=1) - grand) ** 2).sum() / (n - 1)
    msw = ((ratings - ratings.mean(axis=1, keepdims=True)) ** 2).sum() / (n * (k - 1))
    denominator = msb + (k - 1) * msw
    return float((msb - msw) / denominator) if denominator > 0 else None


def krippendorff_interval(ratings: np.ndarray) -> float | None:
    """Krippendorff's α, interval metric, for (units × coders) with NaN for missing.

    α = 1 − D_o / D_e over pairable values: units with fewer than two values drop out.
    """
    ratings = np.asarray(ratings, float)
    ratings = ratings[(~np.isnan(ratings)).sum(axis=1) >= 2]
    values = ratings[~np.isnan(ratings)]
    total = len(values)
    if total < 2:
        return None
    observed = 0.0
    for unit in ratings:
        v = unit[~np.isnan(unit)]
        m = len(v)
        observed += ((v[:, None] - v[None, :]) ** 2).sum() / (m - 1)
    observed /= total
    # Σ_{c,k} (c−k)² over all pairs of pairable values = 2 n Σ (v − v̄)²
    expected = 2 * total * ((values - values.mean()) ** 2).sum() / (total * (total - 1))
    if expected == 0:
        return None
    return float(1 - observed / expected)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's κ of two raters over the same units (categories are the values seen)."""
    categories = np.unique(np.concatenate([a, b]))
    if len(a) < 2 or len(categories) < 2:
        return None
    index = {value: i for i, value in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for x, y in zip(a, b, strict=True):
        table[index[x], index[y]] += 1
    table /= table.sum()
    observed = np.trace(table)
    expected = float(table.sum(axis=1) @ table.sum(axis=0))
    return float((observed - expected) / (1 - expected)) if expected < 1 else None


def _item(key: str, pair_scores: np.ndarray) -> ItemAgreement:
    both = pair_scores[~np.isnan(pair_scores).any(axis=1)]
    binary = bool(len(both)) and bool(np.isin(both, (0.0, 1.0)).all())
    alpha = krippendorff_interval(pair_scores)
    kappa = cohen_kappa(both[:, 0], both[:, 1]) if binary else None
    return ItemAgreement(
        item=key,
        n=len(both),
        alpha=None if alpha is None else round(alpha, 3),
        kappa=None if kappa is None else round(kappa, 3),
        agreement=round(float((both[:, 0] == both[:, 1]).mean()), 3) if len(both) else None,
    )


def calibration_section(frame: Frame) -> Calibration:
    """Agreement over the calibration pairs; items with the weakest agreement first."""
    pairs = frame.pairs
    if not len(pairs):
        return Calibration(pairs=0, icc=None, mean_abs_difference=None, items=[])
    totals = frame.score[pairs]
    items = [_item(key, frame.pair_items[:, :, j]) for j, key in enumerate(frame.items)]
    items.sort(key=lambda row: (row.alpha is None, row.alpha if row.alpha is not None else 0))
    icc = icc1(totals)
    return Calibration(
        pairs=len(pairs),
        icc=None if icc is None else round(icc, 3),
        mean_abs_difference=round(float(np.abs(totals[:, 0] - totals[:, 1]).mean()), 2),
        items=items,
    )
