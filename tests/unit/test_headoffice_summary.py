"""The summarised head-office report's pure parts: regions, the attention list, league pages."""

from __future__ import annotations

import pytest

from reports.decisions import Decision
from reports.results import BranchEstimate, Funnel, Interval, RankInterval
from reports.sections.attention import LEAST_CONSISTENT, WORST, needing_attention
from reports.sections.regions import region_figures
from reports.sections.standing import LeaguePage, page_of

FUNNEL = Funnel(p95="within", p998="within", z=0.0, target=80.0, limits95=Interval(70, 90),
                limits998=Interval(65, 95), tau2=1.0, within_var=1.0)  # fmt: skip


def estimate(code: str, score: float, rank: int, consistency: float = 90.0) -> BranchEstimate:
    return BranchEstimate(
        branch=code, n=4, mean=score, adjusted_mean=score, shrunken=score,
        interval=Interval(score - 3, score + 3), rank=rank, rank_interval=RankInterval(rank, rank),
        funnel=FUNNEL, sd=5.0, share_meeting_standard=0.5, shift_spread=None,
        staff_spread=None, consistency=consistency,
    )  # fmt: skip


def below(*codes: str) -> dict[str, Decision]:
    return {c: Decision(80.0, "below") for c in codes}


def test_region_figures_count_branches_visits_and_those_below_lowest_mean_first():
    branches = [estimate("A", 70, 3), estimate("B", 90, 1), estimate("C", 85, 2)]
    regions = region_figures(branches, {"A": "N", "B": "N", "C": "S"}, below("A"), {"N": "North"})
    assert [(r.region, r.name, r.branches, r.visits, r.below) for r in regions] == [
        ("N", "North", 2, 8, 1),
        ("S", "S", 1, 4, 0),
    ]
    assert regions[0].mean == pytest.approx(80.0) and regions[0].spread == pytest.approx(10.0)
    assert regions[1].spread == 0.0


def test_attention_lists_the_worst_below_then_the_least_consistent_bounded():
    branches = [estimate(f"B{i:03d}", 50 + i * 0.1, i + 1, consistency=99 - i % 7)
                for i in range(200)]  # fmt: skip
    listed, count = needing_attention(branches, below(*(f"B{i:03d}" for i in range(60))))
    assert count == 60
    assert len(listed) == WORST + LEAST_CONSISTENT
    assert [f.estimate.branch for f in listed[:WORST]] == [f"B{i:03d}" for i in range(WORST)]
    rest = listed[WORST:]
    assert {f.reason for f in rest} == {"inconsistent"}
    assert all(f.estimate.consistency == 93 for f in rest)


@pytest.mark.parametrize(
    ("number", "first", "last", "text"),
    [(1, 1, 50, "Ranks 1–50 of 120"), (2, 51, 100, "Ranks 51–100 of 120"),
     (3, 101, 120, "Ranks 101–120 of 120"), (99, 101, 120, "Ranks 101–120 of 120")],
)  # fmt: skip
def test_league_page_holds_its_ranks_and_links_its_neighbours(number, first, last, text):
    ranked = [estimate(f"B{i}", 90 - i * 0.1, i + 1) for i in range(120)]
    shown, pager = page_of(ranked, LeaguePage(number, lambda n, region: f"?page={n}"), lambda s: s)
    assert [b.rank for b in shown] == list(range(first, last + 1))
    assert pager.text == text
    current = [link.label for link in pager.links if link.href is None]
    assert current == [str(min(number, 3))]
