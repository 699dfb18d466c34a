"""The rows of the period reports, one per published audit (pure).

``report_data.load_rows`` makes them from the database (``bench.demo_frames.rows_from_demo``
from the demo generator, for tests and benchmarks); ``frame_of`` hands the same rows to
``reports.analysis``, so the descriptive figures and the model-based ones are computed over
exactly the same audits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from checklists.scoring import AuditScore

from .frame import Frame, frame_from_records


class AuditRow(msgspec.Struct):
    """One audit; ``local`` is the visit time on the branch's clock. ``staff`` is the code the
    analysis uses, ``staff_label`` what readers see (the code alone when the organisation hides
    names). A manager's rows pass through ``audits.fieldwork.disclosure`` (no ``auditor``, the
    date alone)."""

    id: str
    branch: str
    branch_name: str
    region: str
    local: dt.datetime
    shift: str
    channel: str
    staff: str
    staff_label: str
    checklist: str
    score: float | None  # None when no item could be scored (all N/A)
    sections: dict[str, float]  # section key → 0-100
    items: dict[str, bool]  # item key → passed, over the scored items answered
    item_scores: dict[str, float]
    auditor: str = ""
    calibration_of: str | None = None


def audit_row(values: dict[str, Any], scored: AuditScore, staff_codes_only: bool) -> AuditRow:
    """``values`` carries the row's fields except the ones ``scored`` gives: what scoring
    computed when the audit was filed (``Audit.results``), or for the demo just now."""
    staff = values.get("staff") or ""
    name = values.pop("staff_name", "") or ""
    label = f"{staff} {name}" if staff and name and not staff_codes_only else staff
    score = values.pop("score", None)
    return AuditRow(
        **values,
        staff_label=label,
        sections={s.key: s.score for s in scored.sections if s.score is not None},
        items={r.key: bool(r.passed) for r in scored.items if r.passed is not None},
        item_scores={r.key: r.score for r in scored.items if r.score is not None},
        score=score if score is not None else scored.score,
    )


def frame_of(rows: list[AuditRow]) -> Frame:
    """The analysis frame of these rows (calibration pairs included)."""
    paired = {r.calibration_of for r in rows if r.calibration_of}
    return frame_from_records(_record(r, paired) for r in rows)


def _record(r: AuditRow, paired: set[str]) -> dict[str, Any]:
    return {
        "ref": r.id,
        "score": r.score,
        "branch": r.branch,
        "region": r.region or None,
        "shift": r.shift or None,
        "channel": r.channel or None,
        "staff": r.staff or None,
        "auditor": r.auditor,
        "checklist": r.checklist,
        "visited_at": r.local,
        "calibration_of": r.calibration_of,
        "item_scores": r.item_scores if r.calibration_of or r.id in paired else None,
    }
