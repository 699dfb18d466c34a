"""What the analysis of every published visit knows of each branch, for planning the next
period's visits by precision (head office's plan page)."""

from __future__ import annotations

from audits.visits.precision import Knowledge
from reports.analysis_cache import AnalysisCache
from reports.planning_knowledge import planning_knowledge
from reports.report_data import Filters

from .period import rows_and_analysis


async def knowledge_for_planning(analyses: AnalysisCache | None) -> Knowledge | None:
    """Each branch's fair score and its uncertainty over all published visits (the head-office
    report's default period, so both share one analysis); None before there is enough data."""
    _, analysis = await rows_and_analysis(Filters(), analyses)
    return planning_knowledge(analysis)
