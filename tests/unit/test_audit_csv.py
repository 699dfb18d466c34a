"""Audit history files: the header, every cell, and the plan checked against what is stored."""

import datetime as dt
import uuid
from pathlib import Path

import msgspec
import pytest

from audits.fieldwork.import_csv import CHANNELS, AuditCsvError, AuditRow, parse_audits
from audits.fieldwork.import_plan import IMPORTED_SCORE, Known, audit_id, plan_import
from audits.fieldwork.rules import ShiftWindow
from audits.tables import Channel
from checklists.documents import dump_checklist, load_checklist

DEFAULTS = Path(__file__).resolve().parents[2] / "checklists" / "defaults"
FUND = load_checklist((DEFAULTS / "service-fundamentals.yaml").read_text("utf-8"))
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
HEAD = "audit_ref,visited_at,branch,auditor,score\n"


def _problems(text: str, doc=None) -> list[str]:
    with pytest.raises(AuditCsvError) as raised:
        parse_audits(text, doc)
    return [str(problem) for problem in raised.value.problems]


def _item_header(doc, drop=()) -> str:
    keys = [i.key for i in doc.items() if i.type.value != "photo" and i.key not in drop]
    return ",".join(["audit_ref", "visited_at", "branch", "auditor", *(f"item:{k}" for k in keys)])


def _good_answers(doc) -> dict[str, str]:
    """Cells that answer every item of ``doc`` with its best answer."""
    cells = {}
    for item in doc.items():
        if item.type.value == "yes_no":
            cells[item.key] = "yes"
        elif item.type.value == "scale":
            cells[item.key] = str(item.scale.max)
        elif item.type.value == "choice":
            cells[item.key] = max(item.options, key=lambda o: o.points).value
        elif item.type.value == "number":
            cells[item.key] = str(item.target.full_at)
        elif item.type.value == "text":
            cells[item.key] = "fine"
    return cells


def test_audit_csv_reads_score_rows_in_any_column_order():
    text = (
        "\ufeffscore,Branch,audit_ref,visited_at,auditor,shift,channel,staff,region\r\n"
        "87.5,B1,ext-1,2026-03-14T09:30,maria,morning,phone,S1,ATT\r\n"
        "\r\n"
        "60,B2,ext-2,2026-03-15,nikos,,,,\r\n"
    )
    assert parse_audits(text) == [
        AuditRow(
            2,
            "ext-1",
            dt.datetime(2026, 3, 14, 9, 30),
            True,
            "B1",
            "maria",
            "ATT",
            "phone",
            "morning",
            "S1",
            score=87.5,
        ),
        AuditRow(4, "ext-2", dt.datetime(2026, 3, 15), False, "B2", "nikos", score=60.0),
    ]


def test_audit_csv_keeps_an_offset_and_allows_trailing_cells_left_out():
    [row] = parse_audits(
        "audit_ref,visited_at,branch,auditor,staff,score\na,2026-03-14T09:30:00+02:00,B1,m,,70\n"
    )
    assert row.visited_at.utcoffset() == dt.timedelta(hours=2) and row.timed
    [short] = parse_audits(
        "audit_ref,visited_at,branch,auditor,score,staff\na,2026-03-14,B1,m,70\n"
    )
    assert short.score == 70 and short.staff == ""


def test_audit_csv_channels_are_the_tables_channels():
    assert set(CHANNELS) == {c.value for c in Channel}


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("", "row 1: empty file"),
        (
            "audit_ref,visited_at,branch,auditor,score,colour\n",
            "row 1, column colour: unknown column; expected audit_ref",
        ),
        (
            "audit_ref,visited_at,branch,score\n",
            "row 1, column auditor: required column is missing",
        ),
        (HEAD.strip() + ",branch\n", "row 1, column branch: column given twice"),
        (
            "audit_ref,visited_at,branch,auditor\n",
            "row 1, column score: a score column or item:<key> columns are required",
        ),
        (
            HEAD.strip() + ",item:courtesy\n",
            "row 1, column score: use either score or item:<key> columns, not both",
        ),
        (
            "audit_ref,visited_at,branch,auditor,item:courtesy\n",
            "row 1, column item:courtesy: item columns need a checklist",
        ),
        (HEAD + ",2026-03-14,B1,m,70\n", "row 2, column audit_ref: an audit_ref is required"),
        (
            HEAD + "x" * 121 + ",2026-03-14,B1,m,70\n",
            "row 2, column audit_ref: an id of at most 120 characters",
        ),
        (
            HEAD + "a,14/03/2026,B1,m,70\n",
            "row 2, column visited_at: expected an ISO 8601 date and time",
        ),
        (HEAD + "a,2026-02-30T10:00,B1,m,70\n", "row 2, column visited_at: expected an ISO 8601"),
        (HEAD + "a,2026-03-14,B 1,m,70\n", "row 2, column branch: use up to 40 letters"),
        (HEAD + "a,2026-03-14,B1,,70\n", "row 2, column auditor: a username without spaces"),
        (
            HEAD + "a,2026-03-14,B1,m,105\n",
            "row 2, column score: expected a score from 0 to 100, got '105'",
        ),
        (
            HEAD + "a,2026-03-14,B1,m,good\n",
            "row 2, column score: expected a score from 0 to 100, got 'good'",
        ),
        (HEAD + "a,2026-03-14,B1,m,nan\n", "row 2, column score: expected a score from 0 to 100"),
        (
            HEAD + "a,2026-03-14,B1,m,\n",
            "row 2, column score: expected a score from 0 to 100, got ''",
        ),
        (
            HEAD.strip() + ",channel\na,2026-03-14,B1,m,70,fax\n",
            "row 2, column channel: expected one of in_person, phone",
        ),
        (
            HEAD.strip() + ",staff\na,2026-03-14,B1,m,70,S 1\n",
            "row 2, column staff: use up to 40 letters",
        ),
        (
            # a region given by name gets a code made of it, unless nothing of it can be one
            HEAD.strip() + ",region\na,2026-03-14,B1,m,70,Αθήνα\n",
            "row 2, column region: cannot make a code of 'Αθήνα'",
        ),
        (
            HEAD.strip() + ",shift\na,2026-03-14,B1,m,70," + "s" * 41 + "\n",
            "row 2, column shift: a shift name of at most 40",
        ),
        (
            HEAD.strip() + ",calibration_of\na,2026-03-14,B1,m,70,a\n",
            "row 2, column calibration_of: an audit cannot be its own",
        ),
        (
            HEAD + "a,2026-03-14,B1,m,70\na,2026-03-15,B1,m,71\n",
            "row 3, column audit_ref: 'a' is already on row 2",
        ),
        (HEAD + "a,2026-03-14,B1,m,70,extra\n", "row 2: 6 cells, 5 columns"),
        (HEAD + 'a,"2026-03-14,B1,m,70\n', "row 2"),
    ],
)
def test_audit_csv_error_names_row_and_column(text, first):
    assert _problems(text)[0].startswith(first)


def test_audit_csv_reports_every_bad_row_and_only_those():
    text = (
        HEAD
        + "a,2026-03-14,B1,m,70\nb,yesterday,B1,m,70\nc,2026-03-14,B1,m,70\nd,2026-03-14,B1,m,-1\n"
    )
    assert [p.split(":")[0] for p in _problems(text)] == [
        "row 3, column visited_at",
        "row 5, column score",
    ]


def _fund_row(**cells: str):
    answers = {**_good_answers(FUND), **cells}
    header = _item_header(FUND)
    keys = [k[5:] for k in header.split(",")[4:]]
    line = "a,2026-03-14T10:00,B1,m," + ",".join(answers.get(k, "") for k in keys)
    return header, line


def test_audit_csv_items_read_answers_of_each_type():
    header, line = _fund_row(
        entrance_clean_tidy="No",
        signage_and_hours_clear="1",
        queue_wait_minutes="4.5",
        courtesy="4",
        problem_heard_out="NA",
        clear_price_conditions="na",
        staff_description="tall, glasses",
    )
    [row] = parse_audits(
        f"{header}\n{line.replace('tall, glasses', chr(34) + 'tall, glasses' + chr(34))}\n", FUND
    )
    assert row.score is None
    answers = row.answers
    assert (answers["entrance_clean_tidy"], answers["signage_and_hours_clear"]) == (False, True)
    assert (answers["queue_wait_minutes"], answers["courtesy"]) == (4.5, 4)
    assert answers["problem_heard_out"] == answers["clear_price_conditions"] == "na"
    assert answers["staff_description"] == "tall, glasses"
    assert "premises_photo" not in answers


@pytest.mark.parametrize(
    ("cells", "first"),
    [
        ({"courtesy": "6"}, "row 2, column item:courtesy: Choose a whole number from 1 to 5."),
        ({"courtesy": "4.5"}, "row 2, column item:courtesy: Choose a whole number from 1 to 5."),
        (
            {"entrance_clean_tidy": "maybe"},
            "row 2, column item:entrance_clean_tidy: Answer yes or no.",
        ),
        ({"queue_wait_minutes": "soon"}, "row 2, column item:queue_wait_minutes: Enter a number."),
        (
            {"entrance_clean_tidy": "na"},
            "row 2, column item:entrance_clean_tidy: N/A is not allowed",
        ),
        ({"courtesy": ""}, "row 2, column item:courtesy: An answer is required."),
        (
            {"problem_heard_out": "yes", "problem_outcome": "fixed"},
            "row 2, column item:problem_outcome: Choose one of: solved",
        ),
    ],
)
def test_audit_csv_item_errors_name_the_item_column(cells, first):
    header, line = _fund_row(**cells)
    [problem] = _problems(f"{header}\n{line}\n", FUND)
    assert problem.startswith(first)


def test_audit_csv_item_header_checks_against_the_checklist():
    required = next(i for i in FUND.items() if i.required and i.condition is None)
    problems = _problems(_item_header(FUND, drop={required.key}) + ",item:nope\n", FUND)
    assert "row 1, column item:nope: no item `nope` in checklist service-fundamentals" in problems
    assert f"row 1, column item:{required.key}: required column is missing" in problems[-1]
    score_with_checklist = _problems(HEAD, FUND)
    assert "a score column takes no checklist" in score_with_checklist[0]


def test_imported_score_checklist_is_a_valid_document():
    assert load_checklist(dump_checklist(IMPORTED_SCORE)) == IMPORTED_SCORE


def _known(**overrides) -> Known:
    values = {
        "branches": {"B1": (1, "Europe/Athens"), "B2": (2, "UTC")},
        "staff": {("B1", "S1")},
        "auditors": {"maria"},
        "shifts": {
            None: [ShiftWindow("morning", 420, 720)],
            1: [ShiftWindow("early", 360, 480, True)],
        },
        "stored": {},
    }
    return Known(**{**values, **overrides})


def _plan(text: str, known: Known | None = None, create: bool = False):
    rows = parse_audits(text)
    return plan_import(rows, known or _known(), doc=None, create_missing=create, now=NOW)


def test_plan_derives_shift_in_branch_time_and_keeps_date_only_without_shift():
    plan = _plan(
        HEAD + "a,2026-03-14T07:30,B1,maria,80\nb,2026-03-14T09:30,B1,maria,80\n"
        "c,2026-03-14,B1,maria,80\nd,2026-03-14T05:30:00+00:00,B1,maria,80\n"
    )
    shifts = {a.row.ref: a.shift for a in plan.audits}
    # 07:30 is in both: the branch's own shift wins; 05:30 UTC is 07:30 in Athens
    assert shifts == {"a": "early", "b": "morning", "c": None, "d": "early"}
    first = plan.audits[0]
    assert first.visited_at == dt.datetime(2026, 3, 14, 5, 30, tzinfo=dt.UTC)
    assert first.score == first.raw_score == 80 and first.answers == {"score": 80}


def test_plan_reports_unknown_things_unless_create_missing():
    text = HEAD.strip() + ",staff,region\na,2026-03-14T10:00,B9,ines,70,S7,ATT\n"
    with pytest.raises(AuditCsvError) as raised:
        _plan(text)
    assert [str(p) for p in raised.value.problems] == [
        "row 2, column branch: branch 'B9' is unknown; --create-missing creates it",
        "row 2, column staff: staff member 'S7' of B9 is unknown; --create-missing creates it",
        "row 2, column auditor: auditor 'ines' is unknown; --create-missing creates it",
    ]
    plan = _plan(text, create=True)
    assert (plan.branches, plan.staff, plan.auditors) == ({"B9": "ATT"}, [("B9", "S7")], ["ines"])


def test_plan_rejects_unknown_shift_and_future_visit():
    text = (
        HEAD.strip()
        + ",shift\na,2026-03-14T10:00,B2,maria,70,night\nb,2027-01-01T10:00,B2,maria,70,\n"
    )
    with pytest.raises(AuditCsvError) as raised:
        _plan(text)
    assert [str(p) for p in raised.value.problems] == [
        "row 2, column shift: no shift 'night' at B2 (morning)",
        "row 3, column visited_at: the visit time is in the future",
    ]


def test_plan_skips_stored_refs_and_links_calibration_pairs():
    stored_id = uuid.uuid4()
    known = _known(stored={"old": (stored_id, "B1"), "done": (audit_id("done"), "B1")})
    text = (
        HEAD.strip() + ",calibration_of\n"
        "done,2026-03-14T10:00,B1,maria,70,\n"
        "b,2026-03-14T10:00,B1,maria,70,c\n"
        "c,2026-03-14T10:05,B1,maria,72,\n"
        "d,2026-03-14T10:05,B1,maria,72,old\n"
    )
    plan = _plan(text, known)
    assert plan.already == 1
    pairs = {a.row.ref: a.calibration_of for a in plan.audits}
    assert pairs == {"b": audit_id("c"), "c": None, "d": stored_id}


def test_plan_calibration_pair_must_exist_at_the_same_branch():
    text = (
        HEAD.strip() + ",calibration_of\n"
        "a,2026-03-14T10:00,B1,maria,70,zz\n"
        "b,2026-03-14T10:00,B2,maria,70,c\n"
        "c,2026-03-14T10:00,B1,maria,70,\n"
    )
    with pytest.raises(AuditCsvError) as raised:
        _plan(text)
    assert [str(p) for p in raised.value.problems] == [
        "row 2, column calibration_of: no audit 'zz' in this file or stored",
        "row 3, column calibration_of: audit 'c' is of branch B1, not B2",
    ]


def test_audit_id_is_stable_and_keeps_an_evenly_uuid():
    own = uuid.uuid4()
    assert audit_id(str(own)) == own
    assert audit_id("wake-1") == audit_id("wake-1") != audit_id("wake-2")


def test_audit_csv_required_photo_is_not_missing_and_its_column_is_refused():
    photo = next(i for i in FUND.items() if i.type.value == "photo")
    sections = [
        msgspec.structs.replace(
            s,
            items=[msgspec.structs.replace(i, required=True) if i is photo else i for i in s.items],
        )
        for s in FUND.sections
    ]
    doc = msgspec.structs.replace(FUND, sections=sections)
    header, line = _fund_row()
    [row] = parse_audits(f"{header}\n{line}\n", doc)
    assert photo.key not in row.answers
    refused = _problems(f"{header},item:{photo.key}\n", doc)
    assert refused == [
        f"row 1, column item:{photo.key}: photos cannot be imported; leave out item `{photo.key}`"
    ]


def test_audit_csv_region_given_by_name_gets_a_code_made_of_it():
    text = HEAD.strip() + ",region\na,2026-03-14,B1,m,70,HOLLY SPRINGS\nb,2026-03-14,B2,m,70,ATT\n"
    assert [row.region for row in parse_audits(text)] == ["HOLLY-SPRINGS", "ATT"]


class _CountedName(str):
    """A staff code or username that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        _CountedName.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _comparisons_planning(n: int) -> int:
    rows = [
        AuditRow(
            row=i + 2,
            ref=f"r{i}",
            visited_at=dt.datetime(2026, 1, 1, 12),
            timed=True,
            branch=f"B{i % 20}",
            auditor=_CountedName(f"new{i}"),
            staff=_CountedName(f"S{i}"),
            score=80.0,
        )
        for i in range(n)
    ]
    branches = {f"B{b}": (b + 1, "UTC") for b in range(20)}
    known = Known(branches=branches, staff=set(), auditors=set(), shifts={}, stored={})
    _CountedName.comparisons = 0
    plan = plan_import(rows, known, doc=None, create_missing=True, now=NOW)
    assert len(plan.staff) == len(plan.auditors) == len(plan.audits) == n
    return _CountedName.comparisons


def test_plan_with_every_row_a_new_person_checks_each_name_a_bounded_number_of_times():
    # Looking a new name up in a list of the names planned so far compares it with each of
    # them (3,000 rows over 20 branches: ~220,000 comparisons); in a set, next to none.
    for n in (1500, 3000):
        assert _comparisons_planning(n) <= 2 * n  # proportional to the file, not its square
