"""The consistency analysis, one entry point: :func:`analyse` (pure, JSON-safe output).

The JSON names are read by other tools (the reports pages and PDFs); keep them.
"""

from __future__ import annotations

from .branches import branches_section
from .calibration import calibration_section
from .frame import Frame
from .model import fit_frame
from .people import cells_section, staff_section
from .trends import trends_section
from .variance import auditors_section, variance_section

MIN_AUDITS = 3


def analyse(frame: Frame, *, standard: float = 80.0) -> dict:
    """Everything the consistency pages show, from one fit of the consistency model.

    ``standard`` is the score a visit should reach (for ``share_meeting_standard``).
    """
    period = frame.period()
    result: dict = {
        "n_audits": len(frame),
        "period": None if period is None else {"from": period[0], "to": period[1]},
        "standard": standard,
    }
    if len(frame) < MIN_AUDITS:
        empty = {"variance": None, "auditors": [], "branches": [], "cells": [], "staff": []}
        return {**result, **empty, "trends": [], "calibration": calibration_section(frame)}
    model = fit_frame(frame)
    return {
        **result,
        "variance": variance_section(model),
        "auditors": auditors_section(model),
        "branches": branches_section(model, standard),
        "cells": cells_section(model),
        "staff": staff_section(model),
        "trends": trends_section(frame, model.adjusted),
        "calibration": calibration_section(frame),
    }
