"""Loading the demo organisation: what it creates, running it twice, logins and stored scores."""

import datetime as dt
import uuid
from pathlib import Path

import msgspec
import pytest
from piccolo.apps.user.tables import BaseUser

from audits.demo import generator as demo
from audits.demo.load import DemoCounts, load_demo
from audits.demo.visits import demo_plan
from audits.tables import Audit, Branch, ManagedBranch, Profile, Region, Shift, Staff
from checklists import queries
from checklists.documents import load_checklist
from checklists.scoring import score_audit
from checklists.tables import ChecklistVersion

DEFAULTS = Path(__file__).parents[2] / "checklists" / "defaults"
TABLES = (Region, Branch, Shift, Staff, BaseUser, Profile, ManagedBranch, Audit, ChecklistVersion)


def _checklists():
    names = ("service-fundamentals", "phone-call")
    return [load_checklist((DEFAULTS / f"{n}.yaml").read_text(encoding="utf-8")) for n in names]


@pytest.fixture(scope="module")
def org():
    return demo.generate_demo(
        _checklists()[0], start=dt.date(2025, 1, 6), days=120, visits_scale=0.2
    )


async def _counts() -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in TABLES}


async def test_load_demo_empty_database_creates_whole_organisation(db, org):
    steps = []
    created = await load_demo(org, _checklists(), progress=lambda *args: steps.append(args))
    assert created.actions > 0  # see test_demo_actions
    assert msgspec.structs.replace(created, actions=0) == DemoCounts(
        checklists=2,
        regions=3,
        branches=24,
        shifts=3,
        staff=len(org.staff),
        users=len(org.users),
        audits=len(org.audits),
        visits=len(demo_plan(org)),
    )
    assert await _counts() == {
        "region": 3,
        "branch": 24,
        "shift": 3,
        "staff": len(org.staff),
        "piccolo_user": len(org.users),
        "profile": len(org.users),
        "managed_branch": 3,
        "audit": len(org.audits),
        "checklist_version": 2,
    }
    assert ("audits", len(org.audits), len(org.audits)) in steps


async def test_load_demo_second_run_creates_and_changes_nothing(db, org):
    await load_demo(org, _checklists())
    counts = await _counts()
    users = await BaseUser.select().order_by(BaseUser.id)
    audits = await Audit.select().order_by(Audit.id)
    assert await load_demo(org, _checklists()) == DemoCounts()
    assert await _counts() == counts
    assert await BaseUser.select().order_by(BaseUser.id) == users
    assert await Audit.select().order_by(Audit.id) == audits


async def test_load_demo_existing_checklist_slug_is_left_alone(db, org):
    first = _checklists()[0]
    await queries.import_checklist(first, by="office", publish=True)
    created = await load_demo(org, _checklists())
    assert created.checklists == 1
    assert [v.number for v in await queries.list_versions(first.slug)] == [1]


async def test_load_demo_users_log_in_with_demo_password(db, org):
    await load_demo(org, _checklists())
    for username in ("admin", "office", "manager", "shopper"):
        assert await BaseUser.login(username, "demo") is not None, username
    assert await BaseUser.login("office", "wrong!") is None
    manager = await BaseUser.select(BaseUser.id).where(BaseUser.username == "manager").first()
    managed = await ManagedBranch.select(ManagedBranch.branch.code.as_alias("code")).where(
        ManagedBranch.user == manager["id"]
    )
    assert sorted(row["code"] for row in managed) == list(demo.MANAGED_BRANCHES)
    roles = await Profile.select(Profile.user.username.as_alias("name"), Profile.role)
    assert {row["name"]: row["role"] for row in roles}["office"] == "office"


async def test_load_demo_stored_scores_equal_score_audit_on_version(db, org):
    await load_demo(org, _checklists())
    rows = await Audit.select().output(load_json=True)
    assert len(rows) == len(org.audits)
    documents = {}
    for row in rows:
        if row["version"] not in documents:
            documents[row["version"]] = (await queries.get_version_by_id(row["version"]))[1]
        expected = score_audit(documents[row["version"]], row["answers"])
        assert row["status"] == "published"
        assert row["score"] == pytest.approx(expected.score)
        assert row["raw_score"] == pytest.approx(expected.raw_score)
        assert row["critical_fail"] == expected.critical_fail
        sections = {s.key: s.score for s in expected.sections}
        assert row["section_scores"] == pytest.approx(sections)
        dimensions = {d.value: v for d, v in expected.dimensions.items()}
        assert row["dimension_scores"] == pytest.approx(dimensions)


async def test_load_demo_audits_keep_visit_time_and_links(db, org):
    await load_demo(org, _checklists())
    by_id = {a.id: a for a in org.audits}
    rows = await Audit.select(
        Audit.id,
        Audit.visited_at,
        Audit.branch.code.as_alias("branch"),
        Audit.staff.code.as_alias("staff"),
        Audit.shift.name.as_alias("shift"),
        Audit.auditor.username.as_alias("auditor"),
    )
    for row in rows:
        audit = by_id[uuid.UUID(str(row["id"]))]
        assert row["visited_at"] == audit.visited_at
        assert (row["branch"], row["staff"], row["shift"], row["auditor"]) == (
            audit.branch,
            audit.staff,
            audit.shift,
            audit.auditor,
        )
