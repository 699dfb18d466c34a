"""The analysis's building blocks against references: agreement statistics, FDR, control
charts' false alarms, Spearman–Brown, and the inspector share on real inspection data."""

import csv
import datetime as dt
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.inter_rater import cohens_kappa, to_table
from statsmodels.stats.multitest import multipletests

from reports.analysis import analyse
from reports.calibration import cohen_kappa, icc1, krippendorff_interval
from reports.frame import frame_from_records
from reports.mixed import fit_crossed
from reports.people import bh_q
from reports.trends import FAMILY_ALPHA, chart, siegmund_h, western_electric
from reports.variance import visits_for_reliability

REAL = Path(__file__).parents[1] / "data" / "real"

# Shrout & Fleiss (1979), table 2: six targets rated by four judges; ICC(1,1) = 0.17.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
)


def test_icc1_shrout_fleiss_example_gives_textbook_value():
    assert icc1(SHROUT_FLEISS) == pytest.approx(0.17, abs=0.005)


def test_icc1_identical_raters_gives_one():
    scores = np.array([[60.0, 60.0], [75.0, 75.0], [90.0, 90.0]])
    assert icc1(scores) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cohen_kappa_matches_statsmodels(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, 80)
    b = np.where(rng.random(80) < 0.7, a, rng.integers(0, 2, 80))
    table, _ = to_table(np.column_stack([a, b]))
    assert cohen_kappa(a.astype(float), b.astype(float)) == pytest.approx(cohens_kappa(table).kappa)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krippendorff_interval_matches_reference_package(seed):
    rng = np.random.default_rng(seed)
    truth = rng.random(60)
    ratings = np.column_stack([truth + rng.normal(0, 0.2, 60), truth + rng.normal(0, 0.2, 60)])
    ratings[rng.random(ratings.shape) < 0.1] = np.nan
    reference = krippendorff.alpha(reliability_data=ratings.T, level_of_measurement="interval")
    assert krippendorff_interval(ratings) == pytest.approx(reference)


def test_krippendorff_interval_binary_equals_nominal_reference():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 2, 50).astype(float)
    b = np.where(rng.random(50) < 0.8, a, 1 - a)
    reference = krippendorff.alpha(
        reliability_data=np.vstack([a, b]), level_of_measurement="nominal"
    )
    assert krippendorff_interval(np.column_stack([a, b])) == pytest.approx(reference)


def test_bh_q_matches_statsmodels_fdr_bh():
    p = np.random.default_rng(3).random(40) ** 3
    assert bh_q(p) == pytest.approx(multipletests(p, method="fdr_bh")[1])


def test_visits_for_reliability_spearman_brown():
    # ICC 0.2: k = 0.8 × 0.8 / (0.2 × 0.2) = 16 visits give a mean of reliability 0.8.
    assert visits_for_reliability(0.2) == 16
    assert visits_for_reliability(0.0) is None


def test_western_electric_rules_each_fire_on_their_pattern():
    assert (5, "we1") in western_electric(np.array([0, 0, 0, 0, 0, 3.5, 0]))
    assert (2, "we2") in western_electric(np.array([2.5, 0, 2.5, 0]))
    assert (4, "we3") in western_electric(np.array([1.5, 1.5, 0, 1.5, 1.5]))
    assert (7, "we4") in western_electric(np.full(8, 0.5))
    assert western_electric(np.array([0.2, -0.3, 0.1, -0.5, 0.4])) == []


@pytest.mark.slow  # many simulated charts: ~3.5 s
def test_chart_alarms_across_many_in_control_charts_stay_near_family_alpha():
    """40 charts of 50 in-control visits, 200 times over: the controlled alarms fire in few
    runs (nominally 5%), where the raw Western Electric rules fire in nearly every run."""
    rng = np.random.default_rng(0)
    charts, points, runs = 40, 50, 200
    total = charts * points
    from scipy import stats

    limit = float(stats.norm.isf(FAMILY_ALPHA / 4 / total))
    h = siegmund_h(4 * total / FAMILY_ALPHA)
    alarmed = we_fired = 0
    for _ in range(runs):
        data = rng.normal(75, 6, (charts, points))
        results = [chart(row, limit, h) for row in data]
        alarmed += any(r.alarms for r in results)
        we_fired += any(r.we for r in results)
    assert alarmed / runs <= 0.12
    assert we_fired / runs > 0.9


def test_chart_shift_of_two_sigma_is_signalled():
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(70, 5, 40), rng.normal(82, 5, 40)])
    h = siegmund_h(4 * 2000 / FAMILY_ALPHA)
    assert any(rule == "cusum_up" for _, rule in chart(values, 4.0, h).alarms)


def _real_frame(name: str):
    with (REAL / f"{name}_audits.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return frame_from_records(
        {
            "ref": row["audit_ref"],
            "score": float(row["score"]),
            "branch": row["branch"],
            "region": row["region"] or None,
            "channel": row["channel"],
            "auditor": row["auditor"],
            "visited_at": dt.datetime.fromisoformat(row["visited_at"]),
        }
        for row in rows
    )


@pytest.mark.parametrize("name", ["wake", "la", "chicago"])
def test_fit_crossed_real_inspector_share_matches_statsmodels(name):
    """One-way inspector intercept, as the data's README reports it (Wake about 0.2, LA 0.1,
    Chicago 0.25 there; this repository's Chicago scores are derived from violation counts)."""
    frame = _real_frame(name)
    ours = fit_crossed(frame.score, np.ones((len(frame), 1)), {"auditor": frame.auditor.codes})
    data = pd.DataFrame({"y": frame.score, "auditor": frame.auditor.codes})
    # Powell: statsmodels' default gradient search stops short on LA (it warns it failed).
    theirs = smf.mixedlm("y ~ 1", data, groups="auditor").fit(reml=True, method=["powell"])
    assert theirs.converged
    share = theirs.cov_re.iloc[0, 0] / (theirs.cov_re.iloc[0, 0] + theirs.scale)
    assert ours.shares()["auditor"] == pytest.approx(share, abs=0.002)
    assert 0.05 < share < 0.35


@pytest.mark.parametrize("name", ["wake", "la", "chicago"])
def test_analyse_real_data_runs_and_finds_inspector_variance(name):
    result = analyse(_real_frame(name))
    assert result.variance.auditor > 0.05
    assert len(result.auditors) == len({row.auditor for row in result.auditors})
    assert result.cells == [] and result.staff == []  # the sources name no shift, no staff


@pytest.mark.parametrize(
    ("schur_max", "cholmod", "kind"),
    [(3000, True, "Schur"), (-1, True, "Cholmod"), (-1, False, "SuperLU")],
)
def test_factorisations_solve_and_invert_like_dense_algebra(monkeypatch, schur_max, cholmod, kind):
    """A = ΛZ'ZΛ + I through the Schur complement of the largest factor, or by CHOLMOD (SuperLU
    without scikit-sparse) when the other factors are too many: solves, log-determinant and
    diag(A⁻¹) are all exact."""
    from reports import cholesky, mixed

    if cholmod and not cholesky.HAVE_CHOLMOD:
        pytest.skip("scikit-sparse missing")
    monkeypatch.setattr(mixed, "SCHUR_MAX", schur_max)
    monkeypatch.setattr(cholesky, "HAVE_CHOLMOD", cholmod)
    rng = np.random.default_rng(0)
    n = 2000
    factors = {
        "a": rng.integers(0, 200, n),
        "b": rng.integers(0, 30, n),
        "c": rng.integers(0, 7, n),
    }
    factors["c"][:50] = -1  # rows without a level of c
    Z, spans = mixed._design(factors, n)
    deviance = mixed._Deviance(rng.normal(size=n), np.ones((n, 1)), Z, spans)
    lam = deviance.lam(np.array([0.7, 1.3, 0.4]))
    factor = deviance.factor(lam)
    assert isinstance(factor, getattr(cholesky, kind))
    dense = lam[:, None] * deviance.ZtZ.toarray() * lam[None, :] + np.eye(len(lam))
    rhs = rng.normal(size=(len(lam), 3))
    assert factor.solve(rhs) == pytest.approx(np.linalg.solve(dense, rhs), rel=1e-8, abs=1e-10)
    assert factor.logdet == pytest.approx(np.linalg.slogdet(dense)[1], rel=1e-10)
    exact = np.diag(np.linalg.inv(dense))
    assert factor.inverse_diagonal() == pytest.approx(exact, rel=1e-9)
