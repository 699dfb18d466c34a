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

import msgspec
import numpy as np

from audits.fieldwork.disclosure import disclose, sees_shopper, visit_order_key
from audits.org.users import CurrentUser

from . import trends
from .branch_input import BranchInput
from .results import BranchFindings, RawChart, RawTrend, Signal, Trend


def branch_input_for(data: BranchInput, user: CurrentUser) -> BranchInput:
    """``data`` as ``user`` may read it: unchanged for head office. A manager reads the
    analysis's entries on their own branch (``data.findings`` holds no other), never the
    shoppers' severity, and a trend charted from the scores as given."""
    if sees_shopper(user):
        return data
    rows = sorted((disclose(r, user) for r in data.rows), key=visit_order_key)
    org_rows = [disclose(r, user) for r in data.org_rows]
    found, mine = data.findings, data.code
    trend = found.trend
    findings = BranchFindings(  # the branch's own entries, whoever gathered them
        estimate=found.estimate if found.estimate and found.estimate.branch == mine else None,
        cells=[c for c in found.cells if c.branch == mine],
        staff=[s for s in found.staff if s.branch == mine],
        trend=raw_trend(trend, rows) if isinstance(trend, Trend) and trend.branch == mine else None,
        decision=found.decision if found.estimate and found.estimate.branch == mine else None,
    )
    return msgspec.structs.replace(
        data, rows=rows, org_rows=org_rows, findings=findings, times_shown=False
    )


def raw_trend(trend: Trend, rows: list) -> RawTrend:
    """The trend's branch-level figures with a chart of the scores as given, in ``rows``'
    order: centre, σ and signals from that series alone, with the analysis's alarm limit and
    CUSUM interval (set for the whole organisation). Signals from the adjusted series would
    leak too: whether a visit is flagged depends on its shopper's severity."""
    shown = RawTrend(
        branch=trend.branch,
        n=trend.n,
        slope_per_year=trend.slope_per_year,
        interval=trend.interval,
        p=trend.p,
        q=trend.q,
        limit=trend.limit,
        cusum_h=trend.cusum_h,
    )
    if len(rows) < 2:
        return shown
    chart = trends.chart(np.array([r.score for r in rows], dtype=float), trend.limit, trend.cusum_h)
    signals = [
        Signal(rule=rule, date=rows[i].local.date().isoformat(), ref=rows[i].id)
        for i, rule in chart.alarms
    ]
    raw = RawChart(centre=round(chart.centre, 3), sigma=round(chart.sigma, 3), signals=signals)
    return msgspec.structs.replace(shown, chart=raw)
