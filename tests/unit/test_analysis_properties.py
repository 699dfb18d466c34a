"""Invariants of the statistics, as properties (hypothesis)."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from reports.branches import consistency_index
from reports.calibration import icc1, krippendorff_interval
from reports.mixed import fit_crossed
from reports.people import bh_q

p_values = arrays(np.float64, st.integers(1, 60), elements=st.floats(0, 1))
scores = st.floats(0, 100, allow_nan=False)


@given(p_values)
def test_bh_q_never_below_p_never_above_one_and_keeps_order(p):
    q = bh_q(p)
    assert (q >= p - 1e-12).all() and (q <= 1).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(q[order]) >= -1e-12).all()


@given(st.floats(0.01, 100), st.floats(0.01, 100))
def test_consistency_index_within_0_100_and_falls_with_spread(a, b):
    low, high = sorted((a, b))
    assert 0 <= consistency_index(high) <= consistency_index(low) <= 100


@given(arrays(np.float64, st.tuples(st.integers(2, 30), st.just(2)), elements=scores))
def test_icc1_at_most_one(ratings):
    value = icc1(ratings)
    assert value is None or value <= 1 + 1e-9


@given(arrays(np.float64, st.integers(2, 30), elements=scores))
def test_krippendorff_identical_coders_agree_perfectly(values):
    alpha = krippendorff_interval(np.column_stack([values, values]))
    assert alpha is None or abs(alpha - 1) < 1e-9


@pytest.mark.slow  # two model fits per example: ~10 s
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(-50, 50))
@example(seed=242, shift=2.5)  # once stuck at the bound θ = 0
@example(seed=89, shift=2.5)  # once stopped after a poor line search
def test_fit_crossed_shifting_scores_moves_only_the_intercept(seed, shift):
    rng = np.random.default_rng(seed)
    n = 200
    factors = {"a": rng.integers(0, 8, n), "b": rng.integers(0, 5, n)}
    y = 70 + rng.normal(0, 3, 8)[factors["a"]] + rng.normal(0, 2, 5)[factors["b"]]
    y = y + rng.normal(0, 4, n)
    X = np.ones((n, 1))
    base, moved = fit_crossed(y, X, factors), fit_crossed(y + shift, X, factors)
    # Both fits reach the same REML optimum, to the last digits. This once failed in two ways
    # the optimiser now guards against (reports/mixed.py:_minimise): seed 242 stopped at the
    # bound θ = 0, where the even deviance has zero gradient, and seed 89 stopped after a poor
    # line search. Over 1,200 such fits the worst gaps are now 4e-16 (deviance) and 5e-7.
    assert abs(moved.beta[0] - base.beta[0] - shift) < 1e-6
    assert abs(moved.deviance - base.deviance) <= 1e-9 * abs(base.deviance)
    for name, value in base.variances.items():
        assert abs(moved.variances[name] - value) <= 1e-4 * max(value, 1)
