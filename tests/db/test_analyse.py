"""Loading the analysis frame from the database and ``evenly analyse``, on both databases."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audits.demo import generator as demo
from audits.demo.load import load_demo
from audits.tables import Audit
from bench.demo_frames import frame_from_demo
from checklists.documents import load_checklist
from reports.queries import UnknownChecklist, load_frame
from web.cli import main

from ..conftest import run

DEFAULTS = Path(__file__).parents[2] / "checklists" / "defaults"
START = dt.date(2025, 1, 6)


def _checklists():
    names = ("service-fundamentals", "phone-call")
    return [load_checklist((DEFAULTS / f"{n}.yaml").read_text(encoding="utf-8")) for n in names]


@pytest.fixture(scope="module")
def org():
    return demo.generate_demo(
        _checklists()[0], start=START, days=120, visits_scale=0.6, calibration_share=0.15
    )


@pytest.fixture
def loaded(db, org):
    run(load_demo(org, _checklists()))
    return org


def _analyse(*args: str):
    return CliRunner().invoke(main, ["analyse", *args])


def _rows(frame) -> dict[str, tuple]:
    return {
        ref: (
            round(frame.score[i], 6),
            frame.branch.label(frame.branch.codes[i]),
            frame.shift.label(frame.shift.codes[i]),
            frame.staff.label(frame.staff.codes[i]),
            frame.auditor.label(frame.auditor.codes[i]),
            frame.region.label(frame.region.codes[i]),
            str(frame.visited_at[i]),
        )
        for i, ref in enumerate(frame.refs)
    }


def test_load_frame_demo_database_gives_the_generator_frame(loaded):
    stored = run(load_frame())
    expected = frame_from_demo(loaded, _checklists()[0])
    assert _rows(stored) == _rows(expected)
    pairs = {(stored.refs[a], stored.refs[b]) for a, b in stored.pairs}
    assert pairs == {(expected.refs[a], expected.refs[b]) for a, b in expected.pairs}
    assert len(pairs) == sum(a.calibration_of is not None for a in loaded.audits) > 0
    assert stored.items == expected.items
    assert np.array_equal(np.isnan(stored.pair_items), np.isnan(expected.pair_items))


def test_load_frame_leaves_out_unpublished_audits(loaded):
    first = loaded.audits[0].id
    run(Audit.update({Audit.status: Audit.Status.submitted}).where(Audit.id == first).run())
    frame = run(load_frame())
    assert len(frame) == len(loaded.audits) - 1 and str(first) not in frame.refs


def test_load_frame_dates_cut_on_branch_local_date(loaded):
    end = START + dt.timedelta(days=29)
    frame = run(load_frame(start=START, end=end))
    local_days = {str(a.id) for a in loaded.audits if START <= a.visited_at.date() <= end}
    assert set(frame.refs) == local_days


def test_load_frame_unknown_checklist_raises(loaded):
    with pytest.raises(UnknownChecklist):
        run(load_frame(checklist="no-such-list"))
    assert len(run(load_frame(checklist="phone-call"))) == 0


def test_analyse_json_matches_pure_analysis_of_generator(loaded):
    result = _analyse("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n_audits"] == len(loaded.audits)
    assert data["calibration"]["pairs"] == sum(a.calibration_of is not None for a in loaded.audits)
    assert data["auditors"][0]["auditor"] == loaded.patterns.strict_shopper
    for key in ("branch", "branch_shift", "staff", "auditor", "residual", "icc"):
        assert 0 <= data["variance"][key] <= 1
    row = data["branches"][0]
    assert {"branch", "n", "mean", "adjusted_mean", "shrunken", "interval", "funnel"} <= set(row)


def test_analyse_summary_prints_tables(loaded):
    result = _analyse(
        "--from", "2025-01-06", "--to", "2025-05-05", "--checklist", "service-fundamentals"
    )
    assert result.exit_code == 0, result.output
    for text in (
        "audits",
        "Where score differences come from",
        "Branches",
        "Auditor severity",
        loaded.patterns.strict_shopper,
    ):
        assert text in result.output


def test_analyse_empty_database_says_too_few(db):
    result = _analyse()
    assert result.exit_code == 0 and "too few to analyse" in result.output
    data = json.loads(_analyse("--json").output)
    assert data["n_audits"] == 0 and data["branches"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13-01"], "Invalid value for '--from'"),
        (["--from", "2025-03-01", "--to", "2025-02-01"], "--from is after --to"),
        (["--checklist", "nope"], "No checklist 'nope'"),
    ],
)
def test_analyse_bad_options_exit_with_message(db, args, message):
    result = _analyse(*args)
    assert result.exit_code != 0 and message in result.output


REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.mark.parametrize("source", ["la", "chicago"])
def test_analyse_imported_real_inspections_inspector_share_matches_statsmodels(db, source):
    """Real inspection files through the importer, then the loader: the inspector share of
    the one-way model is statsmodels' on the same data, and the command runs on it."""
    import pandas as pd
    import statsmodels.formula.api as smf

    from reports.mixed import fit_crossed

    runner = CliRunner()
    branches = runner.invoke(
        main, ["org", "import", "branches", str(REAL / f"{source}_branches.csv")]
    )
    assert branches.exit_code == 0, branches.output
    audits = runner.invoke(
        main, ["import", "audits", str(REAL / f"{source}_audits.csv"), "--create-missing"]
    )
    assert audits.exit_code == 0, audits.output
    frame = run(load_frame())
    rows = (REAL / f"{source}_audits.csv").read_text("utf-8").count("\n") - 1
    assert len(frame) == rows
    ours = fit_crossed(frame.score, np.ones((len(frame), 1)), {"auditor": frame.auditor.codes})
    data = pd.DataFrame({"y": frame.score, "auditor": frame.auditor.codes})
    theirs = smf.mixedlm("y ~ 1", data, groups="auditor").fit(reml=True, method=["powell"])
    share = theirs.cov_re.iloc[0, 0] / (theirs.cov_re.iloc[0, 0] + theirs.scale)
    assert ours.shares()["auditor"] == pytest.approx(share, abs=0.002)
    result = _analyse("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n_audits"] == rows and data["variance"]["auditor"] > 0.05
