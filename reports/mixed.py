"""Crossed random effects by REML, fast: y = Xβ + Σ_k Z_k u_k + e (pure).

Each random factor k has independent effects u_k ~ N(0, σ²_k) and e ~ N(0, σ²). The model is
fitted as lme4 does (Bates et al. 2015, "Fitting linear mixed-effects models using lme4"):
with Λ = diag(θ_k) (θ_k = σ_k / σ) the penalised least-squares system

    [Λ Z'Z Λ + I   Λ Z'X] [ũ]   [Λ Z'y]
    [X'Z Λ         X'X  ] [β] = [X'y  ]

gives the profiled REML deviance from two Cholesky factors. Every term is a cross-product, so
after one pass over the data (sparse Z'Z) each evaluation costs O((q + p)³) for q effects and
p fixed columns, whatever the number of audits: that is where the speed comes from. The
θ are found on the bounded deviance (θ ≥ 0 allows a component to vanish). A = ΛZ'ZΛ + I is
factorised (:mod:`reports.cholesky`) through the Schur complement of its largest factor's
(diagonal) block when the other factors are few, searching by L-BFGS-B; past that by CHOLMOD,
ordered and analysed once per fit, searching derivative-free (COBYQA) from moment estimates;
SuperLU and L-BFGS-B when scikit-sparse is not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, sparse
from threadpoolctl import threadpool_limits

from . import cholesky
from .cholesky import Cholmod, Schur, SuperLU


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


SCHUR_MAX = 3000  # the dense Schur complement is used up to this many other effects
SCHUR_CELLS = 20_000_000  # ... and while the coupling block stays this small (floats)
# ... and while forming it (big × rest² multiply-adds a step) stays cheap. Past that the sparse
# LU wins by far: 200 branches with 1,200 staff and 108 shoppers, 0.11 s a step dense against
# 0.01 s sparse, with the same estimates.
SCHUR_FLOPS = 50_000_000


class _Deviance:
    """The profiled REML deviance as a function of θ, from precomputed cross-products."""

    def __init__(
        self,
        y: np.ndarray,
        X: np.ndarray,
        Z: sparse.csr_matrix,
        spans: list[slice],
        *,
        use_cholmod: bool | None = None,
        progress: FitProgress | None = None,
    ):
        self.n, self.p = X.shape
        self.evaluations, self.progress = 0, progress
        self.q = Z.shape[1]
        self.ZtZ = (Z.T @ Z).tocsc()
        self.ZtX = np.asarray(Z.T @ X)
        self.XtX = X.T @ X
        self.Zty = np.asarray(Z.T @ y).ravel()
        self.Xty = X.T @ y
        self.yty = float(y @ y)
        self.spans = spans
        self.big = max(spans, key=lambda span: span.stop - span.start)
        self.rest = np.setdiff1d(np.arange(self.q), np.arange(self.big.start, self.big.stop))
        size = self.big.stop - self.big.start
        self.schur = (
            len(self.rest) <= SCHUR_MAX
            and size * len(self.rest) <= SCHUR_CELLS
            and size * len(self.rest) ** 2 <= SCHUR_FLOPS
        )
        if self.schur:
            self.zz_big = self.ZtZ.diagonal()[self.big]
            self.zz_br = self.ZtZ[self.big][:, self.rest].toarray()
            self.zz_rr = self.ZtZ[self.rest][:, self.rest].toarray()
        if use_cholmod is None:
            use_cholmod = cholesky.HAVE_CHOLMOD
        self.pattern = None if self.schur or not use_cholmod else cholesky.CholmodPattern(self.ZtZ)
        self.expected = _expected_evaluations(len(spans), derivative_free=self.pattern is not None)

    def lam(self, theta: np.ndarray) -> np.ndarray:
        diag = np.zeros(self.q)
        for t, span in zip(theta, self.spans, strict=True):
            diag[span] = t
        return diag

    def factor(self, lam: np.ndarray) -> Schur | SuperLU | Cholmod:
        """A = ΛZ'ZΛ + I, factorised."""
        if self.schur:
            lb, lr = lam[self.big], lam[self.rest]
            C = lr[:, None] * self.zz_rr * lr[None, :] + np.eye(len(lr))
            B = lb[:, None] * self.zz_br * lr[None, :]
            return Schur(self.big, self.rest, lb * lb * self.zz_big + 1, B, C)
        if self.pattern is not None:
            return self.pattern.factor(lam)
        scale = sparse.diags(lam)
        return SuperLU((scale @ self.ZtZ @ scale + sparse.identity(self.q)).tocsc())

    def solve(self, theta: np.ndarray) -> _Solution:
        lam = self.lam(theta)
        A = self.factor(lam)
        B = lam[:, None] * self.ZtX  # Λ Z'X
        rhs = lam * self.Zty
        AinvB = A.solve(B) if self.p > 1 else A.solve(B.ravel())[:, None]
        M = self.XtX - B.T @ AinvB
        LX = linalg.cholesky(M, lower=True)
        beta = linalg.cho_solve((LX, True), self.Xty - AinvB.T @ rhs)
        u_tilde = A.solve(rhs - B @ beta)
        rss = max(self.yty - self.Xty @ beta - rhs @ u_tilde, 1e-12)  # penalised RSS
        logdet = A.logdet + 2 * float(np.log(np.diag(LX)).sum())
        return _Solution(A, LX, AinvB, beta, u_tilde, lam, rss, logdet)

    def __call__(self, theta: np.ndarray) -> float:
        try:
            solution = self.solve(theta)
        except (linalg.LinAlgError, RuntimeError):
            return 1e300
        finally:
            self._count()
        df = self.n - self.p
        return float(solution.logdet + df * (1 + np.log(2 * np.pi * solution.rss / df)))

    def _count(self) -> None:
        """One more evaluation, told as a share of those a search usually takes: 1 − e^(−2r)
        for r evaluations done per expected one (86 % at the usual count), so the share only
        grows and reaches 1 only when the fit is done, however long the search runs."""
        self.evaluations += 1
        if self.progress is not None:
            self.progress(float(1 - np.exp(-2 * self.evaluations / self.expected)))


@dataclass(frozen=True)
class _Solution:
    A: Schur | SuperLU | Cholmod
    LX: np.ndarray
    AinvB: np.ndarray
    beta: np.ndarray
    u_tilde: np.ndarray
    lam: np.ndarray
    rss: float
    logdet: float


FitProgress = Callable[[float], None]
"""Told the share of a fit done (0 to 1, never less than before) after each evaluation of the
deviance, in the thread that fits; it should return at once (a job's bar, say)."""


def _expected_evaluations(k: int, *, derivative_free: bool) -> int:
    """Deviance evaluations a search usually takes for ``k`` terms: COBYQA from moment starts
    ~15 a term (the chain year 56, InstEval 59 for 4), L-BFGS-B's central differences 2k + 1 a
    step for some 15 steps."""
    return max(15 * k, 10) if derivative_free else 15 * (2 * k + 1)


def fit_crossed(
    y: np.ndarray,
    X: np.ndarray,
    factors: dict[str, np.ndarray],
    *,
    start: float = 0.5,
    progress: FitProgress | None = None,
) -> MixedFit:
    """REML fit of ``y`` on fixed columns ``X`` with one random intercept per factor.

    ``factors`` maps a name to integer codes per row (-1: the row has no level of it, e.g. an
    audit with no staff member named); with none it is plain least squares. ``X`` must have
    full column rank and fewer columns than rows. BLAS runs on one thread: the matrices are
    small, and a threaded BLAS on a busy machine spends 5× longer fighting over the cores.
    ``progress`` follows the search (:data:`FitProgress`); it changes nothing of the fit.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_crossed(y, X, factors, start, progress)


def _search(
    dev: _Deviance, start: np.ndarray, radius: float | None = None
) -> optimize.OptimizeResult:
    """L-BFGS-B with a central-difference gradient (2k + 1 evaluations a step) where
    evaluations are cheap (the dense Schur path); where each one is a sparse factorisation,
    COBYQA (Powell's derivative-free successor to BOBYQA, lme4's default). Its first
    trust region stays inside θ ≥ 0 (half the smallest start): a region reaching the bound
    moves the start onto it and spends the first model's 2k + 1 points on θ = 0, 1, 2.
    With moment start values (:func:`moment_start`) and no second search, the chain year
    takes 56 evaluations against 151, InstEval 59 against 98 (docs/benchmarks.md)."""
    if dev.pattern is not None:
        if radius is None:
            radius = 0.5 * float(start.min())
        return optimize.minimize(
            dev,
            start,
            method="COBYQA",
            bounds=[(0.0, None)] * len(start),
            options={"initial_tr_radius": radius, "final_tr_radius": 1e-7, "maxfev": 2000},
        )
    return optimize.minimize(
        dev,
        start,
        method="L-BFGS-B",
        jac="3-point",  # central differences: forward ones lose the gradient's last digits
        # and stop the search early on flat directions
        bounds=[(0.0, None)] * len(start),
        options={"ftol": 1e-12, "gtol": 1e-7, "maxiter": 500},
    )


RESTARTS = 3
PROBES = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)  # θ tried off the bound (θ is a relative SD)


def _minimise(dev: _Deviance, start: np.ndarray) -> optimize.OptimizeResult:
    """A search, then again from its answer until a fresh start gains nothing.

    Two traps. The deviance is even in each θ, so its gradient at the bound θ = 0 is exactly
    zero even where θ = 0 is a maximum along that axis: a search that lands there stops
    (seed 242 of the shift property test: θ_b = 0 at deviance 1142.85, the optimum θ_b = 0.125
    at 1142.35). So a vanished component is probed at a few values off the bound and the next
    search starts from the best. And a search can stop on "relative reduction of f" after one
    poor line search, the gradient still far from zero (seed 89: 1112.32 against 1112.09),
    which a fresh start from the same point cures. At a true optimum this costs one short
    search and a few probes. The second trap is L-BFGS-B's: COBYQA's trust region does not
    stop on one poor step, so on the sparse path a search starts again only from a probe that
    gained (a second search from InstEval's and the chain year's answers never did)."""
    result = _search(dev, start)
    for _ in range(RESTARTS):
        probed = _probe_bounds(dev, result.x, result.fun)
        if dev.pattern is not None and (probed == result.x).all():
            break  # a trust region does not stop on one poor line search: only the bound trap
        # from the answer: a small first step, the search has already come this far
        again = _search(dev, probed, radius=0.05)
        gained = result.fun - again.fun
        if gained > 0:
            result = again
        if gained <= 1e-9 * abs(result.fun):
            break
    return result


SWEEPS = 3


def moment_start(y: np.ndarray, factors: dict[str, np.ndarray]) -> np.ndarray:
    """Rough θ for the search to start from, in O(rows): backfitting, each factor's variance
    by a one-way ANOVA (Searle's n₀) of what the other factors' shrunken means leave, a few
    sweeps (one sweep lets a branch soak up its nested shifts' variance)."""
    y = np.asarray(y, float)
    effects = [np.zeros(len(y)) for _ in factors]
    between = np.zeros(len(factors))
    for _ in range(SWEEPS):
        for k, codes in enumerate(factors.values()):
            resid = y - sum(effects) + effects[k]
            between[k], effects[k] = _one_way(resid, codes)
    residual = max(float((y - sum(effects)).var()), 1e-12)
    return np.clip(np.sqrt(between / residual), 0.05, 2.0)


def _one_way(resid: np.ndarray, codes: np.ndarray) -> tuple[float, np.ndarray]:
    """The between-level variance of ``resid`` (ANOVA, at least 0) and each row's shrunken
    level mean."""
    keep = codes >= 0
    n = np.bincount(codes[keep]).astype(float)
    seen = n > 0
    groups, total = int(seen.sum()), float(n.sum())
    sums = np.bincount(codes[keep], resid[keep], len(n))
    means = np.divide(sums, n, out=np.zeros(len(n)), where=seen)
    within = float(((resid[keep] - means[codes[keep]]) ** 2).sum()) / max(total - groups, 1)
    grand = sums.sum() / max(total, 1)
    spread = float((n * (means - grand) ** 2).sum()) / max(groups - 1, 1)
    n0 = (total - (n * n).sum() / max(total, 1)) / max(groups - 1, 1)
    variance = max((spread - within) / max(n0, 1e-12), 0.0)
    weight = n * variance + within
    shrink = np.divide(n * variance, weight, out=np.zeros(len(n)), where=seen & (weight > 0))
    row = np.zeros(len(resid))
    row[keep] = (shrink * (means - grand))[codes[keep]]
    return variance, row


def _probe_bounds(dev: _Deviance, x: np.ndarray, fun: float) -> np.ndarray:
    """``x`` with each component at the bound moved to the probe that lowers the deviance
    most (left at the bound when none does)."""
    best, best_fun = x.copy(), fun
    for j in np.flatnonzero(x < 1e-6):
        for value in PROBES:
            trial = best.copy()
            trial[j] = value
            trial_fun = dev(trial)
            if trial_fun < best_fun:
                best, best_fun = trial, trial_fun
    return best


def _fit_crossed(
    y: np.ndarray,
    X: np.ndarray,
    factors: dict[str, np.ndarray],
    start: float,
    progress: FitProgress | None = None,
) -> MixedFit:
    X = np.asarray(X, float)
    # Fit the residuals of the least-squares fixed part (β shifts back after): y'y then
    # stays the size of the penalised RSS, which keeps the deviance's digits.
    offset = np.linalg.lstsq(X, np.asarray(y, float), rcond=None)[0]
    y = np.asarray(y, float) - X @ offset
    if not factors:
        return _fixed_only(y, X, offset)
    Z, spans = _design(factors, len(y))
    dev = _Deviance(y, X, Z, spans, progress=progress)
    first = np.full(len(factors), start)
    if dev.pattern is not None:  # each evaluation a sparse factorisation: start nearer
        first = moment_start(y, factors)
    result = _minimise(dev, first)
    theta = result.x
    sol = dev.solve(theta)
    sigma2 = sol.rss / (dev.n - dev.p)
    # Prediction-error variances, diagonal only: σ² Λ [A⁻¹ + A⁻¹B M⁻¹ B'A⁻¹] Λ, B = ΛZ'X.
    Minv = linalg.cho_solve((sol.LX, True), np.eye(dev.p))
    extra = np.einsum("ij,jk,ik->i", sol.AinvB, Minv, sol.AinvB)
    lam = sol.lam
    pev_all = sigma2 * lam**2 * (sol.A.inverse_diagonal() + extra)
    beta = sol.beta + offset
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


def _fixed_only(y: np.ndarray, X: np.ndarray, offset: np.ndarray) -> MixedFit:
    """No random term to fit (one branch, one shopper, ...): least squares, σ² on n − p."""
    n, p = X.shape
    rss = max(float(y @ y), 1e-12)  # y is already the least-squares residual
    sigma2 = rss / (n - p)
    logdet = float(np.linalg.slogdet(X.T @ X)[1])
    return MixedFit(
        names=(),
        variances={"residual": sigma2},
        beta=offset,
        beta_cov=sigma2 * np.linalg.pinv(X.T @ X),
        effects={},
        pev={},
        fitted_fixed=X @ offset,
        deviance=logdet + (n - p) * (1 + float(np.log(2 * np.pi * sigma2))),
        iterations=0,
    )
