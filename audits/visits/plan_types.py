"""What a visit plan is made of: the branches, shifts, shoppers and rules it is generated
from, and the plan itself (pure). Shared by ``planning`` (the generator) and ``plan_design``
(the shopper side), which is why they live apart from both."""

from __future__ import annotations

import datetime as dt

import msgspec


class PlanBranch(msgspec.Struct, frozen=True):
    code: str
    region: str | None = None
    timezone: str = "UTC"


class PlanShift(msgspec.Struct, frozen=True):
    """A shift; ``branch`` None means every branch has it."""

    name: str
    branch: str | None = None


class PlanShopper(msgspec.Struct, frozen=True):
    """``regions``: where the shopper lives (preferred, not required); ``barred``: branch codes
    they must never visit, e.g. where the staff know them."""

    name: str
    regions: tuple[str, ...] = ()
    barred: tuple[str, ...] = ()


class PlanRules(msgspec.Struct, frozen=True):
    """``min_days_apart``: one shopper's two visits to one branch are at least this many days
    apart (0: no rule). ``daily_cap``: visits per shopper per day. Always: a shopper has at most
    one visit per shift of a day."""

    min_days_apart: int = 14
    daily_cap: int = 1


class PlannedVisit(msgspec.Struct, frozen=True):
    """``shopper`` None: open, for a shopper to claim (no one could take it within the rules)."""

    branch: str
    date: dt.date
    shift: str | None
    shopper: str | None = None


class Plan(msgspec.Struct, frozen=True):
    visits: list[PlannedVisit]
    unassigned: int
    connected: bool
