"""The demo's latent model at any size, drawn with numpy, for benchmarks (pure).

``generate_demo`` draws every answer of every audit (and scoring them costs more), which is
right for the demo but takes minutes at 500,000 audits. Here the same organisation, the same
planted effects and the same latent quality are drawn as arrays and the score is the quality
plus item-level noise, clipped to 0–100; no answers. Only the benchmarks use it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from audits import demo
from checklists.model import Checklist

from .frame import Factor, Frame

ITEM_NOISE = 3.0  # what the answers add to a visit's latent quality, roughly


def _improvement(progress: np.ndarray) -> np.ndarray:
    ramp = np.clip((progress - 0.3) / 0.4, 0, 1)
    return demo.IMPROVEMENT * (ramp * ramp * (3 - 2 * ramp) - 0.5)


def _draw_within(rng, groups: np.ndarray, options: dict[int, tuple[np.ndarray, np.ndarray]]):
    """For each row, one of its group's options with the group's weights."""
    out = np.empty(len(groups), np.int64)
    for group, (values, weights) in options.items():
        rows = np.flatnonzero(groups == group)
        out[rows] = rng.choice(values, len(rows), p=weights / weights.sum())
    return out


def scaled_frame(
    checklist: Checklist, n_audits: int, *, seed: int = 7, start: dt.date, days: int = 365
) -> Frame:
    """``n_audits`` audits of the demo organisation (seed ``seed``) over ``days``."""
    org = demo.generate_demo(checklist, seed=seed, start=start, days=days, visits_scale=0.01)
    rng = np.random.default_rng(seed)
    branches = org.branches
    visits = np.array([b.visits_per_year for b in branches], float)
    branch = rng.choice(len(branches), n_audits, p=visits / visits.sum())
    shift_names = [s.name for s in org.shifts]
    evening_branch = [b.code for b in branches].index(demo.EVENING_BRANCH)
    shift_options = {
        b: (
            np.arange(len(shift_names)),
            np.array(
                demo.EVENING_BRANCH_SHIFT_WEIGHTS if b == evening_branch else demo.SHIFT_WEIGHTS
            ),
        )
        for b in range(len(branches))
    }
    shift = _draw_within(rng, branch, shift_options)
    staff = org.staff
    staff_options = {
        b: (
            np.array([i for i, m in enumerate(staff) if m.branch == code]),
            np.array([m.weight for m in staff if m.branch == code]),
        )
        for b, code in enumerate(b.code for b in branches)
    }
    member = _draw_within(rng, branch, staff_options)
    shoppers = [u for u in org.users if u.role == "shopper"]
    regions = sorted({b.region for b in branches})
    region = np.array([regions.index(b.region) for b in branches])[branch]
    shopper_options = {
        r: (
            np.array([i for i, u in enumerate(shoppers) if code in u.regions]),
            np.ones(sum(code in u.regions for u in shoppers)),
        )
        for r, code in enumerate(regions)
    }
    auditor = _draw_within(rng, region, shopper_options)
    day = rng.integers(0, days, n_audits)
    begin = np.array([s.start_minute for s in org.shifts])[shift]
    minute = begin + rng.integers(0, 290, n_audits)
    progress = day / max(days - 1, 1)
    cell = np.array([[org.branch_shift[f"{b.code}/{s}"] for s in shift_names] for b in branches])[
        branch, shift
    ]
    quality = (
        demo.BASE_QUALITY
        + np.array([b.effect for b in branches])[branch]
        + cell
        + np.array([m.effect for m in staff])[member]
        + np.array([u.severity for u in shoppers])[auditor]
        + demo.ORG_TREND * (progress - 0.5)
        + rng.standard_normal(n_audits) * np.array([m.sd for m in staff])[member]
    )
    quality += np.where(
        (branch == evening_branch) & (shift == shift_names.index(demo.EVENING_SHIFT)),
        demo.EVENING_EFFECT,
        0.0,
    )
    improving = [b.code for b in branches].index(demo.IMPROVING_BRANCH)
    quality += np.where(branch == improving, _improvement(progress), 0.0)
    score = np.clip(quality + rng.normal(0, ITEM_NOISE, n_audits), 0, 100)
    staff_codes = sorted(m.code for m in staff)
    staff_rank = np.array([staff_codes.index(m.code) for m in staff])
    auditor_names = sorted(u.username for u in shoppers)
    auditor_rank = np.array([auditor_names.index(u.username) for u in shoppers])
    visited = np.datetime64(start, "s") + (day * 86400 + minute * 60).astype("timedelta64[s]")
    return Frame(
        score=score,
        branch=Factor(branch, tuple(b.code for b in branches)),
        region=Factor(region, tuple(regions)),
        shift=Factor(shift, tuple(shift_names)),
        channel=Factor(np.zeros(n_audits, np.int64), (checklist.channel or "in_person",)),
        staff=Factor(staff_rank[member], tuple(staff_codes)),
        auditor=Factor(auditor_rank[auditor], tuple(auditor_names)),
        checklist=Factor(np.zeros(n_audits, np.int64), (checklist.slug,)),
        visited_at=visited,
        refs=tuple(str(i) for i in range(n_audits)),
        calibration_of=np.full(n_audits, -1, np.int64),
    )
