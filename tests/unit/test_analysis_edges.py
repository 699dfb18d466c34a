"""The analysis on awkward input: nothing, too little, one auditor, no staff, ties."""

import datetime as dt
import json
from pathlib import Path

import msgspec
import pytest

from bench.scaled_frames import scaled_frame
from checklists.documents import load_checklist
from reports.analysis import analyse
from reports.branches import consistency_index, shrunk_sd
from reports.frame import frame_from_records

DEFAULTS = Path(__file__).parents[2] / "checklists" / "defaults"
WHEN = dt.datetime(2025, 3, 3, 10, 30)


def _record(n: int, **values) -> dict:
    base = {
        "ref": f"a{n}",
        "score": 70.0 + (n * 7) % 23,
        "branch": f"B{n % 4}",
        "auditor": f"s{n % 3}",
        "shift": ("morning", "evening")[n % 2],
        "staff": f"B{n % 4}-S{n % 5}",
        "visited_at": WHEN + dt.timedelta(days=n),
    }
    return base | values


@pytest.mark.parametrize("count", [0, 2])
def test_analyse_too_few_audits_gives_empty_lists(count):
    result = analyse(frame_from_records([_record(n) for n in range(count)]))
    assert result.n_audits == count and result.variance is None
    assert result.branches == result.cells == result.trends == []
    json.dumps(msgspec.to_builtins(result), allow_nan=False)


def test_frame_from_records_skips_unscored_audits():
    frame = frame_from_records([_record(0), _record(1, score=None), _record(2)])
    assert frame.refs == ("a0", "a2")


def test_analyse_one_auditor_no_staff_leaves_those_components_out():
    records = [_record(n, auditor="only", staff=None) for n in range(60)]
    result = analyse(frame_from_records(records))
    assert result.variance.auditor == 0 and result.variance.staff == 0
    assert [row.severity for row in result.auditors] == [0.0]
    assert result.staff == []
    json.dumps(msgspec.to_builtins(result), allow_nan=False)


def test_analyse_identical_scores_everywhere_is_perfectly_consistent():
    records = [_record(n, score=85.0) for n in range(40)]
    result = analyse(frame_from_records(records))
    assert all(row.consistency == pytest.approx(100.0) for row in result.branches)
    assert all(row.sd == 0 for row in result.branches)
    json.dumps(msgspec.to_builtins(result), allow_nan=False)


def test_consistency_index_falls_as_spread_grows():
    assert consistency_index(5) == pytest.approx(95.4, abs=0.1)
    assert consistency_index(10) == pytest.approx(68.3, abs=0.1)
    assert consistency_index(20) > consistency_index(30)


def test_shrunk_sd_few_visits_pulls_toward_organisation():
    assert shrunk_sd(0.0, 3, 10.0) == pytest.approx((10 * 100 / 12) ** 0.5)
    assert shrunk_sd(4.0, 10_000, 10.0) == pytest.approx(4.0, abs=0.02)


def test_scaled_frame_keeps_planted_effects_at_benchmark_sizes():
    doc = load_checklist((DEFAULTS / "service-fundamentals.yaml").read_text("utf-8"))
    frame = scaled_frame(doc, 4000, start=dt.date(2025, 1, 6))
    result = analyse(frame)
    assert len(frame) == 4000 and frame.score.min() >= 0 and frame.score.max() <= 100
    assert (result.cells[0].branch, result.cells[0].shift) == ("B02", "evening")
    assert result.staff[0].staff == "B19-S3"
    assert result.auditors[0].auditor == "nikos.k"
    assert result.trends[0].branch == "B11"


def test_staff_section_with_no_staff_variance_gives_numbers_not_nan():
    """Staff who explain nothing (their component fitted at zero) still get finite q-values,
    so the JSON stays valid."""
    import json

    import numpy as np

    from bench.scaled_frames import scaled_frame
    from reports.analysis import analyse

    doc = load_checklist((DEFAULTS / "service-fundamentals.yaml").read_text("utf-8"))
    frame = scaled_frame(doc, 3000, seed=5, start=dt.date(2025, 1, 6))
    frame.score[:] = 75 + np.random.default_rng(5).normal(0, 5, len(frame.score))
    result = analyse(frame)
    text = json.dumps(msgspec.to_builtins(result), allow_nan=False)  # raises on NaN or infinity
    assert all(np.isfinite(s.q_below) for s in result.staff)
    assert "staff" in text
