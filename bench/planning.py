"""Precision planning against a uniform plan and today's balanced generator, at equal cost.

    python bench/planning.py [--branches 40,200] [--periods 3] [--seeds 4] [--per-branch 3]

A seeded organisation with planted effects (branch levels around the standard, shift-in-branch
effects, strict and lenient shoppers, visit noise) starts with one month of uneven history
(1–5 visits a branch, as real histories are). Then, for ``--periods`` months, each strategy
spends the same budget (``--per-branch`` × branches visits a month) and the history grows:

- *uniform*: each branch the same number of visits, shopper, shift and day drawn at random;
- *balanced*: today's generator (``generate_plan``: shifts and weekdays covered, shoppers
  rotated and the shopper × branch graph kept connected), the same number per branch;
- *precision*: the same generator, with visits per branch from ``precision.allocate`` over the
  analysis of the history so far (``reports.planning_knowledge``).

After the last period each history is analysed (``reports.analysis.analyse``) and compared with
the planted truth: mean and worst width of the branches' rank intervals, branches decided
against the standard (95% interval clear of it) and how many of those are right, and the error
of the shoppers' severities. Averages over ``--seeds`` seeds, printed as a table with each
strategy's ratio to *balanced*.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audits.visits.plan_types import PlanBranch, PlanRules, PlanShift, PlanShopper  # noqa: E402
from audits.visits.planning import generate_plan  # noqa: E402
from audits.visits.precision import allocate  # noqa: E402
from reports.analysis import analyse  # noqa: E402
from reports.frame import frame_from_records  # noqa: E402
from reports.planning_knowledge import planning_knowledge  # noqa: E402
from reports.results import AnalysisResult  # noqa: E402

STANDARD = 80.0
SHIFTS = ("morning", "afternoon", "evening")
HOURS = {"morning": 9, "afternoon": 14, "evening": 19}
STRATEGIES = ("uniform", "balanced", "precision")


@dataclass(frozen=True)
class Truth:
    """The planted organisation: levels, shift effects, shopper severities, visit noise."""

    level: dict[str, float]
    shift: dict[tuple[str, str], float]
    severity: dict[str, float]
    noise: float

    @classmethod
    def draw(cls, branches: int, seed: int) -> Truth:
        rng = np.random.default_rng(seed)
        codes = [f"B{n + 1:03d}" for n in range(branches)]
        shoppers = [f"shopper{n + 1:02d}" for n in range(max(4, branches // 4))]
        severity = rng.normal(0, 4.0, len(shoppers))
        return cls(
            level=dict(zip(codes, rng.normal(STANDARD - 2, 6.0, branches), strict=True)),
            shift={(c, s): rng.normal(0, 3.0) for c in codes for s in SHIFTS},
            severity=dict(zip(shoppers, severity - severity.mean(), strict=True)),
            noise=9.0,
        )

    def score(self, branch: str, shift: str, shopper: str, rng: np.random.Generator) -> float:
        value = self.level[branch] + self.shift[branch, shift] + self.severity[shopper]
        return float(np.clip(value + rng.normal(0, self.noise), 0, 100))


def _month(index: int) -> tuple[dt.date, dt.date]:
    start = dt.date(2026, 1 + index, 1)
    end = (
        dt.date(2026, 2 + index, 1) - dt.timedelta(days=1) if index < 11 else dt.date(2026, 12, 31)
    )
    return start, end


def _visits_of(plan_visits, truth: Truth, rng: np.random.Generator, tag: str) -> list[dict]:
    records = []
    for n, visit in enumerate(plan_visits):
        shopper = visit.shopper or rng.choice(list(truth.severity))
        shift = visit.shift or SHIFTS[0]
        when = dt.datetime.combine(visit.date, dt.time(HOURS[shift]))
        records.append(
            {
                "ref": f"{tag}-{n}",
                "score": truth.score(visit.branch, shift, shopper, rng),
                "branch": visit.branch,
                "shift": shift,
                "auditor": shopper,
                "visited_at": when,
            }
        )
    return records


@dataclass(frozen=True)
class _Visit:
    branch: str
    date: dt.date
    shift: str
    shopper: str


def _uniform(counts: dict[str, int], truth: Truth, month: int, seed: int) -> list[_Visit]:
    rng = random.Random(seed)
    start, end = _month(month)
    days = (end - start).days + 1
    shoppers = list(truth.severity)
    return [
        _Visit(
            code,
            start + dt.timedelta(days=rng.randrange(days)),
            rng.choice(SHIFTS),
            rng.choice(shoppers),
        )
        for code, count in counts.items()
        for _ in range(count)
    ]


def _generated(counts: dict[str, int], truth: Truth, month: int, seed: int) -> list:
    start, end = _month(month)
    branches = [PlanBranch(code) for code in truth.level]
    shifts = [PlanShift(name) for name in SHIFTS]
    shoppers = [PlanShopper(name) for name in truth.severity]
    plan = generate_plan(
        branches, shifts, shoppers, start=start, end=end, today=start,
        rules=PlanRules(min_days_apart=7, daily_cap=2), seed=seed, counts=counts,
    )  # fmt: skip
    return plan.visits


def _analysis(records: list[dict]) -> AnalysisResult:
    return analyse(frame_from_records(records), standard=STANDARD)


@dataclass(frozen=True)
class Scores:
    mean_rank_width: float
    worst_rank_width: float
    decided: float
    decided_right: float
    severity_rmse: float


def _scores(result: AnalysisResult, truth: Truth) -> Scores:
    widths = [b.rank_interval.high - b.rank_interval.low for b in result.branches]
    decided = right = 0
    for b in result.branches:
        above, below = b.interval.low > STANDARD, b.interval.high < STANDARD
        if above or below:
            decided += 1
            right += (truth.level[b.branch] > STANDARD) == above
    errors = [a.severity - truth.severity[a.auditor] for a in result.auditors]
    return Scores(
        mean_rank_width=float(np.mean(widths)),
        worst_rank_width=float(np.max(widths)),
        decided=decided,
        decided_right=right,
        severity_rmse=float(np.sqrt(np.mean(np.square(errors)))) if errors else float("nan"),
    )


def run(branches: int, periods: int, per_branch: int, seed: int) -> dict[str, Scores]:
    truth = Truth.draw(branches, seed)
    rng = np.random.default_rng(seed + 1)
    # Real histories are uneven: some branches were visited once, others five times.
    draw = random.Random(seed)
    start_counts = {code: draw.randint(1, 5) for code in truth.level}
    history = _visits_of(_generated(start_counts, truth, 0, seed), truth, rng, "h")
    budget = per_branch * branches
    even = {code: per_branch for code in truth.level}
    scores = {}
    for strategy in STRATEGIES:
        records = list(history)
        rng = np.random.default_rng(seed + 2)
        for period in range(1, periods + 1):
            if strategy == "uniform":
                visits = _uniform(even, truth, period, seed + period)
            elif strategy == "balanced":
                visits = _generated(even, truth, period, seed + period)
            else:
                knowledge = planning_knowledge(_analysis(records))
                counts = allocate(budget, knowledge) if knowledge else even
                visits = _generated(counts, truth, period, seed + period)
            records += _visits_of(visits, truth, rng, f"{strategy}{period}")
        scores[strategy] = _scores(_analysis(records), truth)
    return scores


def _mean(runs: list[dict[str, Scores]], strategy: str, field: str) -> float:
    return float(np.nanmean([getattr(r[strategy], field) for r in runs]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", default="40,200")
    parser.add_argument("--periods", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--per-branch", type=int, default=3)
    args = parser.parse_args()
    fields = (
        ("mean_rank_width", "mean rank-interval width", "lower"),
        ("worst_rank_width", "worst rank-interval width", "lower"),
        ("decided", "branches decided vs standard", "higher"),
        ("decided_right", "  of which right", "higher"),
        ("severity_rmse", "shopper severity RMSE (points)", "lower"),
    )
    for size in (int(s) for s in args.branches.split(",")):
        runs = [run(size, args.periods, args.per_branch, seed) for seed in range(args.seeds)]
        budget = size * args.per_branch
        print(
            f"\n{size} branches, {args.periods} months of {budget} visits "
            f"(after 1–5 visits a branch of history), mean of {args.seeds} seeds"
        )
        print(f"{'':34}" + "".join(f"{s:>12}" for s in STRATEGIES) + "   precision/balanced")
        for field, label, better in fields:
            values = [_mean(runs, s, field) for s in STRATEGIES]
            ratio = values[2] / values[1] if values[1] else float("nan")
            cells = "".join(f"{v:12.2f}" for v in values)
            print(f"{label:34}{cells}   {ratio:.2f} ({better} is better)")


if __name__ == "__main__":
    main()
