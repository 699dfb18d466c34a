"""The fit's sparse factorisations: CHOLMOD (ordered and analysed once) and the SuperLU
fallback give the same fit; the dense Schur path agrees with both."""

import numpy as np
import pytest

from reports import cholesky, mixed
from reports.mixed import _design, _Deviance, fit_crossed

needs_cholmod = pytest.mark.skipif(not cholesky.HAVE_CHOLMOD, reason="scikit-sparse missing")


def _crossed(seed: int = 3, n: int = 900):
    """Branches with nested staff, crossed by shoppers (planted 4, 2, 3; residual 9)."""
    rng = np.random.default_rng(seed)
    branch = rng.integers(0, 60, n)
    staff = branch * 4 + rng.integers(0, 4, n)
    auditor = rng.integers(0, 25, n)
    y = (
        70
        + rng.normal(0, 2, 60)[branch]
        + rng.normal(0, np.sqrt(2), 240)[staff]
        + rng.normal(0, np.sqrt(3), 25)[auditor]
        + rng.normal(0, 3, n)
    )
    X = np.column_stack([np.ones(n), rng.integers(0, 2, n)])
    return y, X, {"branch": branch, "staff": staff, "auditor": auditor}


def _sparse_fit(monkeypatch, use_cholmod: bool):
    monkeypatch.setattr(mixed, "SCHUR_MAX", 0)  # the sparse path, whatever the sizes
    monkeypatch.setattr(cholesky, "HAVE_CHOLMOD", use_cholmod)
    return fit_crossed(*_crossed())


@needs_cholmod
def test_cholmod_and_superlu_fits_agree(monkeypatch):
    fast, slow = _sparse_fit(monkeypatch, True), _sparse_fit(monkeypatch, False)
    for name, value in slow.variances.items():
        assert fast.variances[name] == pytest.approx(value, rel=1e-4, abs=1e-6)
    assert fast.deviance == pytest.approx(slow.deviance, abs=1e-6)
    for name in slow.effects:
        np.testing.assert_allclose(fast.effects[name], slow.effects[name], atol=1e-4)
        np.testing.assert_allclose(fast.pev[name], slow.pev[name], rtol=1e-4)


def test_superlu_fallback_matches_the_dense_schur_path(monkeypatch):
    monkeypatch.setattr(cholesky, "HAVE_CHOLMOD", False)
    dense = fit_crossed(*_crossed())
    fallback = _sparse_fit(monkeypatch, False)
    for name, value in dense.variances.items():
        assert fallback.variances[name] == pytest.approx(value, rel=1e-4, abs=1e-6)


@needs_cholmod
@pytest.mark.parametrize("theta", [(0.5, 0.4, 0.6), (1.0, 0.0, 0.2), (0.0, 0.0, 0.0)])
def test_cholmod_deviance_log_determinant_and_solves_match_superlu(monkeypatch, theta):
    monkeypatch.setattr(mixed, "SCHUR_MAX", 0)
    y, X, factors = _crossed()
    Z, spans = _design(factors, len(y))
    fast = _Deviance(y, X, Z, spans, use_cholmod=True)
    slow = _Deviance(y, X, Z, spans, use_cholmod=False)
    theta = np.array(theta)
    assert fast(theta) == pytest.approx(slow(theta), abs=1e-8)
    a, b = fast.solve(theta).A, slow.solve(theta).A
    assert isinstance(a, cholesky.Cholmod) and isinstance(b, cholesky.SuperLU)
    assert a.logdet == pytest.approx(b.logdet, abs=1e-8)
    np.testing.assert_allclose(a.inverse_diagonal(), b.inverse_diagonal(), rtol=1e-9)


def test_cholmod_is_what_the_analysis_uses_when_installed():
    # .ci/system-packages installs SuiteSparse's headers, so CI fits with CHOLMOD
    assert cholesky.HAVE_CHOLMOD


@needs_cholmod
def test_both_ways_to_the_inverse_diagonal_agree_with_a_dense_inverse(monkeypatch):
    monkeypatch.setattr(mixed, "SCHUR_MAX", 0)
    y, X, factors = _crossed()
    Z, spans = _design(factors, len(y))
    A = _Deviance(y, X, Z, spans, use_cholmod=True).solve(np.array([0.7, 0.3, 0.5])).A
    lam = np.repeat([0.7, 0.3, 0.5], [s.stop - s.start for s in spans])
    dense = (Z.T @ Z).toarray() * np.outer(lam, lam) + np.eye(len(lam))
    expected = np.diag(np.linalg.inv(dense))
    assert isinstance(A, cholesky.Cholmod)
    np.testing.assert_allclose(A._solved_inverse_diagonal(), expected, rtol=1e-9)
    L = A.f.L().tocsc()
    L.sort_indices()
    takahashi = np.empty(len(lam))
    takahashi[A.f.P()] = cholesky.selected_inverse_diagonal(L)
    np.testing.assert_allclose(takahashi, expected, rtol=1e-9)
