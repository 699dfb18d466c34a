"""The demo organisation as an analysis frame and as report rows, without a database (pure).

Scores come from ``checklists.scoring.score_audit``, exactly as filing stores them, so the
planted patterns reach the analysis through the same mapping from answers to scores.
"""

from __future__ import annotations

from audits.demo.generator import DemoOrganisation
from checklists.model import Checklist
from checklists.scoring import score_audit
from reports.frame import Frame, frame_from_records
from reports.rows import AuditRow, audit_row


def demo_records(org: DemoOrganisation, checklist: Checklist) -> list[dict[str, object]]:
    """One record per demo audit, in the shape :func:`frame_from_records` takes."""
    regions = {b.code: b.region for b in org.branches}
    paired = {a.calibration_of for a in org.audits if a.calibration_of is not None}
    records = []
    for audit in org.audits:
        scored = score_audit(checklist, audit.answers)
        record: dict[str, object] = {
            "ref": str(audit.id),
            "score": scored.score,
            "branch": audit.branch,
            "region": regions[audit.branch],
            "shift": audit.shift,
            "channel": audit.channel,
            "staff": audit.staff,
            "auditor": audit.auditor,
            "checklist": audit.checklist,
            "visited_at": audit.visited_at,
            "calibration_of": str(audit.calibration_of) if audit.calibration_of else None,
        }
        if audit.calibration_of is not None or audit.id in paired:
            record["item_scores"] = {
                item.key: item.score for item in scored.items if item.score is not None
            }
        records.append(record)
    return records


def frame_from_demo(org: DemoOrganisation, checklist: Checklist) -> Frame:
    return frame_from_records(demo_records(org, checklist))


def rows_from_demo(
    org: DemoOrganisation, doc: Checklist, *, staff_codes_only: bool = True
) -> list[AuditRow]:
    """Rows of the demo organisation's audits (``audits.demo.generator.generate_demo``), as
    ``reports.rows.AuditRow`` like those ``reports.report_data.load_rows`` reads."""
    branches = {b.code: b for b in org.branches}
    rows = []
    for audit in sorted(org.audits, key=lambda a: a.visited_at):
        branch = branches[audit.branch]
        values = {
            "id": str(audit.id),
            "branch": audit.branch,
            "branch_name": branch.name,
            "region": branch.region,
            "local": audit.visited_at,
            "shift": audit.shift,
            "channel": audit.channel,
            "staff": audit.staff,
            "auditor": audit.auditor,
            "checklist": audit.checklist,
            "score": None,
            "calibration_of": str(audit.calibration_of) if audit.calibration_of else None,
        }
        rows.append(audit_row(values, score_audit(doc, audit.answers), staff_codes_only))
    return rows
