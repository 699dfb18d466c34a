"""The shopper side of a visit plan: who takes which visit within the rules, with loads kept
even and the shopper × branch graph kept in one piece. Pure; used by ``audits.visits.planning``."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from audits.visits.plan_types import PlanRules, PlanShopper

SLACK = 1
"""How far above the least loaded shopper the next visit may go, for the sake of rotation."""
FILL_TRIES = 20_000
"""Hand-overs tried to give open visits a shopper."""
JOIN_TRIES = 5000
"""Swaps tried to join two pieces of the design before giving up."""


def components(edges: Iterable[tuple[str, str]]) -> list[set[tuple[str, str]]]:
    """The connected pieces of the shopper × branch graph, largest first."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for shopper, branch in edges:
        parent[find(("shopper", shopper))] = find(("branch", branch))
    pieces: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for node in list(parent):
        pieces[find(node)].add(node)
    return sorted(pieces.values(), key=lambda piece: (-len(piece), sorted(piece)))


class Assignments:
    """Visits (by index) and their shoppers, with the counters the rules need."""

    def __init__(self, shoppers: Sequence[PlanShopper], rules: PlanRules) -> None:
        self.shoppers = {s.name: s for s in shoppers}
        self.rules = rules
        self.visits: dict[int, tuple[str, dt.date, str | None]] = {}
        self.owner: dict[int, str] = {}
        self.load: Counter[str] = Counter()
        self.per_day: Counter[tuple[str, dt.date]] = Counter()
        self.per_shift: set[tuple[str, dt.date, str]] = set()
        self.pairs: defaultdict[tuple[str, str], list[dt.date]] = defaultdict(list)

    def allowed(self, name: str, index: int) -> bool:
        branch, date, shift = self.visits[index]
        if branch in self.shoppers[name].barred:
            return False
        if self.per_day[name, date] >= self.rules.daily_cap:
            return False
        if shift is not None and (name, date, shift) in self.per_shift:
            return False
        gap = self.rules.min_days_apart
        return all(abs((date - seen).days) >= gap for seen in self.pairs[name, branch])

    def add(self, name: str, index: int) -> None:
        branch, date, shift = self.visits[index]
        self.owner[index] = name
        self.load[name] += 1
        self.per_day[name, date] += 1
        if shift is not None:
            self.per_shift.add((name, date, shift))
        self.pairs[name, branch].append(date)

    def remove(self, index: int) -> str:
        name = self.owner.pop(index)
        branch, date, shift = self.visits[index]
        self.load[name] -= 1
        self.per_day[name, date] -= 1
        self.per_shift.discard((name, date, shift))
        self.pairs[name, branch].remove(date)
        return name

    def shopper_of(self, index: int) -> str | None:
        return self.owner.get(index)

    def edges(self) -> list[tuple[str, str]]:
        return [(name, self.visits[index][0]) for index, name in self.owner.items()]

    def assign_best(
        self,
        index: int,
        branch: str,
        date: dt.date,
        shift: str | None,
        region: str | None,
        rng: random.Random,
    ) -> None:
        """Among the allowed shoppers within one visit of the least loaded: the one who has seen
        the branch least, then one from its region, then the least loaded. None allowed leaves
        the visit open. The slack of one lets shoppers rotate; ``balance`` evens loads after."""
        self.visits[index] = (branch, date, shift)
        allowed = [name for name in self.shoppers if self.allowed(name, index)]
        if not allowed:
            return
        least = min(self.load[name] for name in allowed)
        ranked = [
            (
                len(self.pairs[name, branch]),
                bool(self.shoppers[name].regions) and region not in self.shoppers[name].regions,
                self.load[name],
                rng.random(),
                name,
            )
            for name in allowed
            if self.load[name] <= least + SLACK
        ]
        self.add(min(ranked)[-1], index)

    def fill(self, budget: int = FILL_TRIES) -> None:
        """Give open visits a shopper by handing one of that shopper's visits to another, where
        the rules allow (within ``budget`` tries: a plan past capacity cannot be filled)."""
        for index in sorted(set(self.visits) - set(self.owner)):
            for a in self.shoppers:
                for other in [i for i, name in self.owner.items() if name == a]:
                    budget -= 1
                    if budget < 0:
                        return
                    if self._hand_over(a, other, index):
                        break
                else:
                    continue
                break

    def _hand_over(self, a: str, other: int, index: int) -> bool:
        self.remove(other)
        if self.allowed(a, index):
            for b in self.shoppers:
                if b != a and self.allowed(b, other):
                    self.add(b, other)
                    self.add(a, index)
                    return True
        self.add(a, other)
        return False

    def balance(self) -> None:
        """Move visits from busier to idler shoppers until loads differ by at most one (or no
        move is allowed). Every move lowers the sum of squared loads, so this ends."""
        while self._move_one():
            pass

    def _move_one(self) -> bool:
        names = sorted(self.shoppers, key=lambda name: (self.load[name], name))
        for low in names:
            for index in sorted(self.owner, key=lambda i: -self.load[self.owner[i]]):
                if self.load[self.owner[index]] - self.load[low] < 2:
                    break
                if self.allowed(low, index):
                    self.remove(index)
                    self.add(low, index)
                    return True
        return False

    def rotate(self) -> None:
        """Swap shoppers (loads stay the same) so that no branch with two or more visits is seen
        by one shopper only, where an allowed swap gets there."""
        for branch in sorted({b for b, _, _ in self.visits.values()}):
            if self._seen_by(branch) == 1 and self._visits_at(branch) >= 2:
                self._rotate_one(branch)

    def _seen_by(self, branch: str) -> int:
        return len({n for i, n in self.owner.items() if self.visits[i][0] == branch})

    def _visits_at(self, branch: str) -> int:
        return sum(self.visits[i][0] == branch for i in self.owner)

    def _rotate_one(self, branch: str) -> None:
        mine = [i for i in sorted(self.owner) if self.visits[i][0] == branch]
        for first in mine:
            for second in sorted(self.owner):
                other = self.visits[second][0]
                if other == branch or self.owner[second] == self.owner[first]:
                    continue
                before = self._seen_by(other)

                def better(branch: str = other, before: int = before) -> bool:
                    return self._seen_by(branch) >= min(before, 2)

                if self._swap(first, second, better):
                    return

    def connect(self) -> None:
        """Swap the shoppers of two visits in different pieces (loads stay the same) until the
        design is one piece or no allowed swap joins two."""
        pieces = components(self.edges())
        while len(pieces) > 1 and self._join(pieces):
            pieces = components(self.edges())

    def _join(self, pieces: list[set[tuple[str, str]]]) -> bool:
        piece_of = {node: n for n, piece in enumerate(pieces) for node in piece}
        where = {i: piece_of["shopper", name] for i, name in self.owner.items()}
        busy = [i for i in sorted(self.owner) if self.load[self.owner[i]] >= 2]
        count = len(pieces)
        tries = 0
        for first in (i for i in busy if where[i] == 0):
            for second in (i for i in sorted(self.owner) if where[i] != 0):
                tries += 1
                if tries > JOIN_TRIES:
                    return False
                if self._swap(first, second, lambda: len(components(self.edges())) < count):
                    return True
        return False

    def _swap(self, first: int, second: int, better: Callable[[], bool]) -> bool:
        """Swap the shoppers of two visits if the rules allow it and ``better()`` says so."""
        a, b = self.remove(first), self.remove(second)
        if self.allowed(b, first) and self.allowed(a, second):
            self.add(b, first)
            self.add(a, second)
            if better():
                return True
            self.remove(first), self.remove(second)
        self.add(a, first)
        self.add(b, second)
        return False
