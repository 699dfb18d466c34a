"""The analysis on data that cannot carry every term: terms are dropped, never a crash."""

import datetime as dt
import json

import msgspec
import numpy as np
import pytest

from reports.analysis import analyse
from reports.frame import frame_from_records
from reports.mixed import fit_crossed
from reports.model import estimable_factors, fixed_design

WHEN = dt.datetime(2026, 3, 2, 9, 30)


def _records(n: int, **cycles) -> list[dict]:
    """n visits to B1 by one shopper in one shift with one staff member, unless a keyword
    gives a list of values to cycle through (``branch=["B1", "B2"]``)."""
    fixed = {"branch": ["B1"], "auditor": ["sam"], "shift": ["morning"], "staff": ["B1-S1"]}
    columns = fixed | cycles
    return [
        {
            "ref": f"a{i}",
            "score": 70.0 + (i * 7) % 11,
            "visited_at": WHEN + dt.timedelta(days=i),
            **{name: values[i % len(values)] for name, values in columns.items()},
        }
        for i in range(n)
    ]


ANALYSABLE = {
    "one shopper, one branch, one shift": _records(6),
    "one shopper across two branches": _records(6, branch=["B1", "B2"], staff=["S1", "S2"]),
    "one staff member, two shoppers": _records(6, auditor=["sam", "sue"]),
    "a single shift org-wide": _records(8, branch=["B1", "B2"], auditor=["sam", "sue"]),
    "no staff named": _records(6, staff=[None]),
    "every visit its own staff member": _records(6, staff=[f"S{i}" for i in range(6)]),
    "the same score everywhere": [r | {"score": 85.0} for r in _records(6)],
    "a checklist only used in one shift": _records(
        8, shift=["morning", "evening"], checklist=["in-person", "phone"]
    ),
}


@pytest.mark.parametrize("records", ANALYSABLE.values(), ids=ANALYSABLE)
def test_analyse_degenerate_data_drops_terms_and_reports_branches(records):
    result = analyse(frame_from_records(records))
    assert result.variance is not None
    assert {row.branch for row in result.branches} == {r["branch"] for r in records}
    assert (
        sum(result.variance.share(k) for k in ("branch", "staff", "auditor", "residual")) <= 1.0001
    )
    json.dumps(msgspec.to_builtins(result), allow_nan=False)


@pytest.mark.parametrize(
    "records",
    [_records(1), _records(2), _records(3, shift=["morning", "afternoon", "evening"])],
    ids=["one visit", "two visits", "a fixed column per visit"],
)
def test_analyse_too_little_to_estimate_gives_the_empty_result(records):
    result = analyse(frame_from_records(records))
    assert result.variance is None and result.branches == [] and result.trends == []
    assert result.n_audits == len(records)
    json.dumps(msgspec.to_builtins(result), allow_nan=False)


def test_estimable_factors_keeps_only_terms_with_levels_replication_and_a_grouping_of_their_own():
    codes = {
        "one level": np.zeros(6, np.int64),
        "kept": np.array([0, 0, 0, 1, 1, 1]),
        "same grouping renamed": np.array([5, 5, 5, 2, 2, 2]),
        "each visit alone": np.arange(6),
        "replicated": np.array([0, 0, 1, 2, 3, -1]),
    }
    assert list(estimable_factors(codes)) == ["kept", "replicated"]


def test_fit_crossed_without_random_terms_is_least_squares():
    y = np.array([70.0, 72.0, 80.0, 82.0])
    X = np.column_stack([np.ones(4), [0.0, 0.0, 1.0, 1.0]])
    fit = fit_crossed(y, X, {})
    assert fit.beta == pytest.approx([71.0, 10.0])
    assert fit.variances == {"residual": pytest.approx(4 / 2)}
    assert fit.effects == {} and np.isfinite(fit.deviance)


def test_fixed_design_leaves_out_columns_that_add_nothing():
    records = _records(8, shift=["morning", "evening"], checklist=["in-person", "phone"])
    assert fixed_design(frame_from_records(records)).shape == (8, 2)
