"""The consistency analysis, one entry point: :func:`analyse` (pure).

It returns an :class:`~reports.results.AnalysisResult`; encoded with msgspec it is the JSON
``evenly analyse --json`` prints, whose names other tools read: keep them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from threadpoolctl import threadpool_limits

from .branches import branches_section
from .calibration import calibration_section
from .frame import Frame
from .model import Model, NotEstimable, fit_frame
from .people import cells_section, staff_section
from .results import AnalysisResult, Period
from .trends import trends_section
from .variance import auditors_section, variance_section

MIN_AUDITS = 3
STEPS = ("model", "variance", "auditors", "branches", "cells", "staff", "trends", "calibration")
FIT_SHARE = 0.8
"""The share of an analysis's time its fit takes (``share``): the rest is its other steps."""


def analyse(
    frame: Frame,
    *,
    standard: float = 80.0,
    progress: Callable[[str], None] | None = None,
    share: Callable[[float], None] | None = None,
) -> AnalysisResult:
    """Everything the consistency pages show, from one fit of the consistency model.

    ``standard`` is the score a visit should reach (for ``share_meeting_standard``);
    ``progress`` is called with each name of :data:`STEPS` as that step finishes; ``share``
    with the share of the analysis done (0 to 1, growing), during the fit's search too: a
    plain callable, called in the thread that analyses.
    """
    told = share or (lambda part: None)

    def done(step: str) -> None:
        if progress is not None:
            progress(step)
        told(FIT_SHARE + (1 - FIT_SHARE) * (STEPS.index(step) + 1) / len(STEPS))

    period = frame.period()
    result = AnalysisResult(
        n_audits=len(frame),
        period=None if period is None else Period(*period),
        standard=standard,
    )
    if len(frame) < MIN_AUDITS:
        return _empty(frame, result)
    with threadpool_limits(limits=1, user_api="blas"):  # small matrices: see fit_crossed
        try:
            model = fit_frame(frame, lambda part: told(FIT_SHARE * part))
        except NotEstimable:  # reported as too little data, like too few audits
            return _empty(frame, result)
        return _analyse(model, standard, done, result)


def _empty(frame: Frame, result: AnalysisResult) -> AnalysisResult:
    """Too little data for the model: no variance, no lists, the calibration pairs alone."""
    return msgspec.structs.replace(result, calibration=calibration_section(frame))


def _analyse(
    model: Model, standard: float, done: Callable[[str], None], result: AnalysisResult
) -> AnalysisResult:
    frame = model.frame
    done("model")
    sections = {
        "variance": lambda: variance_section(model),
        "auditors": lambda: auditors_section(model),
        "branches": lambda: branches_section(model, standard),
        "cells": lambda: cells_section(model),
        "staff": lambda: staff_section(model),
        "trends": lambda: trends_section(frame, model.adjusted),
        "calibration": lambda: calibration_section(frame),
    }
    parts: dict[str, Any] = {"dropped_terms": model.dropped}
    for name, compute in sections.items():
        parts[name] = compute()
        done(name)
    return msgspec.structs.replace(result, **parts)
