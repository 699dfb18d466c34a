"""The per-member and per-branch figures computed in one pass over the visits equal the same
figures read one member or branch at a time; Takahashi's equations done a tree depth at a
time, in small pieces, equal a dense inverse."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from bench.scaled_frames import scaled_frame
from checklists.documents import load_checklist
from reports import cholesky, mixed
from reports.branches import _spreads
from reports.mixed import _design, _Deviance
from reports.model import fit_frame
from reports.people import _group_sd, _sorted_medians

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_member_sd_and_median_in_one_pass_equal_numpy_per_member(seed):
    rng = np.random.default_rng(seed)
    codes = rng.integers(-1, 40, 500)
    codes[codes == 7] = -1  # a member with no visits
    codes[np.flatnonzero(codes == 8)[1:]] = 9  # and one with a single visit
    values = rng.normal(70, 10, 500)
    sds = _group_sd(values, codes, 40)
    keep = codes >= 0
    order = np.lexsort((values[keep], codes[keep]))
    n = np.bincount(codes[keep], minlength=40)
    starts = np.concatenate([[0], np.cumsum(n)])[:-1]
    medians = _sorted_medians(values[keep][order], starts, n)
    for code in range(40):
        own = values[codes == code]
        if len(own) >= 2:
            assert sds[code] == pytest.approx(own.std(ddof=1), rel=1e-12)
        else:
            assert np.isnan(sds[code])
        assert medians[code] == (np.median(own) if len(own) else 0.0)


def test_branch_spreads_in_one_pass_equal_reading_each_branch():
    doc = load_checklist((ROOT / "checklists/defaults/service-fundamentals.yaml").read_text())
    model = fit_frame(scaled_frame(doc, 3000, seed=5, start=dt.date(2025, 1, 6)))
    frame = model.frame
    spreads = _spreads(model)
    shift_level = model.fit.fitted_fixed + model.row_effect["branch_shift"]
    for branch in range(len(frame.branch.levels)):
        rows = frame.branch.codes == branch
        first = [
            shift_level[rows & (frame.shift.codes == s)][0]
            for s in np.unique(frame.shift.codes[rows])
            if s >= 0
        ]
        staff = model.effect("staff")[np.unique(frame.staff.codes[rows & (frame.staff.codes >= 0)])]
        expected_shift = max(first) - min(first) if len(first) > 1 else np.nan
        expected_staff = np.ptp(staff) if len(staff) > 1 else np.nan
        np.testing.assert_equal(spreads.shift[branch], expected_shift)
        np.testing.assert_equal(spreads.staff[branch], expected_staff)


@pytest.mark.skipif(not cholesky.HAVE_CHOLMOD, reason="scikit-sparse missing")
@pytest.mark.parametrize("pairs_at_once", [50, 2_000_000])
def test_takahashi_by_tree_depth_in_pieces_equals_a_dense_inverse(monkeypatch, pairs_at_once):
    monkeypatch.setattr(mixed, "SCHUR_MAX", 0)
    monkeypatch.setattr(cholesky, "PAIRS_AT_ONCE", pairs_at_once)
    monkeypatch.setattr(cholesky, "TAIL_CELLS_AT_ONCE", 200)
    rng = np.random.default_rng(11)
    n = 1500
    branch = rng.integers(0, 80, n)
    cell = branch * 3 + rng.integers(0, 3, n)
    staff = branch * 5 + rng.integers(0, 5, n)
    auditor = rng.integers(0, 20, n)
    factors = {"branch": branch, "cell": cell, "staff": staff, "auditor": auditor}
    y = rng.normal(70, 5, n)
    X = np.ones((n, 1))
    Z, spans = _design(factors, n)
    theta = np.array([0.6, 0.3, 0.5, 0.4])
    A = _Deviance(y, X, Z, spans, use_cholmod=True).solve(theta).A
    lam = np.repeat(theta, [s.stop - s.start for s in spans])
    dense = (Z.T @ Z).toarray() * np.outer(lam, lam) + np.eye(len(lam))
    L = A.f.L().tocsc()
    L.sort_indices()
    takahashi = np.empty(len(lam))
    takahashi[A.f.P()] = cholesky.selected_inverse_diagonal(L)
    np.testing.assert_allclose(takahashi, np.diag(np.linalg.inv(dense)), rtol=1e-9)
