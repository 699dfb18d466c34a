"""What the consistency analysis knows of each branch, as the precision planner reads it (pure).

The planner (``audits.visits.precision``) takes plain numbers so that the visits room never
imports ``reports``; this is the one place they are read off an :class:`AnalysisResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audits.visits.precision import Z95, BranchKnowledge, Knowledge

if TYPE_CHECKING:  # results reads the decisions, which read this module
    from reports.results import AnalysisResult


def planning_knowledge(analysis: AnalysisResult) -> Knowledge | None:
    """Each branch's fair score and its standard error (from the 95% interval), and the
    variance of one visit around its branch's level once shoppers are allowed for: residual,
    shift-within-branch and staff. None when the analysis could not fit its model."""
    variance = analysis.variance
    if variance is None or not analysis.branches:
        return None
    parts = variance.components
    per_visit = parts.residual + parts.branch_shift + parts.staff
    branches = [
        BranchKnowledge(
            code=b.branch,
            level=b.shrunken,
            se=max((b.interval.high - b.interval.low) / (2 * Z95), 1e-6),
            visits=b.n,
        )
        for b in analysis.branches
    ]
    branches.sort(key=lambda b: b.code)
    return Knowledge(branches, analysis.standard, max(per_visit, 1e-6))
