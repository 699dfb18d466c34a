"""The consistency analysis on the seeded demo with planted effects, against the truth the
generator planted and against statsmodels MixedLM on the same data."""

import datetime as dt
import json
from pathlib import Path

import msgspec
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from audits.demo import generator as demo
from bench.demo_frames import frame_from_demo
from checklists.documents import load_checklist
from reports.analysis import analyse
from reports.model import cell_codes, fit_frame, fixed_design

DEFAULTS = Path(__file__).parents[2] / "checklists" / "defaults"
START = dt.date(2025, 1, 6)


def _checklist():
    return load_checklist((DEFAULTS / "service-fundamentals.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def org():
    return demo.generate_demo(_checklist(), start=START, calibration_share=0.1)


@pytest.fixture(scope="module")
def frame(org):
    return frame_from_demo(org, _checklist())


@pytest.fixture(scope="module")
def result(frame):
    return analyse(frame)


def test_analyse_demo_output_is_plain_json(result):
    text = json.dumps(msgspec.to_builtins(result), allow_nan=False)
    assert json.loads(text) == json.loads(msgspec.json.encode(result))
    assert result.n_audits > 900
    assert result.period.first >= str(START)


def test_analyse_demo_evening_cell_of_planted_branch_comes_first(result, org):
    first = result.cells[0]
    assert (first.branch, first.shift) == (org.patterns.evening_branch, "evening")
    assert first.effect < 0 and first.interval.high < 0


def test_analyse_demo_erratic_staff_member_comes_first(result, org):
    first = result.staff[0]
    assert first.staff == org.patterns.erratic_staff
    assert first.q < 0.05 and "erratic" in first.flags
    others = [row.sd for row in result.staff[1:]]
    assert first.sd > 2 * np.median(others)


def test_analyse_demo_strict_shopper_is_strictest(result, org):
    strictest = result.auditors[0]
    assert strictest.auditor == org.patterns.strict_shopper
    assert strictest.interval.high < 0
    assert (
        strictest.severity
        < strictest.raw_mean - np.mean([row.raw_mean for row in result.auditors]) + 5
    )


def test_analyse_demo_auditor_severity_correlates_with_planted(result, org):
    truth = {u.username: u.severity for u in org.users if u.role == "shopper"}
    found = {row.auditor: row.severity for row in result.auditors}
    names = sorted(found)
    r = np.corrcoef([found[n] for n in names], [truth[n] for n in names])[0, 1]
    assert r > 0.9


def test_analyse_demo_improving_branch_leads_trends_with_alarm(result, org):
    first = result.trends[0]
    assert first.branch == org.patterns.improving_branch
    assert first.slope_per_year > 0 and first.interval.low > 0 and first.q < 0.05
    assert first.alarm and first.signals


def _truth(org) -> dict[str, float]:
    """A branch's expected latent quality with an average shopper: its own effect, its
    shifts' effects by its shift mix, and its staff by how often they serve."""
    truth = {}
    for branch in org.branches:
        weights = (
            demo.EVENING_BRANCH_SHIFT_WEIGHTS
            if branch.code == demo.EVENING_BRANCH
            else demo.SHIFT_WEIGHTS
        )
        shifts = sum(
            w
            * (
                org.branch_shift[f"{branch.code}/{name}"]
                + (
                    demo.EVENING_EFFECT
                    if (branch.code, name) == (demo.EVENING_BRANCH, demo.EVENING_SHIFT)
                    else 0
                )
            )
            for w, (name, _, _) in zip(weights, demo.SHIFTS, strict=True)
        )
        members = [m for m in org.staff if m.branch == branch.code]
        staff = sum(m.weight * m.effect for m in members) / sum(m.weight for m in members)
        truth[branch.code] = branch.effect + shifts + staff
    return truth


def test_analyse_demo_shrunken_ranking_closer_to_truth_than_raw(result, org):
    truth = _truth(org)
    rows = result.branches
    true = [truth[row.branch] for row in rows]
    raw = stats.spearmanr([row.mean for row in rows], true).statistic
    shrunken = stats.spearmanr([row.shrunken for row in rows], true).statistic
    adjusted = stats.spearmanr([row.adjusted_mean for row in rows], true).statistic
    assert shrunken > raw and adjusted > raw


def test_analyse_demo_branches_carry_consistency_figures(result):
    for row in result.branches:
        assert 0 <= row.consistency <= 100
        assert 0 <= row.share_meeting_standard <= 1
        assert row.interval.low <= row.shrunken <= row.interval.high
        assert row.rank_interval.low <= row.rank <= row.rank_interval.high
        assert {row.funnel.p95, row.funnel.p998} <= {"within", "above", "below"}
    ranks = sorted(row.rank for row in result.branches)
    assert ranks == list(range(1, len(ranks) + 1))


# Tolerances against statsmodels: both maximise the same REML criterion, so they differ only
# by where each optimiser stops; 1% of each component and 0.005 of each share.
REL_TOL, SHARE_TOL = 0.01, 0.005


def _statsmodels_fit(frame):
    cell, _ = cell_codes(frame)
    data = pd.DataFrame(
        {
            "y": frame.score,
            "shift": frame.shift.codes,
            "branch": frame.branch.codes,
            "cell": cell,
            "staff": frame.staff.codes,
            "auditor": frame.auditor.codes,
            "one": 1,
        }
    )
    vc = {name: f"0 + C({name})" for name in ("branch", "cell", "staff", "auditor")}
    model = smf.mixedlm("y ~ C(shift)", data, groups="one", vc_formula=vc)
    fitted = model.fit(reml=True)
    names = dict(zip(model.exog_vc.names, fitted.vcomp, strict=True))
    return {
        "branch": names["branch"],
        "branch_shift": names["cell"],
        "staff": names["staff"],
        "auditor": names["auditor"],
        "residual": fitted.scale,
    }, fitted.fe_params.to_numpy()


@pytest.mark.slow  # statsmodels fits the same model: ~14 s
def test_fit_frame_variance_components_match_statsmodels_mixedlm():
    org = demo.generate_demo(_checklist(), seed=11, start=START, visits_scale=0.5)
    frame = frame_from_demo(org, _checklist())
    ours = fit_frame(frame).fit
    theirs, beta = _statsmodels_fit(frame)
    for name, value in theirs.items():
        assert ours.variances[name] == pytest.approx(value, rel=REL_TOL, abs=0.05), name
    total = sum(theirs.values())
    for name, share in ours.shares().items():
        assert share == pytest.approx(theirs[name] / total, abs=SHARE_TOL), name
    assert ours.beta == pytest.approx(beta, abs=0.01)
    assert fixed_design(frame).shape[1] == len(beta)
