"""What an audit import will write (pure): parsed rows checked against what is stored.

``plan_import`` resolves branches, staff, auditors, shifts and calibration pairs from values
the caller loaded (``Known``), scores the answers, and either returns the whole plan or raises
``AuditCsvError`` with every problem. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from audits.fieldwork.import_csv import AuditCsvError, AuditRow
from audits.fieldwork.rules import ShiftWindow, local_time, shift_for, visit_time_problem
from audits.org.csv_files import CsvProblem
from checklists.model import Checklist, Item, ItemType, NumberTarget, Section
from checklists.scoring import score_audit, stored_results

IMPORTED_SCORE = Checklist(
    slug="imported-score",
    title={
        "en": "Imported score",
        "el": "Εισαγόμενη βαθμολογία",
        "pl": "Zaimportowany wynik",
        "fa": "امتیاز واردشده",
    },
    description={"en": "Audits imported from another system with their score only."},
    sections=[
        Section(
            key="imported",
            title={"en": "Imported", "el": "Εισαγωγή", "pl": "Import", "fa": "واردشده"},
            items=[
                Item(
                    key="score",
                    type=ItemType.number,
                    text={"en": "Score in the system the audit came from (0–100)"},
                    target=NumberTarget(full_at=100, zero_at=0),
                    pass_mark=0.0,  # a low score is not a failed item: there are no items
                )
            ],
        )
    ],
)
"""The checklist score-only audits are filed against: one number item holding the score, so
every page that shows an audit's answers, score and failed items works on them unchanged."""

REF_NAMESPACE = uuid.UUID("5b0f4f8e-6a53-4d0c-9a3e-2f1d6c7e8a90")


class Known(msgspec.Struct):
    """What the database holds that a file may refer to."""

    branches: dict[str, tuple[int, str]]  # code → (id, time zone)
    staff: set[tuple[str, str]]  # (branch code, staff code)
    auditors: set[str]  # usernames
    shifts: dict[int | None, list[ShiftWindow]]  # branch id (None: organisation-wide)
    stored: dict[str, tuple[uuid.UUID, str]]  # audit_ref → (audit id, branch code)


class PlannedAudit(msgspec.Struct):
    row: AuditRow
    id: uuid.UUID
    visited_at: dt.datetime  # UTC
    shift: str | None
    calibration_of: uuid.UUID | None
    score: float | None
    raw_score: float | None
    critical_fail: bool
    answers: dict[str, Any]
    section_scores: dict[str, float | None]
    dimension_scores: dict[str, float]
    results: str  # what scoring computed, as JSON text (``checklists.scoring.stored_results``)


class ImportPlan(msgspec.Struct):
    audits: list[PlannedAudit]
    already: int  # rows whose audit_ref is stored: left as they are
    branches: dict[str, str]  # to create: code → region code ("" for none)
    staff: list[tuple[str, str]]  # to create: (branch, code)
    auditors: list[str]  # to create: usernames


def audit_id(ref: str) -> uuid.UUID:
    """The id an imported audit gets: the ref itself when it is a UUID (an audit Evenly
    exported), else one derived from it, so the same ref always makes the same id."""
    if len(ref) == 36 and ref.count("-") == 4:  # spare the rest a failed parse
        try:
            return uuid.UUID(ref)
        except ValueError:
            pass
    return uuid.uuid5(REF_NAMESPACE, ref)


def _scores(row: AuditRow, doc: Checklist | None) -> dict[str, Any]:
    if doc is None:
        assert row.score is not None
        answers = {"score": row.score}
        return {
            "score": row.score,
            "raw_score": row.score,
            "critical_fail": False,
            "answers": answers,
            "section_scores": {"imported": row.score},
            "dimension_scores": {},
            # as reads used to score it, against the checklist it is filed under
            "results": stored_results(score_audit(IMPORTED_SCORE, answers)),
        }
    result = score_audit(doc, row.answers)
    return {
        "score": result.score,
        "raw_score": result.raw_score,
        "critical_fail": result.critical_fail,
        "answers": row.answers,
        "section_scores": {s.key: s.score for s in result.sections},
        "dimension_scores": {d.value: v for d, v in result.dimensions.items()},
        "results": stored_results(result),
    }


class _Planner:
    """One pass over the rows, collecting problems and what to create."""

    def __init__(self, known: Known, create_missing: bool, now: dt.datetime) -> None:
        self.known, self.create, self.now = known, create_missing, now
        self.problems: list[CsvProblem] = []
        self.plan = ImportPlan([], 0, {}, [], [])
        # Membership of what is to be created, looked up once per row: the plan's lists keep
        # the file's order, these sets keep the check constant-time (a list made a year of
        # 30,000 new staff quadratic).
        self.new_staff: set[tuple[str, str]] = set()
        self.new_auditors: set[str] = set()
        self.windows: dict[int | None, list[ShiftWindow]] = {}

    def problem(self, row: AuditRow, column: str, message: str) -> None:
        self.problems.append(CsvProblem(row.row, column, message))

    def missing(self, row: AuditRow, column: str, what: str) -> bool:
        """Report an unknown thing (or plan to create it); True when the row cannot go on."""
        if not self.create:
            self.problem(row, column, f"{what} is unknown; --create-missing creates it")
        return not self.create

    def branch(self, row: AuditRow) -> tuple[int | None, str] | None:
        """(branch id or None for a new branch, time zone); None when the row fails."""
        if row.branch in self.known.branches:
            return self.known.branches[row.branch]
        if self.missing(row, "branch", f"branch {row.branch!r}"):
            return None
        self.plan.branches.setdefault(row.branch, row.region)
        return None, "UTC"

    def people(self, row: AuditRow) -> bool:
        ok = True
        staff = (row.branch, row.staff)
        if row.staff and staff not in self.known.staff and staff not in self.new_staff:
            if self.missing(row, "staff", f"staff member {row.staff!r} of {row.branch}"):
                ok = False
            else:
                self.new_staff.add(staff)
                self.plan.staff.append(staff)
        if row.auditor not in self.known.auditors and row.auditor not in self.new_auditors:
            if self.missing(row, "auditor", f"auditor {row.auditor!r}"):
                ok = False
            else:
                self.new_auditors.add(row.auditor)
                self.plan.auditors.append(row.auditor)
        return ok

    def _windows(self, branch_id: int | None) -> list[ShiftWindow]:
        """The branch's own shifts first, then the organisation's (the order ``shift_for``
        wants), worked out once per branch."""
        if branch_id not in self.windows:
            own = self.known.shifts.get(branch_id, []) if branch_id is not None else []
            self.windows[branch_id] = own + self.known.shifts.get(None, [])
        return self.windows[branch_id]

    def shift(self, row: AuditRow, branch_id: int | None, local: dt.datetime) -> str | None:
        windows = self._windows(branch_id)
        if row.shift:
            if row.shift not in {w.name for w in windows}:
                names = ", ".join(sorted({w.name for w in windows})) or "none defined"
                self.problem(row, "shift", f"no shift {row.shift!r} at {row.branch} ({names})")
            return row.shift
        return shift_for(local, windows) if row.timed else None

    def audit(self, row: AuditRow, doc: Checklist | None) -> PlannedAudit | None:
        if row.ref in self.known.stored:
            self.plan.already += 1
            return None
        branch = self.branch(row)
        people_ok = self.people(row)
        if branch is None or not people_ok:
            return None
        branch_id, timezone = branch
        local = local_time(row.visited_at, timezone)
        utc = local.astimezone(dt.UTC)
        if problem := visit_time_problem(utc, self.now):
            self.problem(row, "visited_at", problem[0].lower() + problem[1:].rstrip("."))
        return PlannedAudit(
            row=row,
            id=audit_id(row.ref),
            visited_at=utc,
            shift=self.shift(row, branch_id, local),
            calibration_of=None,
            **_scores(row, doc),
        )

    def pair(self, audit: PlannedAudit, planned: dict[str, PlannedAudit]) -> None:
        """Link a calibration pair: the other audit is in this file or stored already."""
        ref, row = audit.row.calibration_of, audit.row
        if ref in planned:
            other_id, other_branch = planned[ref].id, planned[ref].row.branch
        elif ref in self.known.stored:
            other_id, other_branch = self.known.stored[ref]
        else:
            self.problem(row, "calibration_of", f"no audit {ref!r} in this file or stored")
            return
        if other_branch != row.branch:
            message = f"audit {ref!r} is of branch {other_branch}, not {row.branch}"
            self.problem(row, "calibration_of", message)
            return
        audit.calibration_of = other_id


def plan_import(
    rows: list[AuditRow],
    known: Known,
    *,
    doc: Checklist | None,
    create_missing: bool,
    now: dt.datetime,
) -> ImportPlan:
    """The audits to insert (scored against ``doc``, or score-only when it is None) and the
    branches, staff and auditors to create first; raises ``AuditCsvError``."""
    planner = _Planner(known, create_missing, now)
    planned = {}
    for row in rows:
        if (audit := planner.audit(row, doc)) is not None:
            planned[row.ref] = audit
    for audit in planned.values():
        if audit.row.calibration_of:
            planner.pair(audit, planned)
    if planner.problems:
        raise AuditCsvError(sorted(planner.problems, key=lambda p: p.row))
    planner.plan.audits = list(planned.values())
    return planner.plan
