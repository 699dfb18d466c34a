"""The consistency analysis's result as types (pure).

``reports.analysis.analyse`` returns an :class:`AnalysisResult`; the reports read its
attributes. Encoded with msgspec (``msgspec.json.encode`` or ``msgspec.to_builtins``) it is the
JSON ``evenly analyse --json`` has always printed: the field names are that JSON's keys, in its
order, and an interval is a two-number array. Keep them: other tools read that JSON.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from .decisions import Decision, decisions

Position = Literal["above", "within", "below"]


class Interval(msgspec.Struct, frozen=True, array_like=True):
    """A 95% interval, ``[low, high]`` in JSON."""

    low: float
    high: float


class RankInterval(msgspec.Struct, frozen=True, array_like=True):
    """A 95% interval of a rank (1 = best), ``[best, worst]`` in JSON."""

    low: int
    high: int


class Period(msgspec.Struct, frozen=True):
    """First and last visit day (ISO dates)."""

    first: str = msgspec.field(name="from")
    last: str = msgspec.field(name="to")


class Components(msgspec.Struct, frozen=True, kw_only=True):
    """Variance of each source (points²)."""

    branch: float
    branch_shift: float
    staff: float
    auditor: float
    residual: float


class VarianceComponents(msgspec.Struct, frozen=True, kw_only=True):
    """Shares of the score variance by source (``branch`` … ``residual``), the variances
    themselves, and the branch share ``icc`` with the visits it asks for."""

    branch: float
    branch_shift: float
    staff: float
    auditor: float
    residual: float
    components: Components
    total: float
    icc: float
    visits_for_reliability_0_8: int | None
    method: str

    def share(self, source: str) -> float:
        """The share of one source by its name (``"branch_shift"``)."""
        return float(getattr(self, source))


class AuditorSeverity(msgspec.Struct, frozen=True, kw_only=True):
    """Points an auditor adds to a visit's score (negative: strict)."""

    auditor: str
    severity: float
    interval: Interval
    n: int
    raw_mean: float


class Funnel(msgspec.Struct, frozen=True, kw_only=True):
    """A branch's place in the funnel plot; target, limits' variance and τ² are shared."""

    p95: Position
    p998: Position
    z: float
    target: float
    limits95: Interval
    limits998: Interval
    tau2: float
    within_var: float


class BranchEstimate(msgspec.Struct, frozen=True, kw_only=True):
    """One branch, fairly compared: adjusted and shrunken level, rank, funnel, consistency."""

    branch: str
    n: int
    mean: float
    adjusted_mean: float
    shrunken: float
    interval: Interval
    rank: int
    rank_interval: RankInterval
    funnel: Funnel
    sd: float
    share_meeting_standard: float
    shift_spread: float | None
    staff_spread: float | None
    consistency: float


class CellEffect(msgspec.Struct, frozen=True, kw_only=True):
    """How far one shift of a branch sits from the branch's other shifts (points)."""

    branch: str
    shift: str
    effect: float
    interval: Interval
    n: int
    z: float


class StaffFinding(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member's spread and level against their peers; ``flags``: erratic, below."""

    staff: str
    branch: str
    n: int
    sd: float
    q: float
    effect: float
    interval: Interval
    q_below: float
    flags: list[str]


class Signal(msgspec.Struct, frozen=True, kw_only=True):
    """A control-chart alarm: its rule, the visit's day and the visit (audit id)."""

    rule: str
    date: str
    ref: str


class Trend(msgspec.Struct, frozen=True, kw_only=True):
    """A branch's slope per year and the control chart of its adjusted scores."""

    branch: str
    n: int
    slope_per_year: float
    interval: Interval | None
    p: float
    signals: list[Signal]
    alarm: bool
    # The chart the signals come from (adjusted scores): centre, σ, alarm limit in σ.
    centre: float
    sigma: float
    limit: float
    cusum_h: float  # the CUSUM's decision interval in σ (a manager's raw chart)
    # Context, not alarms: how often each Western Electric rule fired on this chart.
    western_electric: dict[str, int]
    q: float


class ItemAgreement(msgspec.Struct, frozen=True, kw_only=True):
    """Agreement of calibration pairs on one item."""

    item: str
    n: int
    alpha: float | None
    kappa: float | None
    agreement: float | None


class Calibration(msgspec.Struct, frozen=True, kw_only=True):
    pairs: int
    icc: float | None
    mean_abs_difference: float | None
    items: list[ItemAgreement]


NO_CALIBRATION = Calibration(pairs=0, icc=None, mean_abs_difference=None, items=[])


class DroppedTerm(msgspec.Struct, frozen=True, kw_only=True):
    """A random term the design cannot separate from an earlier one: its levels match
    ``same_as``'s one to one (one shift per branch), so it was not fitted and its differences
    are counted in ``same_as``'s. ``message`` names the sentence that says so
    (``reports.summary.DROPPED_SENTENCES``), translated where it is shown."""

    term: str  # "branch_shift", "staff" or "auditor"
    same_as: str
    message: str = "not_separable"


class AnalysisResult(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the consistency pages show. ``variance`` is None (and the lists empty)
    when there was too little data to fit the model."""

    n_audits: int
    period: Period | None
    standard: float
    variance: VarianceComponents | None = None
    auditors: list[AuditorSeverity] = []
    branches: list[BranchEstimate] = []
    cells: list[CellEffect] = []
    staff: list[StaffFinding] = []
    trends: list[Trend] = []
    calibration: Calibration = msgspec.field(default_factory=lambda: NO_CALIBRATION)
    dropped_terms: list[DroppedTerm] = []

    def for_branch(self, code: str) -> BranchFindings:
        """The entries of one branch, as its report reads them."""
        return BranchFindings(
            estimate=next((b for b in self.branches if b.branch == code), None),
            cells=[c for c in self.cells if c.branch == code],
            staff=[s for s in self.staff if s.branch == code],
            trend=next((t for t in self.trends if t.branch == code), None),
            severity={a.auditor: a.severity for a in self.auditors},
            decision=decisions(self).get(code),
        )


class RawChart(msgspec.Struct, frozen=True, kw_only=True):
    """A control chart of the scores as given (a manager's): centre, σ and its signals."""

    centre: float
    sigma: float
    signals: list[Signal]


class RawTrend(msgspec.Struct, frozen=True, kw_only=True):
    """A trend as a manager reads it (``reports.disclosure``): the branch-level figures, and
    a chart of the scores as given when there are visits enough to draw one."""

    branch: str
    n: int
    slope_per_year: float
    interval: Interval | None
    p: float
    q: float
    limit: float
    cusum_h: float
    chart: RawChart | None = None


class BranchFindings(msgspec.Struct, frozen=True, kw_only=True):
    """What the branch report reads of the analysis: its own branch's entries, and the
    shoppers' severity for the adjusted chart (empty for a manager, who never sees it)."""

    estimate: BranchEstimate | None = None
    cells: list[CellEffect] = []
    staff: list[StaffFinding] = []
    trend: Trend | RawTrend | None = None
    severity: dict[str, float] = {}
    decision: Decision | None = None
