"""The demo's latent model at any size, drawn with numpy, for benchmarks (pure).

``generate_demo`` draws every answer of every audit (and scoring them costs more), which is
right for the demo but takes minutes at 500,000 audits. Here the same organisation, the same
planted effects and the same latent quality are drawn as arrays and the score is the quality
plus item-level noise, clipped to 0–100; no answers. Only the benchmarks use it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from audits.demo import generator as demo
from checklists.model import Checklist
from reports.frame import Factor, Frame

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


def _draw_visits(org: demo.DemoOrganisation, rng, n: int, days: int) -> dict[str, np.ndarray]:
    """Who, where, when, for ``n`` visits, with the demo's weights."""
    branches, staff = org.branches, org.staff
    visits = np.array([b.visits_per_year for b in branches], float)
    branch = rng.choice(len(branches), n, p=visits / visits.sum())
    evening = [b.code for b in branches].index(demo.EVENING_BRANCH)
    shift_weights = {
        b: (np.arange(len(org.shifts)), np.array(demo.SHIFT_WEIGHTS)) for b in range(len(branches))
    }
    shift_weights[evening] = (
        np.arange(len(org.shifts)),
        np.array(demo.EVENING_BRANCH_SHIFT_WEIGHTS),
    )
    members = {
        b: (
            np.array([i for i, m in enumerate(staff) if m.branch == branch_.code]),
            np.array([m.weight for m in staff if m.branch == branch_.code]),
        )
        for b, branch_ in enumerate(branches)
    }
    shoppers = [u for u in org.users if u.role == "shopper"]
    regions = sorted({b.region for b in branches})
    region = np.array([regions.index(b.region) for b in branches])[branch]
    shopper_options = {}
    for r, code in enumerate(regions):
        allowed = np.array([i for i, u in enumerate(shoppers) if code in u.regions])
        shopper_options[r] = (allowed, np.ones(len(allowed)))
    return {
        "branch": branch,
        "shift": _draw_within(rng, branch, shift_weights),
        "member": _draw_within(rng, branch, members),
        "region": region,
        "auditor": _draw_within(rng, region, shopper_options),
        "day": rng.integers(0, days, n),
        "minute": rng.integers(0, 290, n),
    }


def _quality(org: demo.DemoOrganisation, v: dict[str, np.ndarray], rng, days: int) -> np.ndarray:
    """The latent quality of each visit, as ``demo._Model._quality`` computes it."""
    branches, staff = org.branches, org.staff
    shoppers = [u for u in org.users if u.role == "shopper"]
    names = [s.name for s in org.shifts]
    progress = v["day"] / max(days - 1, 1)
    cells = np.array([[org.branch_shift[f"{b.code}/{s}"] for s in names] for b in branches])
    sd = np.array([m.sd for m in staff])[v["member"]]
    quality = (
        demo.BASE_QUALITY
        + np.array([b.effect for b in branches])[v["branch"]]
        + cells[v["branch"], v["shift"]]
        + np.array([m.effect for m in staff])[v["member"]]
        + np.array([u.severity for u in shoppers])[v["auditor"]]
        + demo.ORG_TREND * (progress - 0.5)
        + rng.standard_normal(len(sd)) * sd
    )
    codes = [b.code for b in branches]
    evening = (v["branch"] == codes.index(demo.EVENING_BRANCH)) & (
        v["shift"] == names.index(demo.EVENING_SHIFT)
    )
    quality += np.where(evening, demo.EVENING_EFFECT, 0.0)
    improving = v["branch"] == codes.index(demo.IMPROVING_BRANCH)
    return quality + np.where(improving, _improvement(progress), 0.0)


def _sorted_factor(codes: np.ndarray, names: list[str]) -> Factor:
    """A factor whose levels are sorted, as :meth:`Factor.of` makes them."""
    levels = sorted(names)
    rank = np.array([levels.index(name) for name in names])
    return Factor(rank[codes], tuple(levels))


def scaled_frame(
    checklist: Checklist, n_audits: int, *, seed: int = 7, start: dt.date, days: int = 365
) -> Frame:
    """``n_audits`` audits of the demo organisation (seed ``seed``) over ``days``."""
    org = demo.generate_demo(checklist, seed=seed, start=start, days=days, visits_scale=0.01)
    rng = np.random.default_rng(seed)
    v = _draw_visits(org, rng, n_audits, days)
    score = np.clip(_quality(org, v, rng, days) + rng.normal(0, ITEM_NOISE, n_audits), 0, 100)
    begin = np.array([s.start_minute for s in org.shifts])[v["shift"]]
    seconds = v["day"] * 86400 + (begin + v["minute"]) * 60
    shoppers = [u.username for u in org.users if u.role == "shopper"]
    return Frame(
        score=score,
        branch=Factor(v["branch"], tuple(b.code for b in org.branches)),
        region=Factor(v["region"], tuple(sorted({b.region for b in org.branches}))),
        shift=Factor(v["shift"], tuple(s.name for s in org.shifts)),
        channel=Factor(np.zeros(n_audits, np.int64), (checklist.channel or "in_person",)),
        staff=_sorted_factor(v["member"], [m.code for m in org.staff]),
        auditor=_sorted_factor(v["auditor"], shoppers),
        checklist=Factor(np.zeros(n_audits, np.int64), (checklist.slug,)),
        visited_at=np.datetime64(start, "s") + seconds.astype("timedelta64[s]"),
        refs=tuple(str(i) for i in range(n_audits)),
        calibration_of=np.full(n_audits, -1, np.int64),
    )
