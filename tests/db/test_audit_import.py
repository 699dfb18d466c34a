"""Importing audit history into the real database: idempotent, all or nothing, pairs linked."""

from __future__ import annotations

import datetime as dt

import pytest
from piccolo.apps.user.tables import BaseUser

from audits.db.sqlite_pool import PooledSQLiteEngine
from audits.fieldwork.export import export_audits
from audits.fieldwork.import_csv import AuditCsvError
from audits.fieldwork.import_plan import audit_id
from audits.fieldwork.imports import AuditImportError, import_audits
from audits.org.users import authenticate
from audits.tables import Audit, Branch, Profile, Region, Staff
from checklists import queries as checklist_queries
from checklists.scoring import score_audit

from ..conftest import IS_POSTGRES, run
from ..web.audit_fixtures import perfect_answers

HEAD = "audit_ref,visited_at,branch,staff,auditor,calibration_of,score\n"
SCORES = HEAD + (
    "x-1,2026-03-10T18:30,B1,B1-S1,sam,,81.5\n"
    "x-2,2026-03-10T18:40,B1,,sue,x-1,77\n"
    "x-3,2026-03-11,B2,B2-S1,sam,,64\n"
)


def _import(text: str, **kwargs):
    return run(import_audits(text, now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC), **kwargs))


def _audits() -> dict[str, dict]:
    rows = run(
        Audit.select(
            Audit.id,
            Audit.external_ref,
            Audit.score,
            Audit.status,
            Audit.visited_at,
            Audit.calibration_of,
            Audit.shift.name.as_alias("shift"),
            Audit.staff.code.as_alias("staff"),
            Audit.auditor.username.as_alias("auditor"),
            Audit.version.checklist.slug.as_alias("checklist"),
        ).run()
    )
    return {row["external_ref"]: row for row in rows}


def test_import_scores_twice_writes_them_once(org):
    first = _import(SCORES)
    assert (first.new, first.already) == (3, 0)
    again = _import(SCORES)
    assert (again.new, again.already) == (0, 3)
    audits = _audits()
    assert {ref: a["score"] for ref, a in audits.items()} == {"x-1": 81.5, "x-2": 77, "x-3": 64}
    one = audits["x-1"]
    assert (one["status"], one["checklist"], one["auditor"], one["staff"]) == (
        "published",
        "imported-score",
        "sam",
        "B1-S1",
    )
    # 18:30 in Athens is 16:30 UTC, in the evening shift; a date alone gets no shift
    assert one["visited_at"] == dt.datetime(2026, 3, 10, 16, 30, tzinfo=dt.UTC)
    assert (one["shift"], audits["x-3"]["shift"]) == ("evening", None)
    assert audits["x-2"]["calibration_of"] == one["id"] == audit_id("x-1")


def test_imported_score_checklist_takes_no_new_audits(org):
    _import(SCORES)
    assert run(checklist_queries.is_retired("imported-score"))
    _import(SCORES.replace("x-", "y-"))
    versions = run(checklist_queries.list_versions("imported-score"))
    assert len(versions) == 1


def test_import_bad_row_writes_nothing_even_what_it_would_create(org):
    text = SCORES + "x-4,2026-03-12T10:00,B7,,newbie,,101\nx-5,2026-03-12T10:00,B8,,ines,,50\n"
    before = [run(t.count().run()) for t in (Branch, BaseUser, Region, Staff)]
    with pytest.raises(AuditCsvError) as raised:
        _import(text, create_missing=True)
    assert [str(p) for p in raised.value.problems] == [
        "row 5, column score: expected a score from 0 to 100, got '101'"
    ]
    assert run(Audit.count().run()) == 0
    assert [run(t.count().run()) for t in (Branch, BaseUser, Region, Staff)] == before


def test_import_reports_unknown_branch_staff_and_auditor_without_create_missing(org):
    text = HEAD + "x-1,2026-03-10T18:30,B9,S9,ines,,80\nx-2,2026-03-10T18:30,B1,B1-S7,sam,,80\n"
    with pytest.raises(AuditCsvError) as raised:
        _import(text)
    assert [(p.row, p.column) for p in raised.value.problems] == [
        (2, "branch"),
        (2, "staff"),
        (2, "auditor"),
        (3, "staff"),
    ]
    assert run(Audit.count().run()) == 0


def test_import_create_missing_makes_branches_staff_and_auditors_who_cannot_log_in(org):
    text = (
        "audit_ref,visited_at,branch,region,staff,auditor,score\n"
        "x-1,2026-03-10T18:30,B9,NEW,S9,ines,80\n"
        "x-2,2026-03-11T09:00,B9,NEW,S9,ines,70\n"
    )
    result = _import(text, create_missing=True)
    assert (result.new, result.branches, result.staff, result.auditors, result.regions) == (
        2,
        1,
        1,
        1,
        1,
    )
    branch = run(
        Branch.select(Branch.timezone, Branch.region.code).where(Branch.code == "B9").run()
    )
    assert branch == [{"timezone": "UTC", "region.code": "NEW"}]
    user = run(
        BaseUser.select(BaseUser.id, BaseUser.active).where(BaseUser.username == "ines").run()
    )
    assert user[0]["active"] is False
    role = run(Profile.select(Profile.role).where(Profile.user == user[0]["id"]).run())
    assert role == [{"role": "shopper"}]
    for password in ("", "!", "imported", "pbkdf2_sha256$1$imported$!"):
        assert run(authenticate("ines", password)) is None
    assert {a["staff"] for a in _audits().values()} == {"S9"}


def test_import_calibration_pair_may_name_an_audit_imported_before(org):
    _import(SCORES)
    _import(HEAD + "z-1,2026-03-11T12:00,B2,,sue,x-3,66\n")
    audits = _audits()
    assert audits["z-1"]["calibration_of"] == audits["x-3"]["id"]


def test_import_calibration_pair_may_come_before_the_audit_it_names(org):
    _import(HEAD + "p-1,2026-03-11T12:00,B2,,sue,p-2,66\np-2,2026-03-11T12:00,B2,,sam,,70\n")
    audits = _audits()
    assert audits["p-1"]["calibration_of"] == audits["p-2"]["id"]
    assert audits["p-2"]["calibration_of"] is None


def _item_file(doc, answers: dict, ref: str = "i-1") -> str:
    keys = [i.key for i in doc.items() if i.type.value != "photo"]
    header = "audit_ref,visited_at,branch,auditor," + ",".join(f"item:{k}" for k in keys)
    cells = []
    for key in keys:
        value = answers.get(key, "")
        cells.append({True: "yes", False: "no"}.get(value, str(value)) if value != "" else "")
    return f"{header}\n{ref},2026-03-10T10:00,B1,sam,{','.join(cells)}\n"


def test_import_items_scores_like_filing_including_critical_fail(org):
    doc = org
    answers = perfect_answers(doc)
    critical = next(i for i in doc.items() if i.critical and i.type.value == "yes_no")
    answers[critical.key] = False
    _import(_item_file(doc, answers), checklist="service-fundamentals")
    expected = score_audit(doc, answers)
    row = run(
        Audit.select(Audit.score, Audit.raw_score, Audit.critical_fail, Audit.section_scores)
        .where(Audit.external_ref == "i-1")
        .first()
        .run()
    )
    assert expected.critical_fail and row["critical_fail"] is True
    assert (row["score"], row["raw_score"]) == (expected.score, expected.raw_score)
    assert row["score"] == doc.critical_policy.cap < row["raw_score"]


def test_import_items_need_a_published_checklist(org):
    with pytest.raises(AuditImportError, match="No checklist 'nope'"):
        _import(_item_file(org, perfect_answers(org)), checklist="nope")


def test_export_then_import_into_an_empty_history_gives_the_same_export(org):
    doc = org
    _import(SCORES)
    _import(_item_file(doc, perfect_answers(doc)), checklist="service-fundamentals")
    scores, n_scores = run(export_audits())
    items, n_items = run(export_audits(checklist="service-fundamentals"))
    assert (n_scores, n_items) == (4, 1)
    run(Audit.delete(force=True).run())
    _import(items, checklist="service-fundamentals")
    result = _import(scores)
    assert (result.new, result.already) == (3, 1)
    assert run(export_audits()) == (scores, 4)
    assert run(export_audits(checklist="service-fundamentals")) == (items, 1)


def test_export_dates_are_branch_local_and_inclusive(org):
    _import(SCORES.replace("2026-03-10T18:30", "2026-03-10T00:30"))
    text, n = run(export_audits(start=dt.date(2026, 3, 10), end=dt.date(2026, 3, 10)))
    assert n == 2 and "x-1,2026-03-10T00:30:00+02:00,B1," in text and "x-3" not in text


@pytest.mark.skipif(IS_POSTGRES, reason="the pool under test is SQLite's")
def test_import_on_pooled_sqlite_connections(org):
    async def pooled():
        engine = Audit._meta.db
        assert isinstance(engine, PooledSQLiteEngine)
        await engine.start_connection_pool()
        try:
            now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
            first = await import_audits(SCORES, now=now)
            again = await import_audits(SCORES, now=now)
        finally:
            await engine.close_connection_pool()
        return first.new, again.already

    assert run(pooled()) == (3, 3)
    assert len(_audits()) == 3
