"""Crossed random effects by REML, fast: y = Xβ + Σ_k Z_k u_k + e (pure).

Each random factor k has independent effects u_k ~ N(0, σ²_k) and e ~ N(0, σ²). The model is
fitted as lme4 does (Bates et al. 2015, "Fitting linear mixed-effects models using lme4"):
with Λ = diag(θ_k) (θ_k = σ_k / σ) the penalised least-squares system

    [Λ Z'Z Λ + I   Λ Z'X] [ũ]   [Λ Z'y]
    [X'Z Λ         X'X  ] [β] = [X'y  ]

gives the profiled REML deviance from two Cholesky factors. Every term is a cross-product, so
after one pass over the data (sparse Z'Z) each evaluation costs O((q + p)³) for q effects and
p fixed columns, whatever the number of audits: that is where the speed comes from. The
θ are found by L-BFGS-B on the bounded deviance (θ ≥ 0 allows a component to vanish).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, sparse
from scipy.sparse import linalg as splinalg


@dataclass(frozen=True)
class MixedFit:
    """A fitted model. ``effects[name]`` are the BLUPs of that factor's levels (its codes),
    ``pev[name]`` their prediction-error variances; ``fitted_fixed`` is Xβ per row."""

    names: tuple[str, ...]
    variances: dict[str, float]  # σ²_k per factor, plus "residual"
    beta: np.ndarray
    beta_cov: np.ndarray
    effects: dict[str, np.ndarray]
    pev: dict[str, np.ndarray]
    fitted_fixed: np.ndarray
    deviance: float
    iterations: int

    def total_variance(self) -> float:
        return float(sum(self.variances.values()))

    def shares(self) -> dict[str, float]:
        total = self.total_variance()
        return {name: v / total for name, v in self.variances.items()}


def _design(codes: dict[str, np.ndarray], n: int) -> tuple[sparse.csr_matrix, list[slice]]:
    """Z as one sparse indicator matrix (rows with code -1 have no effect of that factor)."""
    blocks, spans, start = [], [], 0
    for values in codes.values():
        levels = int(values.max()) + 1 if len(values) and values.max() >= 0 else 0
        keep = values >= 0
        rows = np.flatnonzero(keep)
        blocks.append(
            sparse.csr_matrix((np.ones(len(rows)), (rows, values[keep])), shape=(n, levels))
        )
        spans.append(slice(start, start + levels))
        start += levels
    return sparse.hstack(blocks, format="csr"), spans


class _Deviance:
    """The profiled REML deviance as a function of θ, from precomputed cross-products.

    A = ΛZ'ZΛ + I is sparse (nested factors are block-diagonal), so it is factorised by
    SuperLU with a symmetric fill-reducing order: thousands of branches cost little more than
    dozens. Its unit-lower L makes log|A| the sum of log U_ii.
    """

    def __init__(self, y: np.ndarray, X: np.ndarray, Z: sparse.csr_matrix, spans: list[slice]):
        self.n, self.p = X.shape
        self.q = Z.shape[1]
        self.ZtZ = (Z.T @ Z).tocsc()
        self.ZtX = np.asarray(Z.T @ X)
        self.XtX = X.T @ X
        self.Zty = np.asarray(Z.T @ y).ravel()
        self.Xty = X.T @ y
        self.yty = float(y @ y)
        self.spans = spans

    def lam(self, theta: np.ndarray) -> np.ndarray:
        diag = np.zeros(self.q)
        for t, span in zip(theta, self.spans, strict=True):
            diag[span] = t
        return diag

    def solve(self, theta: np.ndarray) -> _Solution:
        lam = self.lam(theta)
        scale = sparse.diags(lam)
        A = (scale @ self.ZtZ @ scale + sparse.identity(self.q)).tocsc()
        lu = splinalg.splu(
            A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0, options={"SymmetricMode": True}
        )
        u_diag = lu.U.diagonal()
        if (u_diag <= 0).any():
            raise linalg.LinAlgError("A is not positive definite")
        B = lam[:, None] * self.ZtX  # Λ Z'X
        rhs = lam * self.Zty
        AinvB = lu.solve(B) if self.p > 1 else lu.solve(B.ravel())[:, None]
        M = self.XtX - B.T @ AinvB
        LX = linalg.cholesky(M, lower=True)
        beta = linalg.cho_solve((LX, True), self.Xty - AinvB.T @ rhs)
        u_tilde = lu.solve(rhs - B @ beta)
        rss = max(self.yty - self.Xty @ beta - rhs @ u_tilde, 1e-12)  # penalised RSS
        logdet = float(np.log(u_diag).sum() + 2 * np.log(np.diag(LX)).sum())
        return _Solution(lu, A, LX, AinvB, beta, u_tilde, lam, rss, logdet)

    def __call__(self, theta: np.ndarray) -> float:
        try:
            solution = self.solve(theta)
        except (linalg.LinAlgError, RuntimeError):
            return 1e300
        df = self.n - self.p
        return float(solution.logdet + df * (1 + np.log(2 * np.pi * solution.rss / df)))


@dataclass(frozen=True)
class _Solution:
    lu: splinalg.SuperLU
    A: sparse.csc_matrix
    LX: np.ndarray
    AinvB: np.ndarray
    beta: np.ndarray
    u_tilde: np.ndarray
    lam: np.ndarray
    rss: float
    logdet: float


SCHUR_MAX = 3000  # the dense Schur complement is used up to this many other effects


def _inverse_diagonal(
    lu: splinalg.SuperLU, A: sparse.csc_matrix, spans: list[slice], chunk: int = 512
) -> np.ndarray:
    """diag(A⁻¹). Any one factor's block of A is diagonal (a row has one level of it), so
    with the largest factor's block D and the rest C: diag(A⁻¹) is 1/D + the row sums of
    (D⁻¹B) S⁻¹ ∘ (D⁻¹B) on D's part and diag(S⁻¹) on C's, S = C − B'D⁻¹B, dense but small
    when the other factors are. Otherwise, solves for identity columns a chunk at a time."""
    q = A.shape[0]
    big = max(spans, key=lambda span: span.stop - span.start)
    rest = np.setdiff1d(np.arange(q), np.arange(big.start, big.stop))
    if len(rest) <= SCHUR_MAX:
        d = A.diagonal()[big]
        B = A[big][:, rest].toarray()
        DinvB = B / d[:, None]
        S = A[rest][:, rest].toarray() - B.T @ DinvB
        Sinv = linalg.inv(S)
        out = np.empty(q)
        out[big] = 1 / d + np.einsum("ij,jk,ik->i", DinvB, Sinv, DinvB)
        out[rest] = np.diag(Sinv)
        return out
    out = np.empty(q)
    for begin in range(0, q, chunk):
        end = min(begin + chunk, q)
        block = np.zeros((q, end - begin))
        block[np.arange(begin, end), np.arange(end - begin)] = 1.0
        out[begin:end] = lu.solve(block)[np.arange(begin, end), np.arange(end - begin)]
    return out


def fit_crossed(
    y: np.ndarray, X: np.ndarray, factors: dict[str, np.ndarray], *, start: float = 0.5
) -> MixedFit:
    """REML fit of ``y`` on fixed columns ``X`` with one random intercept per factor.

    ``factors`` maps a name to integer codes per row (-1: the row has no level of it, e.g. an
    audit with no staff member named).
    """
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    Z, spans = _design(factors, len(y))
    dev = _Deviance(y, X, Z, spans)
    k = len(factors)
    result = optimize.minimize(
        dev,
        np.full(k, start),
        method="L-BFGS-B",
        jac="3-point",  # central differences: the deviance is ~10⁵ at 50k audits, forward ones
        # lose the gradient's last digits and stop the search early on flat directions
        bounds=[(0.0, None)] * k,
        options={"ftol": 1e-12, "gtol": 1e-7, "maxiter": 500},
    )
    theta = result.x
    sol = dev.solve(theta)
    sigma2 = sol.rss / (dev.n - dev.p)
    # Prediction-error variances, diagonal only: σ² Λ [A⁻¹ + A⁻¹B M⁻¹ B'A⁻¹] Λ, B = ΛZ'X.
    Minv = linalg.cho_solve((sol.LX, True), np.eye(dev.p))
    extra = np.einsum("ij,jk,ik->i", sol.AinvB, Minv, sol.AinvB)
    lam = sol.lam
    pev_all = sigma2 * lam**2 * (_inverse_diagonal(sol.lu, sol.A, dev.spans) + extra)
    beta = sol.beta
    u_tilde = sol.u_tilde
    u = lam * u_tilde
    names = tuple(factors)
    variances = {name: float(sigma2 * t * t) for name, t in zip(names, theta, strict=True)}
    variances["residual"] = float(sigma2)
    return MixedFit(
        names=names,
        variances=variances,
        beta=beta,
        beta_cov=sigma2 * Minv,
        effects={name: u[span] for name, span in zip(names, spans, strict=True)},
        pev={name: pev_all[span] for name, span in zip(names, spans, strict=True)},
        fitted_fixed=X @ beta,
        deviance=float(result.fun),
        iterations=int(result.nit),
    )
