"""Factorisations of A = ΛZ'ZΛ + I for the mixed-model fit (pure).

Every deviance evaluation of :mod:`reports.mixed` factorises A for a new θ. Its pattern never
changes, so the costly part of a sparse Cholesky, the fill-reducing ordering and the symbolic
analysis, is done once per fit (:class:`CholmodPattern`, CHOLMOD through scikit-sparse, as lme4
and MixedModels.jl do) and each evaluation only refills the numbers. Without scikit-sparse
(:data:`HAVE_CHOLMOD` false) the fit falls back to SuperLU (:class:`SuperLU`), which orders and
analyses afresh each time: the same answers, more slowly. :class:`Schur` stays for designs
with one large factor and few other levels, where a dense Schur complement is cheapest.

Each factorisation offers ``logdet``, ``solve(rhs)`` and ``inverse_diagonal()``.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg, sparse
from scipy.sparse import linalg as splinalg

try:
    from sksparse import cholmod
except ImportError:  # scikit-sparse needs SuiteSparse's headers to build: see README
    cholmod = None

HAVE_CHOLMOD = cholmod is not None


class Schur:
    """A = [[D, B], [B', C]] with D diagonal, solved through S = C − B'D⁻¹B (dense).

    Any one factor's block of A is diagonal (a row has one level of it), so taking the
    largest factor as D leaves a small dense problem when the other factors are small: one
    branch per location with thousands of locations costs little more than a dozen."""

    def __init__(self, big: slice, rest: np.ndarray, d: np.ndarray, B: np.ndarray, C: np.ndarray):
        self.big, self.rest, self.d, self.B = big, rest, d, B
        self.DinvB = B / d[:, None]
        self.LS = linalg.cholesky(C - B.T @ self.DinvB, lower=True)
        self.q = len(d) + len(rest)
        self.logdet = float(np.log(d).sum() + 2 * np.log(np.diag(self.LS)).sum())

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        r_big, r_rest = rhs[self.big], rhs[self.rest]
        x_rest = linalg.cho_solve((self.LS, True), r_rest - self.DinvB.T @ r_big)
        d = self.d if rhs.ndim == 1 else self.d[:, None]
        out = np.empty_like(rhs, dtype=float)
        out[self.big] = (r_big - self.B @ x_rest) / d
        out[self.rest] = x_rest
        return out

    def inverse_diagonal(self) -> np.ndarray:
        """diag(A⁻¹): 1/D + rows of (D⁻¹B) S⁻¹ ∘ (D⁻¹B) on D's part, diag(S⁻¹) on C's."""
        Sinv = linalg.cho_solve((self.LS, True), np.eye(len(self.rest)))
        out = np.empty(self.q)
        out[self.big] = 1 / self.d + np.einsum("ij,jk,ik->i", self.DinvB, Sinv, self.DinvB)
        out[self.rest] = np.diag(Sinv)
        return out


class SuperLU:
    """A factorised by SuperLU with a symmetric fill-reducing order, ordered and analysed
    afresh each time (the fallback without CHOLMOD). L is unit-lower, so log|A| is the sum of
    log U_ii."""

    def __init__(self, A: sparse.csc_matrix):
        self.lu = splinalg.splu(
            A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0, options={"SymmetricMode": True}
        )
        u_diag = self.lu.U.diagonal()
        if (u_diag <= 0).any():
            raise linalg.LinAlgError("A is not positive definite")
        self.q = A.shape[0]
        self.logdet = float(np.log(u_diag).sum())

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        return self.lu.solve(rhs)

    def inverse_diagonal(self, chunk: int = 512) -> np.ndarray:
        """diag(A⁻¹) by solving for identity columns a chunk at a time (memory stays small)."""
        out = np.empty(self.q)
        for begin in range(0, self.q, chunk):
            end = min(begin + chunk, self.q)
            block = np.zeros((self.q, end - begin))
            block[np.arange(begin, end), np.arange(end - begin)] = 1.0
            out[begin:end] = self.lu.solve(block)[np.arange(begin, end), np.arange(end - begin)]
        return out


class CholmodPattern:
    """The pattern of Z'Z + I, ordered and analysed once; :meth:`factor` refills it for a Λ."""

    def __init__(self, ZtZ: sparse.csc_matrix):
        q = ZtZ.shape[0]
        self.A = (ZtZ + sparse.identity(q, format="csc")).tocsc()
        self.A.sort_indices()
        self.rows = self.A.indices
        self.cols = np.repeat(np.arange(q), np.diff(self.A.indptr))
        self.diagonal = (self.rows == self.cols).astype(float)
        self.zz = self.A.data - self.diagonal  # Z'Z's counts on the pattern (0 where only I)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "converting to CSC": it already is
            try:  # METIS's nested dissection: InstEval's L 35% sparser than AMD's, each
                # factorisation 2.6× faster; the chain year analysed in 1.1 s, not 3.8
                self.factor_ = cholmod.analyze(self.A, mode="auto", ordering_method="metis")
            except cholmod.CholmodError:  # a SuiteSparse built without METIS
                self.factor_ = cholmod.analyze(self.A, mode="auto", ordering_method="amd")

    def factor(self, lam: np.ndarray) -> Cholmod:
        self.A.data = lam[self.rows] * lam[self.cols] * self.zz + self.diagonal
        try:
            self.factor_.cholesky_inplace(self.A)
        except cholmod.CholmodNotPositiveDefiniteError as error:
            raise linalg.LinAlgError(str(error)) from error
        return Cholmod(self.factor_)


class Cholmod:
    """One numeric factorisation of A on the analysed pattern."""

    def __init__(self, factor):
        self.f = factor
        self.logdet = float(factor.logdet())

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        return self.f.solve_A(rhs)

    def inverse_diagonal(self) -> np.ndarray:
        """diag(A⁻¹), once per fit, by whichever of two exact ways costs less for this L
        (A[P, P] = LL'): Takahashi's equations on L's pattern (:func:`takahashi_cost`) or
        solving for identity columns, about q · nnz(L) (measured: the first on a 5,000-branch
        year, where the second takes minutes; the second on InstEval, whose crossed students
        and lecturers leave hundreds of rows below most diagonals)."""
        L = self.f.L().tocsc()
        L.sort_indices()
        if takahashi_cost(L) > L.shape[0] * L.nnz:
            return self._solved_inverse_diagonal()
        out = np.empty(L.shape[0])
        out[self.f.P()] = selected_inverse_diagonal(L)
        return out

    def _solved_inverse_diagonal(self, chunk: int = 2048) -> np.ndarray:
        """Squared column norms of L⁻¹, a sparse block of identity columns at a time."""
        q = self.f.P().size
        perm_diag = np.empty(q)
        for begin in range(0, q, chunk):
            end = min(begin + chunk, q)
            block = sparse.csc_matrix(
                (np.ones(end - begin), (np.arange(begin, end), np.arange(end - begin))),
                shape=(q, end - begin),
            )
            solved = self.f.solve_L(block, use_LDLt_decomposition=False)
            perm_diag[begin:end] = np.asarray(solved.multiply(solved).sum(axis=0)).ravel()
        out = np.empty(q)
        out[self.f.P()] = perm_diag
        return out


def _dense_tail(counts: np.ndarray) -> int:
    """The first column of L's trailing block that is entirely filled in."""
    q = len(counts)
    full = counts == q - np.arange(q)
    broken = np.flatnonzero(~full)
    return int(broken[-1]) + 1 if len(broken) else 0


PAIRS_AT_ONCE = 2_000_000  # Σ entries gathered per vectorised step (memory: ~100 B each)
TAIL_CELLS_AT_ONCE = 8_000_000  # ... and cells of the dense tail's product per step


def selected_inverse_diagonal(L: sparse.csc_matrix) -> np.ndarray:
    """diag((LL')⁻¹) from L (lower, sorted CSC) by Takahashi's equations:

        Σ[I, j] = −Σ[I, I] l / d,   Σ[j, j] = 1/d² − l·Σ[I, j] / d

    for d = L[j, j], I the rows below it, l = L[I, j]. Σ[I, I] lies on L's pattern (I is a
    clique of the filled graph), so only those entries are kept; the trailing block that the
    factorisation filled in completely (the crossed factor's) is inverted densely. The rows
    below j are its ancestors in the elimination tree, so the columns of one depth in that
    tree need only columns nearer the root: a depth at a time, all its columns at once, the
    dense tail's share as one matrix product (numpy, not a Python step per column)."""
    q = L.shape[0]
    indptr, indices, data = L.indptr, L.indices.astype(np.int64), L.data
    counts = np.diff(indptr)
    keys = np.repeat(np.arange(q, dtype=np.int64), counts) * q + indices
    tail = _dense_tail(counts)
    sigma = np.zeros(len(data))
    diag = np.empty(q)
    sigma_tail = np.zeros((0, 0))
    if q > tail:
        dense_l = L[tail:, tail:].toarray()
        sigma_tail = linalg.cho_solve((dense_l, True), np.eye(q - tail))
        diag[tail:] = np.diag(sigma_tail)
    step = _Takahashi(indptr, indices, data, keys, sigma, diag, sigma_tail, tail)
    pairs = _sparse_pairs(indptr, indices, tail)
    for columns in _by_depth(indptr, indices, tail):
        for chunk in _chunks(columns, pairs[columns], q - tail):
            step(chunk)
    return diag


def takahashi_cost(L: sparse.csc_matrix) -> float:
    """Gathered pairs plus dense-tail products of :func:`selected_inverse_diagonal`, in
    units of one multiply-add of a solve for identity columns (measured on InstEval and the
    chain year: a gathered pair costs 200–800 of them, a dense multiply-add ~0.1). The
    choice is wide on both: 3 s against minutes on the year, 5.7 s against 25 s on InstEval."""
    counts = np.diff(L.indptr)
    tail = _dense_tail(counts)
    pairs = float(_sparse_pairs(L.indptr, L.indices, tail).sum())
    return 500 * pairs + 0.1 * float(L.shape[0] - tail) ** 2 * tail


def _sparse_pairs(indptr: np.ndarray, indices: np.ndarray, tail: int) -> np.ndarray:
    """Per column before ``tail``: (rows below it before the tail) × (all rows below it)."""
    below = np.diff(indptr[: tail + 1]) - 1
    sparse_rows = np.diff(np.r_[0, np.cumsum(indices < tail)][indptr[: tail + 1]]) - 1
    return sparse_rows.astype(np.int64) * below


def _by_depth(indptr: np.ndarray, indices: np.ndarray, tail: int) -> list[np.ndarray]:
    """The columns before ``tail`` grouped by depth in the elimination tree (parent: the
    first row below the diagonal), nearest the root first."""
    if not tail:
        return []
    has_parent = np.diff(indptr[: tail + 1]) > 1
    parent = np.where(has_parent, indices[np.minimum(indptr[:tail] + 1, len(indices) - 1)], -1)
    parent = np.where(parent < tail, parent, -1).tolist()
    depth = [0] * tail
    for j in range(tail - 1, -1, -1):  # a parent comes after its child
        if parent[j] >= 0:
            depth[j] = depth[parent[j]] + 1
    order = np.argsort(np.array(depth), kind="stable")
    bounds = np.flatnonzero(np.diff(np.array(depth)[order])) + 1
    return np.split(order, bounds)


def _chunks(columns: np.ndarray, pairs: np.ndarray, tail_size: int) -> list[np.ndarray]:
    """``columns`` in pieces of at most :data:`PAIRS_AT_ONCE` gathered pairs and
    :data:`TAIL_CELLS_AT_ONCE` cells of the tail's product."""
    cost = np.maximum(
        np.cumsum(pairs) / PAIRS_AT_ONCE,
        np.arange(1, len(columns) + 1) * max(tail_size, 1) / TAIL_CELLS_AT_ONCE,
    )
    return np.split(columns, np.flatnonzero(np.diff(np.floor(cost))) + 1)


class _Takahashi:
    """Takahashi's equations for a set of columns none of which is below another."""

    def __init__(self, indptr, indices, data, keys, sigma, diag, sigma_tail, tail):
        self.indptr, self.indices, self.data, self.keys = indptr, indices, data, keys
        self.sigma, self.diag, self.sigma_tail, self.tail = sigma, diag, sigma_tail, tail
        self.q = len(indptr) - 1

    def __call__(self, columns: np.ndarray) -> None:
        indptr, indices, data, tail = self.indptr, self.indices, self.data, self.tail
        m = (indptr[columns + 1] - indptr[columns] - 1).astype(np.int64)
        d = data[indptr[columns]]
        bare = m == 0
        self.diag[columns[bare]] = 1 / (d[bare] * d[bare])
        self.sigma[indptr[columns[bare]]] = self.diag[columns[bare]]
        columns, m, d = columns[~bare], m[~bare], d[~bare]
        if not len(columns):
            return
        # the entries below each diagonal, concatenated, and each one's column in this step
        first = np.cumsum(m) - m
        owner = np.repeat(np.arange(len(columns)), m)
        entry = np.repeat(indptr[columns] + 1 - first, m) + np.arange(m.sum())
        rows, l_values = indices[entry], data[entry]
        in_tail = rows >= tail
        # Σ[I, I] l over the tail rows of both: one product with the dense tail's inverse
        scattered = np.zeros((self.q - tail, len(columns)))
        scattered[rows[in_tail] - tail, owner[in_tail]] = l_values[in_tail]
        total = np.zeros(len(rows))
        total[in_tail] = (self.sigma_tail @ scattered)[rows[in_tail] - tail, owner[in_tail]]
        # ... and over pairs with a sparse row a (rows are sorted: those come first), once
        # for a and, when b is in the tail, once for b (Σ is symmetric)
        sparse_rows = np.bincount(owner, ~in_tail, len(columns)).astype(np.int64)
        pairs = sparse_rows * m
        pair_owner = np.repeat(np.arange(len(columns)), pairs)
        within = np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs)
        a = first[pair_owner] + within // m[pair_owner]
        b = first[pair_owner] + within % m[pair_owner]
        ra, rb = rows[a], rows[b]
        found = np.searchsorted(self.keys, np.minimum(ra, rb) * self.q + np.maximum(ra, rb))
        values = self.sigma[found]
        total += np.bincount(a, values * l_values[b], len(rows))
        to_tail = in_tail[b]
        total += np.bincount(b[to_tail], values[to_tail] * l_values[a[to_tail]], len(rows))
        z = -total / d[owner]
        self.sigma[entry] = z
        diagonal = 1 / (d * d) - np.bincount(owner, l_values * z, len(columns)) / d
        self.diag[columns] = diagonal
        self.sigma[indptr[columns]] = diagonal
