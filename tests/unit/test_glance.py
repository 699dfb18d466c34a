"""A branch at a glance (``reports.glance``): the trend's arrow, the sparkline, the shifts in a
sentence that agrees with the shift means, and the consistency moves between two periods."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from reports import describe
from reports.glance import branch_glance, consistency_moves, shift_verdict, sparkline, trend

TODAY = dt.date(2026, 12, 7)


def _row(days_ago: int, score: float, shift: str = "morning", branch: str = "B1"):
    local = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10))
    return SimpleNamespace(branch=branch, local=local, score=score, shift=shift)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([80, 82, 81], ""),  # too few to say
        ([70, 70, 80, 80], "up"),
        ([90, 90, 90, 90, 80, 80, 80, 80], "down"),
        ([80, 81, 79, 80, 82, 80], "steady"),
        ([50] * 20 + [60, 60, 60, 60, 60, 70, 70, 70, 70, 70], "up"),  # the latest five only
    ],
)
def test_trend_compares_the_latest_visits_with_the_ones_before(scores, expected):
    assert trend(scores) == expected


def test_sparkline_runs_on_a_0_to_100_scale_oldest_on_the_left():
    points = [tuple(map(float, p.split(","))) for p in sparkline([0, 100, 150], 96, 28).split()]
    assert points == [(0.0, 28.0), (48.0, 0.0), (96.0, 0.0)]  # 150 is drawn at the top
    assert sparkline([80]) == ""


def test_shift_verdict_agrees_with_the_shift_means():
    rows = [_row(d, s, "morning") for d, s in ((1, 86), (2, 85), (3, 86))]
    rows += [_row(d, s, "evening") for d, s in ((1, 71), (2, 72), (3, 71))]
    gap = describe.spread(describe.groups(rows, lambda r: r.shift))
    text = shift_verdict(rows, lambda s: s)
    assert text == (
        f"Visits on the evening shift score {round(gap)} points below the morning shift."
    )
    alike = [_row(d, 80 + d % 2, sh) for d in range(6) for sh in ("morning", "evening")]
    assert shift_verdict(alike, lambda s: s).startswith("About the same on every shift")
    assert "Too few visits" in shift_verdict(rows[:4], lambda s: s)


def test_branch_glance_counts_the_last_90_days_and_shows_the_latest_visit():
    rows = [_row(200, 40), _row(30, 80), _row(10, 90)]
    glance = branch_glance("B1", "Syntagma", rows, TODAY, lambda s: s)
    assert (glance.visits, glance.latest, glance.latest_day) == (2, 90, TODAY - dt.timedelta(10))


def test_consistency_moves_rank_the_largest_change_first_and_need_three_visits_each():
    before = [_row(120 + i, s, branch="B1") for i, s in enumerate((60, 90, 70, 100))]
    now = [_row(10 + i, 80, branch="B1") for i in range(3)]
    small = [_row(120 + i, 80 + i, branch="B2") for i in range(3)]
    small += [_row(10 + i, 80 + 2 * i, branch="B2") for i in range(3)]
    few = [_row(120, 50, branch="B3"), _row(10, 90, branch="B3")]
    moves = consistency_moves(before + now + small + few, {"B1": "Syntagma"}, TODAY)
    assert [m.code for m in moves] == ["B1", "B2"]
    assert moves[0].name == "Syntagma" and moves[0].now == 0 and moves[0].change < 0
    assert moves[1].change == pytest.approx(1.0)


def test_branch_glance_writes_the_verdicts_numbers_in_the_readers_language():
    rows = [_row(d, 86, "morning") for d in (1, 2, 3)] + [_row(d, 64, "evening") for d in (4, 5, 6)]
    glance = branch_glance("B1", "Syntagma", rows, TODAY, lambda s: s, lang="fa")
    assert "۲۲" in glance.verdict and "22" not in glance.verdict
