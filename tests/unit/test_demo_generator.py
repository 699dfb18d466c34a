"""The demo organisation: sizes, determinism, valid answers, and the planted patterns.

The patterns are checked on the scores that ``score_audit`` gives, as a report would see them.
"""

import datetime as dt
import statistics
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from audits.demo import generator as demo
from checklists.documents import load_checklist
from checklists.scoring import applicable_items, score_audit, validate_answers

DEFAULTS = Path(__file__).parents[2] / "checklists" / "defaults"
START = dt.date(2025, 1, 6)


def _checklist(name: str = "service-fundamentals"):
    return load_checklist((DEFAULTS / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def org():
    return demo.generate_demo(_checklist(), start=START)


@pytest.fixture(scope="module")
def scores(org):
    doc = _checklist()
    return {audit.id: score_audit(doc, audit.answers).score for audit in org.audits}


def _mean(org, scores, keep) -> float:
    return statistics.mean(scores[a.id] for a in org.audits if keep(a))


def test_generate_demo_same_seed_same_organisation():
    first = demo.generate_demo(_checklist(), seed=3, start=START, days=90)
    again = demo.generate_demo(_checklist(), seed=3, start=START, days=90)
    other = demo.generate_demo(_checklist(), seed=4, start=START, days=90)
    assert first == again
    assert [a.id for a in first.audits] == [a.id for a in again.audits]
    assert {a.id for a in first.audits}.isdisjoint(a.id for a in other.audits)


def test_generate_demo_default_year_has_expected_sizes(org):
    assert [r.code for r in org.regions] == ["ATT", "NGR", "PL"]
    assert [b.code for b in org.branches] == [f"B{n:02d}" for n in range(1, 25)]
    assert {b.timezone for b in org.branches} == {"Europe/Athens", "Europe/Warsaw"}
    assert [(s.name, s.start_minute, s.end_minute) for s in org.shifts] == [
        ("morning", 420, 720),
        ("afternoon", 720, 1020),
        ("evening", 1020, 1320),
    ]
    per_branch = [sum(m.branch == b.code for m in org.staff) for b in org.branches]
    assert min(per_branch) >= 5 and max(per_branch) <= 7
    assert all(m.code.startswith(f"{m.branch}-S") for m in org.staff)
    assert 800 <= len(org.audits) <= 1200
    assert len({a.id for a in org.audits}) == len(org.audits)
    assert all(a.id.version == 4 for a in org.audits)


def test_generate_demo_users_have_demo_roles(org):
    users = {u.username: u for u in org.users}
    roles = {name: users[name].role for name in ("admin", "office", "manager", "shopper")}
    assert roles == {
        "admin": "admin",
        "office": "office",
        "manager": "manager",
        "shopper": "shopper",
    }
    assert sum(u.role == "shopper" for u in org.users) == 12
    regions = {b.code: b.region for b in org.branches}
    assert len(users["manager"].branches) == 3
    assert len({regions[code] for code in users["manager"].branches}) == 1
    assert {a.auditor for a in org.audits} <= {u.username for u in org.users if u.role == "shopper"}
    assert any(a.auditor == "shopper" for a in org.audits)


def test_generate_demo_visits_fall_inside_their_shift_in_branch_time(org):
    shifts = {s.name: s for s in org.shifts}
    zones = {b.code: b.timezone for b in org.branches}
    end = START + dt.timedelta(days=365)
    for audit in org.audits:
        local = audit.visited_at.astimezone(ZoneInfo(zones[audit.branch]))
        assert local.utcoffset() == audit.visited_at.utcoffset()
        minute = local.hour * 60 + local.minute
        shift = shifts[audit.shift]
        assert shift.start_minute <= minute < shift.end_minute
        assert START <= local.date() < end
        assert audit.submitted_at > audit.visited_at


@pytest.mark.parametrize("name", ["service-fundamentals", "phone-call"])
def test_generate_demo_answers_honour_conditions_and_validate(name):
    doc = _checklist(name)
    org = demo.generate_demo(doc, start=START, days=120)
    for audit in org.audits:
        assert set(audit.answers) <= applicable_items(doc, audit.answers), audit.id
        assert validate_answers(doc, audit.answers) == {}, audit.id
        assert set(audit.comments) <= set(audit.answers)
    assert {a.checklist for a in org.audits} == {doc.slug}
    assert {a.channel for a in org.audits} == {doc.channel or "in_person"}


def test_generate_demo_answers_use_na_text_and_photo_sometimes(org):
    doc = _checklist()
    answers = [value for a in org.audits for value in a.answers.values()]
    assert "na" in answers
    texts = [i.key for i in doc.items() if i.type in ("text", "photo") and not i.required]
    filled = sum(key in a.answers for a in org.audits for key in texts)
    assert 0 < filled < len(texts) * len(org.audits)


def test_generate_demo_evening_branch_evening_is_ten_points_worse(org, scores):
    branch, shift = org.patterns.evening_branch, org.patterns.evening_shift
    evening = _mean(org, scores, lambda a: a.branch == branch and a.shift == shift)
    other = _mean(org, scores, lambda a: a.branch == branch and a.shift != shift)
    assert other - evening >= 10


def test_generate_demo_erratic_staff_spread_doubles_median(org, scores):
    by_staff: dict[str, list[float]] = {}
    for audit in org.audits:
        by_staff.setdefault(audit.staff, []).append(scores[audit.id])
    spreads = {code: statistics.stdev(v) for code, v in by_staff.items() if len(v) >= 4}
    erratic = spreads.pop(org.patterns.erratic_staff)
    assert erratic >= 2 * statistics.median(spreads.values())


def test_generate_demo_strict_shopper_scores_six_points_lower(org, scores):
    strict = org.patterns.strict_shopper
    assert (
        _mean(org, scores, lambda a: a.auditor != strict)
        - _mean(org, scores, lambda a: a.auditor == strict)
        >= 6
    )


def test_generate_demo_improving_branch_second_half_eight_points_better(org, scores):
    middle = START + dt.timedelta(days=365 / 2)
    branch = org.patterns.improving_branch
    first = _mean(org, scores, lambda a: a.branch == branch and a.visited_at.date() < middle)
    second = _mean(org, scores, lambda a: a.branch == branch and a.visited_at.date() >= middle)
    assert second - first >= 8


def test_generate_demo_visit_counts_span_quiet_to_busy_branches(org):
    counts = {b.code: sum(a.branch == b.code for a in org.audits) for b in org.branches}
    assert min(counts.values()) <= 4 and max(counts.values()) >= 40
    assert counts[org.patterns.quiet_branch] == min(counts.values())
    assert counts[org.patterns.busy_branch] == max(counts.values())


def test_generate_demo_short_scaled_period_keeps_every_branch():
    org = demo.generate_demo(_checklist(), start=START, days=30, visits_scale=0.5)
    assert {a.branch for a in org.audits} == {b.code for b in org.branches}
    assert len(org.audits) < 60


def test_improvement_at_ends_of_period_spans_improvement():
    assert demo.improvement_at(0.0) == pytest.approx(-demo.IMPROVEMENT / 2)
    assert demo.improvement_at(1.0) == pytest.approx(demo.IMPROVEMENT / 2)


def test_demo_module_imported_alone_loads_no_piccolo_or_litestar():
    code = (
        "import sys, audits.demo.generator; "
        "print(sorted({'piccolo', 'litestar'} & set(sys.modules)))"
    )
    root = Path(__file__).parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert result.stdout.strip() == "[]", result.stderr


def test_generate_demo_calibration_visits_rescore_same_visit_and_leave_others_alone(org):
    paired = demo.generate_demo(_checklist(), start=START, calibration_share=0.1)
    seconds = [a for a in paired.audits if a.calibration_of is not None]
    firsts = {a.id: a for a in paired.audits if a.calibration_of is None}
    assert 0.05 * len(firsts) < len(seconds) < 0.15 * len(firsts)
    assert list(firsts.values()) == org.audits  # the other audits do not change
    for second in seconds:
        first = firsts[second.calibration_of]
        assert (second.branch, second.shift, second.staff) == (
            first.branch,
            first.shift,
            first.staff,
        )
        assert second.visited_at == first.visited_at and second.auditor != first.auditor
