"""The branch report's input as its reader may see it (pure).

``audits.fieldwork.disclosure`` decides which facts about a visit a manager may read; this module
applies that decision to what the branch report is built from, so every artefact made from it
(page, chart data, PDF, CSV) shows a manager nothing else: rows without their shopper and with
the date alone, in an order that says nothing of the time or the shopper, and of the analysis
only what is constant over the branch or over a group the manager already sees (a shift, a
staff member). Per-visit values adjusted for the shopper's severity never reach a manager: the
manager's trend chart is of the scores as given, its limits and signals computed from them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from audits.fieldwork.disclosure import disclose, sees_shopper, visit_order_key
from audits.org.users import CurrentUser

from . import trends
from .branch_report import BranchInput

BRANCH_PARTS = ("branches", "cells", "staff")
"""Analysis parts a manager reads, their own branch's entries only (no per-visit values)."""

TREND_FACTS = ("branch", "n", "slope_per_year", "interval", "p", "q", "limit", "cusum_h")
"""A trend's branch-level figures a manager may read; its chart and signals are redone on the
scores as given (``raw_trend``)."""


def branch_input_for(data: BranchInput, user: CurrentUser) -> BranchInput:
    """``data`` as ``user`` may read it: unchanged for head office."""
    if sees_shopper(user):
        return data
    rows = sorted((disclose(r, user) for r in data.rows), key=visit_order_key)
    org_rows = [disclose(r, user) for r in data.org_rows]
    analysis: dict[str, Any] = {
        part: [e for e in data.analysis.get(part) or [] if e.get("branch") == data.code]
        for part in BRANCH_PARTS
    }
    trend = data.entry("trends")
    analysis["trends"] = [raw_trend(trend, rows)] if trend else []
    return BranchInput(
        data.code,
        data.name,
        rows,
        org_rows,
        analysis,
        data.section_titles,
        data.item_titles,
        data.period,
        data.recovery,
        times_shown=False,
    )


def raw_trend(trend: dict[str, Any], rows: list) -> dict[str, Any]:
    """The trend's branch-level figures with a chart of the scores as given, in ``rows``'
    order: centre, σ and signals from that series alone, with the analysis's alarm limit and
    CUSUM interval (set for the whole organisation). Signals from the adjusted series would
    leak too: whether a visit is flagged depends on its shopper's severity."""
    shown = {key: trend[key] for key in TREND_FACTS if key in trend}
    if "cusum_h" not in trend or len(rows) < 2:
        return shown
    chart = trends.chart(
        np.array([r.score for r in rows], dtype=float), trend["limit"], trend["cusum_h"]
    )
    shown.update(
        series="raw",
        centre=round(chart["centre"], 3),
        sigma=round(chart["sigma"], 3),
        signals=[
            {"rule": rule, "date": rows[i].local.date().isoformat(), "ref": rows[i].id}
            for i, rule in chart["alarms"]
        ],
    )
    shown["alarm"] = bool(shown["signals"])
    return shown
