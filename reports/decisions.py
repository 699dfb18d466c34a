"""How many more visits each branch needs before its verdict against the standard is settled
(pure), in place of the industry's fixed "3–4 shops a store".

A branch is decided when its fair score's 95% interval lies clear of the standard. Otherwise
``audits.visits.precision.visits_for_decision`` says how many more visits would put it clear if
its level stays where it is estimated; a branch sitting within ``TOO_CLOSE`` visits' worth of
the line is called too close to settle (more visits buy little there: its service is simply
at the standard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import msgspec

from audits.visits.precision import visits_for_decision

from .planning_knowledge import planning_knowledge

if TYPE_CHECKING:
    from .results import AnalysisResult

TOO_CLOSE = 60  # more visits than a year of weekly shops: no practical plan settles it

Verdict = Literal["above", "below", "open", "too_close"]


class Decision(msgspec.Struct, frozen=True):
    """One branch against the standard: settled above or below it, open with the visits that
    would settle it, or too close to the line for any practical number of visits."""

    standard: float
    verdict: Verdict
    more_visits: int | None = None  # set when the verdict is open


def decisions(analysis: AnalysisResult) -> dict[str, Decision]:
    """Every branch's decision, by code (empty when the model could not be fitted)."""
    knowledge = planning_knowledge(analysis)
    if knowledge is None:
        return {}
    found: dict[str, Decision] = {}
    for branch in knowledge.branches:
        needed = visits_for_decision(branch, knowledge)
        if needed == 0:
            side: Verdict = "above" if branch.level > knowledge.standard else "below"
            found[branch.code] = Decision(knowledge.standard, side)
        elif needed is None or needed > TOO_CLOSE:
            found[branch.code] = Decision(knowledge.standard, "too_close")
        else:
            found[branch.code] = Decision(knowledge.standard, "open", needed)
    return found
