"""Precision planning: a budget of visits shared out where it buys the most certainty (pure).

What is known of each branch comes from the consistency analysis as plain numbers (its fair
score, that score's standard error, its visits so far) and one per-visit noise variance; the
web layer reads them off the analysis, so this room never imports ``reports``.

A visit is worth the certainty it buys where certainty matters. Before the visits, a branch's
true level is believed ~ N(m, v0); after k more visits of noise variance s2 its standard error is
sqrt(v_k), v_k = 1 / (1/v0 + k/s2). ``allocate`` lowers the sum over branches of w · sqrt(v_k),
where the weight w is 1 plus a term for a crowded rank (many branches whose levels cannot be told
from this one's: that is where rank intervals are wide) and a term for a level that may sit at the
standard (where a verdict is still open). ``visits_for_decision`` says how many visits would put a
branch's interval clear of the standard.

``outlook`` says what counts are expected to buy: each branch's standard error after them and
its chance of being still undecided against the standard (preposterior: the new mean is drawn
around today's, m' ~ N(m, v0 − v_k), and the branch is undecided while its interval holds the
standard).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence

import msgspec
import numpy as np

Z95 = 1.959964
TOLERANCE = 2.0  # points: a level this close to the standard counts as at it
EMPHASIS = 2.0  # how much more certainty is worth at a crowded rank or at the standard
MAX_SHARE = 2.0  # no branch takes more than twice an even share of the budget


class BranchKnowledge(msgspec.Struct, frozen=True):
    """What the analysis knows of one branch: its fair score, that score's standard error
    (points) and its visits so far."""

    code: str
    level: float
    se: float
    visits: int = 0


class Knowledge(msgspec.Struct, frozen=True):
    """Every branch's knowledge, the standard a visit should reach and the variance of one
    visit's score around its branch's level (points²)."""

    branches: list[BranchKnowledge]
    standard: float
    visit_variance: float


class BranchOutlook(msgspec.Struct, frozen=True):
    """One branch before and after a plan: standard error, expected half-width of its 95%
    interval, and the chance it is still undecided against the standard."""

    code: str
    visits: int
    se_before: float
    se_after: float
    undecided_before: float
    undecided_after: float

    @property
    def half_width_before(self) -> float:
        return Z95 * self.se_before

    @property
    def half_width_after(self) -> float:
        return Z95 * self.se_after


class PlanOutlook(msgspec.Struct, frozen=True):
    """What a plan's visit counts are expected to buy, branch by branch and in all."""

    branches: list[BranchOutlook]

    @property
    def visits(self) -> int:
        return sum(b.visits for b in self.branches)

    @property
    def decided_before(self) -> float:
        return sum(1 - b.undecided_before for b in self.branches)

    @property
    def decided_after(self) -> float:
        """Branches expected to be decided against the standard after the plan."""
        return sum(1 - b.undecided_after for b in self.branches)

    @property
    def mean_half_width_before(self) -> float:
        return sum(b.half_width_before for b in self.branches) / max(len(self.branches), 1)

    @property
    def worst_half_width_before(self) -> float:
        return max((b.half_width_before for b in self.branches), default=0.0)

    @property
    def mean_half_width(self) -> float:
        """The mean half-width of the branches' 95% intervals after the plan (points)."""
        return sum(b.half_width_after for b in self.branches) / max(len(self.branches), 1)

    @property
    def worst_half_width(self) -> float:
        return max((b.half_width_after for b in self.branches), default=0.0)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _posterior_variance(branch: BranchKnowledge, extra: int, visit_variance: float) -> float:
    prior = max(branch.se, 1e-9) ** 2
    return 1.0 / (1.0 / prior + extra / visit_variance)


def undecided_chance(branch: BranchKnowledge, extra: int, knowledge: Knowledge) -> float:
    """The chance that after ``extra`` more visits the branch's 95% interval still holds the
    standard (preposterior: the new mean is drawn around today's)."""
    prior = max(branch.se, 1e-9) ** 2
    after = _posterior_variance(branch, extra, knowledge.visit_variance)
    spread = math.sqrt(max(prior - after, 0.0))
    half = Z95 * math.sqrt(after)
    low, high = knowledge.standard - half - branch.level, knowledge.standard + half - branch.level
    if spread < 1e-12:
        return 1.0 if low < 0 < high else 0.0
    return _phi(high / spread) - _phi(low / spread)


def visits_for_decision(branch: BranchKnowledge, knowledge: Knowledge) -> int | None:
    """How many more visits would, if the branch's level stays where it is estimated, put its
    95% interval clear of the standard: 0 when it already is, None when the level sits on the
    standard (no number of visits decides it)."""
    distance = abs(branch.level - knowledge.standard)
    if distance < 1e-9:
        return None
    prior = max(branch.se, 1e-9) ** 2
    needed = knowledge.visit_variance * (Z95**2 / distance**2 - 1 / prior)
    return max(math.ceil(needed - 1e-9), 0)


def weights(knowledge: Knowledge, emphasis: float = EMPHASIS) -> dict[str, float]:
    """What a unit of certainty is worth at each branch: 1, plus ``emphasis`` times the sum of
    how crowded its rank is (the share of branches whose level cannot be told from its own) and
    how close it may sit to the standard (1 on the line, falling off with the distance)."""
    branches = knowledge.branches
    if not branches:
        return {}
    level = np.array([b.level for b in branches])
    var = np.array([max(b.se, 1e-9) ** 2 for b in branches])
    crowding = np.empty(len(branches))
    for start in range(0, len(branches), 512):  # rows in blocks: 5,000 branches fit in memory
        rows = slice(start, start + 512)
        gap = level[rows, None] - level[None, :]
        crowding[rows] = np.exp(-(gap**2) / (2 * (var[rows, None] + var[None, :]))).mean(axis=1)
    at_standard = np.exp(-((level - knowledge.standard) ** 2) / (2 * (var + TOLERANCE**2)))
    weight = 1 + emphasis * (crowding + at_standard)
    return {b.code: float(w) for b, w in zip(branches, weight, strict=True)}


def allocate(budget: int, knowledge: Knowledge, *, minimum: int = 1) -> dict[str, int]:
    """Visits per branch summing to ``budget``: ``minimum`` each first (no branch is left
    unwatched, and each keeps its place in the shopper × branch graph), then one at a time to
    the branch where the next visit lowers its weighted standard error most (``weights``). The
    cost is convex in each branch's visits, so taking the best next visit each time gives the
    best counts under it; no branch takes more than ``MAX_SHARE`` times an even share (the
    weights come from estimates, and a plan that bets everything on them chases noise), unless
    every branch is at that cap. The same inputs give the same counts."""
    branches = knowledge.branches
    counts = {b.code: 0 for b in branches}
    left = budget
    for _ in range(minimum):
        for branch in branches:
            if left <= 0:
                return counts
            counts[branch.code] += 1
            left -= 1
    worth = weights(knowledge)
    cap = max(math.ceil(MAX_SHARE * budget / max(len(branches), 1)), minimum)

    def gain(branch: BranchKnowledge) -> float:
        k, noise = counts[branch.code], knowledge.visit_variance
        now = math.sqrt(_posterior_variance(branch, k, noise))
        return worth[branch.code] * (now - math.sqrt(_posterior_variance(branch, k + 1, noise)))

    while left > 0:
        heap = [(-gain(b), n) for n, b in enumerate(branches) if counts[b.code] < cap]
        if not heap:
            cap += 1  # every branch at the cap: raise it
            continue
        heapq.heapify(heap)
        while left > 0 and heap:
            _, n = heapq.heappop(heap)
            branch = branches[n]
            counts[branch.code] += 1
            left -= 1
            if counts[branch.code] < cap:
                heapq.heappush(heap, (-gain(branch), n))
    return counts


def uniform_counts(budget: int, codes: Sequence[str]) -> dict[str, int]:
    """The same budget shared out evenly (the first branches take the odd visits)."""
    base, extra = divmod(budget, max(len(codes), 1))
    return {code: base + (n < extra) for n, code in enumerate(codes)}


def outlook(knowledge: Knowledge, counts: Mapping[str, int]) -> PlanOutlook:
    """Each branch's standard error and undecided chance before and after ``counts`` visits."""
    rows = []
    for branch in knowledge.branches:
        extra = counts.get(branch.code, 0)
        rows.append(
            BranchOutlook(
                code=branch.code,
                visits=extra,
                se_before=branch.se,
                se_after=math.sqrt(_posterior_variance(branch, extra, knowledge.visit_variance)),
                undecided_before=undecided_chance(branch, 0, knowledge),
                undecided_after=undecided_chance(branch, extra, knowledge),
            )
        )
    return PlanOutlook(rows)
