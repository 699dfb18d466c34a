"""Variance shares, reliability and auditor severity from a fitted model (pure)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .results import AuditorSeverity, Components, Interval, VarianceComponents

if TYPE_CHECKING:  # the fit imports SciPy: a report read from a kept analysis needs neither
    from .model import Model

Z95 = 1.959963984540054


def visits_for_reliability(icc: float, reliability: float = 0.8) -> int | None:
    """Spearman–Brown: visits k for a branch mean of the given reliability,
    k = R (1 − ICC) / ((1 − R) ICC). None when branches do not differ at all."""
    if icc <= 1e-9:
        return None
    return math.ceil(reliability * (1 - icc) / ((1 - reliability) * icc) - 1e-9)


def variance_section(model: Model) -> VarianceComponents:
    """Shares of the score variance by source; ``icc`` is the branch share (how much of a
    visit's score is the branch's own level rather than shift, staff, auditor or chance)."""
    from .model import FACTORS

    variances = model.fit.variances
    components = {name: variances.get(name, 0.0) for name in (*FACTORS, "residual")}
    total = sum(components.values())
    shares = {name: v / total if total > 0 else 0.0 for name, v in components.items()}
    icc = shares["branch"]
    return VarianceComponents(
        **{name: round(share, 4) for name, share in shares.items()},
        components=Components(**{name: round(v, 3) for name, v in components.items()}),
        total=round(total, 3),
        icc=round(icc, 4),
        visits_for_reliability_0_8=visits_for_reliability(icc),
        method="REML, crossed random intercepts",
    )


def auditors_section(model: Model) -> list[AuditorSeverity]:
    """Each auditor's severity (their BLUP: points they add to a visit's score; negative is
    strict) with a 95% interval from its prediction-error variance; strictest first."""
    frame = model.frame
    codes = frame.auditor.codes
    effects, pev = model.effect("auditor"), model.pev("auditor")
    counts = np.bincount(codes[codes >= 0], minlength=len(frame.auditor.levels))
    sums = np.bincount(codes[codes >= 0], frame.score[codes >= 0], len(frame.auditor.levels))
    rows = []
    for code, name in enumerate(frame.auditor.levels):
        if not counts[code]:
            continue
        severity = float(effects[code]) if len(effects) else 0.0
        half = Z95 * math.sqrt(pev[code]) if len(pev) else 0.0
        rows.append(
            AuditorSeverity(
                auditor=name,
                severity=round(severity, 2),
                interval=Interval(round(severity - half, 2), round(severity + half, 2)),
                n=int(counts[code]),
                raw_mean=round(float(sums[code] / counts[code]), 2),
            )
        )
    return sorted(rows, key=lambda row: row.severity)
