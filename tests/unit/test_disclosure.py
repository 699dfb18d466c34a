"""What a manager may learn about a visit is a list of what they may see: anything else,
including a field added later, stays with head office; the manager's branch report is built
from that view and its trend chart from the scores as given."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
import pytest

from audits.fieldwork.disclosure import MANAGER_VISIT_FACTS, disclose, visit_order_key
from audits.fieldwork.schemas import AuditOut
from audits.org.users import CurrentUser
from audits.tables import Role
from reports.branch_report import branch_report
from reports.disclosure import branch_input_for
from reports.figures import RED
from reports.results import RawTrend

from .report_demo import Demo

MANAGER = CurrentUser(1, "max", Role.manager, branches=("B11",))
OFFICE = CurrentUser(2, "ada", Role.office)


def _audit(**extra) -> AuditOut:
    values = {
        "id": uuid.uuid4(),
        "branch": "B1",
        "checklist": "service-fundamentals",
        "visited_at": dt.datetime(2026, 3, 10, 21, 47, tzinfo=dt.UTC),  # 23:47 in Athens
        "answers": {"greeted": True},
        "status": "published",
        "score": 81.5,
        "raw_score": 81.5,
        "critical_fail": False,
        "shift": "evening",
        "submitted_at": dt.datetime(2026, 3, 11, 9, 5, tzinfo=dt.UTC),
        "auditor": "kalliope",
        "flags": ["far_from_usual"],
        "review_comment": "Kalliope confirmed by phone",
        "visit": 42,
        "visit_minutes": 17,
    }
    return AuditOut(**{**values, **extra})


def test_disclose_to_manager_keeps_the_visit_and_drops_the_shopper_and_timings():
    audit = _audit()
    seen = disclose(audit, MANAGER, zone="Europe/Athens")
    assert (seen.id, seen.branch, seen.shift, seen.score, seen.answers) == (
        audit.id,
        "B1",
        "evening",
        81.5,
        {"greeted": True},
    )
    assert (seen.auditor, seen.submitted_at, seen.flags, seen.review_comment) == (
        None,
        None,
        [],
        "",
    )
    assert (seen.visit, seen.visit_minutes) == (None, None)
    # the local date (Athens), not the UTC one, and no time of day
    assert seen.visited_at.isoformat() == "2026-03-10T00:00:00+02:00"


def test_disclose_to_head_office_changes_nothing():
    audit = _audit()
    assert disclose(audit, OFFICE, zone="Europe/Athens") is audit


def test_a_field_added_later_is_hidden_from_managers_until_decided():
    class Later(AuditOut, kw_only=True):
        seconds_to_file: int = 0

    seen = disclose(Later(**msgspec.structs.asdict(_audit()), seconds_to_file=900), MANAGER)
    assert "seconds_to_file" not in MANAGER_VISIT_FACTS and seen.seconds_to_file == 0


def test_a_hidden_field_without_a_default_refuses_rather_than_leaks():
    class Careless(msgspec.Struct):
        id: str
        shopper_email: str

    with pytest.raises(TypeError, match="shopper_email"):
        disclose(Careless("a", "k@example.org"), MANAGER)


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def test_manager_trend_chart_is_of_scores_as_given_with_signals_from_them(demo):
    data = branch_input_for(demo.branch("B11"), MANAGER)
    assert {r.auditor for r in data.rows} == {""} and data.findings.severity == {}
    assert data.rows == sorted(data.rows, key=visit_order_key)
    assert isinstance(data.findings.trend, RawTrend) and data.findings.trend.chart is not None
    trend = data.findings.trend.chart
    report = branch_report(data, lang="en", audit_href=lambda i: f"/reports/visits/{i}")
    traces = {f.key: f.figure for f in report.figures()}["trend"]["data"]
    assert len(traces) == 4  # limits, centre, points: no second (adjusted) series
    points = traces[-1]
    assert points["y"] == pytest.approx([r.score for r in data.rows])
    scores = [r.score for r in data.rows]
    assert trend.centre == pytest.approx(sum(scores) / len(scores), abs=1e-3)
    red = {r.id for r, c in zip(data.rows, points["marker"]["color"], strict=True) if c == RED}
    assert red == {s.ref for s in trend.signals}
    assert all(r.local.time() == dt.time() for r in data.rows)


def test_head_office_trend_chart_keeps_the_adjusted_scores(demo):
    data = branch_input_for(demo.branch("B11"), OFFICE)
    report = branch_report(data, lang="en", audit_href=lambda i: f"/reports/visits/{i}")
    raw, *_, points = {f.key: f.figure for f in report.figures()}["trend"]["data"]
    severity = {a.auditor: a.severity for a in demo.analysis.auditors}
    assert points["y"] == pytest.approx([r.score - severity[r.auditor] for r in data.rows])
    assert raw["y"] == pytest.approx([r.score for r in data.rows])
