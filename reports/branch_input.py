"""What the branch report is built from, gathered by its caller (pure)."""

from __future__ import annotations

import msgspec

from .recovery import RecoveryFigures
from .results import BranchFindings


class BranchInput(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the branch report reads: the branch's rows and the organisation's (for
    comparison), the analysis's findings on this branch, titles in the reader's language and
    the follow-up of corrective actions. ``times_shown`` is false for a manager, who reads
    visits by local date alone (``reports.disclosure``)."""

    code: str
    name: str
    rows: list
    org_rows: list
    findings: BranchFindings = msgspec.field(default_factory=BranchFindings)
    section_titles: dict[str, str] = {}
    item_titles: dict[str, str] = {}
    shift_names: dict[str, str] = {}  # a shift's default name → its name in the reader's
    period: str
    recovery: RecoveryFigures | None = None
    times_shown: bool = True
