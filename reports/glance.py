"""A branch at a glance, for the start pages: its latest score, where its scores are heading,
whether its shifts agree, and how its consistency moved between two periods (pure, over the
rows ``report_data.load_rows`` returns).

The verdicts are the branch report's own measures (``describe.groups`` and ``describe.spread``
by shift) put in a sentence, so a manager reads the same thing on both pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec

from . import describe
from .report_model import Translate, fmt, localised_numbers
from .summary import SHIFT_GAP

PERIOD_DAYS = 90
"""The glance's period: the last 90 days, compared with the 90 before for a move."""
TREND_STEP = 3.0
"""Points between the latest visits and the ones before them that make an arrow."""
TREND_VISITS = 5
SPARK_VISITS = 12
MIN_GROUP = 3
"""Visits a period (or a shift) needs before its spread says anything."""


class BranchGlance(msgspec.Struct, frozen=True, kw_only=True):
    """One branch on its manager's start page. ``trend`` is ``up``, ``down``, ``steady`` or
    ``""`` (too few visits); ``spark`` the points of a small line over the latest scores."""

    code: str
    name: str
    visits: int
    latest: float | None
    latest_day: dt.date | None
    trend: str
    spark: str
    verdict: str


class ConsistencyMove(msgspec.Struct, frozen=True, kw_only=True):
    """How far apart a branch's visits were in the period before and in the last one (the
    standard deviation of their scores, in points)."""

    code: str
    name: str
    before: float
    now: float

    @property
    def change(self) -> float:
        return self.now - self.before


def periods(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the previous period and of the last one (which ends ``today``)."""
    last = today - dt.timedelta(days=PERIOD_DAYS - 1)
    return last - dt.timedelta(days=PERIOD_DAYS), last


def trend(scores: Sequence[float]) -> str:
    """The latest visits against the ones just before them: ``up``, ``down`` or ``steady``;
    ``""`` with fewer than four visits."""
    k = min(TREND_VISITS, len(scores) // 2)
    if k < 2:
        return ""
    latest, before = scores[-k:], scores[-2 * k : -k]
    step = sum(latest) / k - sum(before) / k
    return "up" if step >= TREND_STEP else "down" if step <= -TREND_STEP else "steady"


def sparkline(scores: Sequence[float], width: int = 96, height: int = 28) -> str:
    """SVG polyline points of ``scores`` on a 0–100 scale (higher up), oldest on the left."""
    if len(scores) < 2:
        return ""
    step = width / (len(scores) - 1)
    return " ".join(
        f"{i * step:.1f},{height - max(0.0, min(100.0, s)) / 100 * height:.1f}"
        for i, s in enumerate(scores)
    )


def shift_verdict(rows: Sequence[Any], _: Translate) -> str:
    """Whether the branch's shifts score alike, in a sentence, from its visits in ``rows``."""
    shifts = [g for g in describe.groups(rows, lambda r: r.shift) if g.n >= MIN_GROUP]
    if len(shifts) < 2:
        return _("Too few visits on different shifts to compare them yet.")
    gap = describe.spread(shifts)
    if gap < SHIFT_GAP:
        return _("About the same on every shift (within %(gap)s points).") % {"gap": fmt(gap, 0)}
    worst = min(shifts, key=lambda g: g.mean)
    best = max(shifts, key=lambda g: g.mean)
    return _("Visits on the %(worst)s shift score %(gap)s points below the %(best)s shift.") % {
        "worst": _(worst.key),
        "best": _(best.key),
        "gap": fmt(gap, 0),
    }


@localised_numbers
def branch_glance(
    code: str, name: str, rows: Sequence[Any], today: dt.date, _: Translate, *, lang: str = "en"
) -> BranchGlance:
    """``rows``: the branch's published visits, oldest first; the verdict's numbers are
    written in ``lang``."""
    scored = [r for r in rows if r.score is not None]
    recent = [r for r in scored if r.local.date() >= periods(today)[1]]
    scores = [r.score for r in scored]
    return BranchGlance(
        code=code,
        name=name,
        visits=len(recent),
        latest=scores[-1] if scores else None,
        latest_day=scored[-1].local.date() if scored else None,
        trend=trend(scores),
        spark=sparkline(scores[-SPARK_VISITS:]),
        verdict=shift_verdict(recent, _),
    )


def consistency_moves(
    rows: Sequence[Any], names: dict[str, str], today: dt.date, *, top: int = 5
) -> list[ConsistencyMove]:
    """The branches whose spread of scores changed most between the previous period and the
    last one, largest change first; a branch needs ``MIN_GROUP`` visits in each."""
    before_start, last_start = periods(today)
    by_branch: dict[str, tuple[list[float], list[float]]] = {}
    for row in rows:
        day = row.local.date()
        if row.score is None or day < before_start or day > today:
            continue
        before, last = by_branch.setdefault(row.branch, ([], []))
        (last if day >= last_start else before).append(row.score)
    moves = [
        ConsistencyMove(
            code=code,
            name=names.get(code, code),
            before=describe.Group(code, before).sd,
            now=describe.Group(code, last).sd,
        )
        for code, (before, last) in by_branch.items()
        if len(before) >= MIN_GROUP and len(last) >= MIN_GROUP
    ]
    moves.sort(key=lambda m: (-abs(m.change), m.code))
    return moves[:top]
