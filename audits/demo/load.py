"""Loading the demo organisation (see ``audits.demo.generator``) into the database.

Safe to run twice: every row is looked up by its natural key first (region and branch codes,
shift names, branch + staff code, usernames, audit ids), so a second run creates nothing and
changes nothing, not even a password. Each phase is one transaction of bulk inserts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import msgspec
from piccolo.apps.user.tables import BaseUser
from piccolo.table import Table

from audits.demo.actions import load_demo_actions
from audits.demo.generator import PASSWORD, DemoAudit, DemoOrganisation
from audits.demo.visits import DEMO_CHECKLIST, load_demo_visits
from audits.tables import Audit, Branch, ManagedBranch, Profile, Region, Shift, Staff
from checklists import queries
from checklists.model import Checklist
from checklists.scoring import score_audit, stored_results
from checklists.tables import ChecklistTemplate

BATCH = 300
IMPORTED_BY = "demo"

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)``; ``done`` counts the rows checked so far."""


class DemoCounts(msgspec.Struct, frozen=True):
    """Rows this run created; a second run over the same organisation creates none."""

    checklists: int = 0
    regions: int = 0
    branches: int = 0
    shifts: int = 0
    staff: int = 0
    users: int = 0
    audits: int = 0
    visits: int = 0
    actions: int = 0


class DemoLoadError(Exception):
    """The demo cannot be loaded as asked; the message is for the user."""


async def load_demo(
    org: DemoOrganisation, checklists: list[Checklist], *, progress: Progress | None = None
) -> DemoCounts:
    """Import and publish ``checklists`` (a slug already there is left alone), then add the
    organisation and its audits, scored against the published version of their checklist."""
    report: Progress = progress or (lambda step, done, total: None)
    imported = await _load_checklists(checklists, report)
    versions = await _published_versions({audit.checklist for audit in org.audits})
    async with _db().transaction():
        regions = await _add_missing(
            Region,
            [{"code": r.code, "name": r.name} for r in org.regions],
            ("code",),
            "regions",
            report,
        )
    async with _db().transaction():
        branches = await _load_branches(org, report)
    async with _db().transaction():
        shifts = await _add_missing(Shift, _shift_rows(org), ("name", "branch"), "shifts", report)
    async with _db().transaction():
        staff = await _load_staff(org, report)
    async with _db().transaction():
        users = await _load_users(org, report)
    async with _db().transaction():
        audits = await _load_audits(org.audits, versions, report)
    async with _db().transaction():
        visits = await _load_visits(org, report)
    actions = await load_demo_actions(org, report)  # one transaction of its own
    return DemoCounts(imported, regions, branches, shifts, staff, users, audits, visits, actions)


async def _load_visits(org: DemoOrganisation, report: Progress) -> int:
    """Five weeks of planned visits around the demo's last day (see ``audits.demo.visits``)."""
    template = await ChecklistTemplate.select(ChecklistTemplate.id).where(
        ChecklistTemplate.slug == DEMO_CHECKLIST
    )
    created = await load_demo_visits(org, template[0]["id"]) if template else 0
    report("visits", 1, 1)
    return created


def _db():
    return Audit._meta.db


async def _load_checklists(checklists: list[Checklist], report: Progress) -> int:
    created = 0
    for done, doc in enumerate(checklists, start=1):
        if not await ChecklistTemplate.exists().where(ChecklistTemplate.slug == doc.slug):
            await queries.import_checklist(doc, by=IMPORTED_BY, publish=True)
            created += 1
        report("checklists", done, len(checklists))
    return created


async def _published_versions(slugs: set[str]) -> dict[str, tuple[int, Checklist]]:
    """Version id and document of the latest published version of each checklist."""
    versions = {}
    for slug in sorted(slugs):
        try:
            info, doc = await queries.get_version(slug)
        except queries.ChecklistError as error:
            raise DemoLoadError(f"The demo audits need checklist {slug!r}: {error}") from None
        if info.status != queries.Status.published:
            raise DemoLoadError(f"Checklist {slug!r} has no published version.")
        versions[slug] = (info.id, doc)
    return versions


async def _add_missing(
    table: type[Table], wanted: Sequence[dict], key: tuple[str, ...], step: str, report: Progress
) -> int:
    """Insert the rows of ``wanted`` whose ``key`` matches no stored row; return how many."""
    columns = [table._meta.get_column_by_name(name) for name in key]
    stored = {tuple(row[name] for name in key) for row in await table.select(*columns)}
    missing = [row for row in wanted if tuple(row[name] for name in key) not in stored]
    for start in range(0, len(missing), BATCH):
        await table.insert(*(table(**row) for row in missing[start : start + BATCH]))
    report(step, len(wanted), len(wanted))
    return len(missing)


async def _ids(table: type[Table], *key: str) -> dict:
    """Stored rows' ids by key (one column: the value; several: a tuple)."""
    columns = [table._meta.get_column_by_name(name) for name in key]
    rows = await table.select(table._meta.primary_key, *columns)
    pk = table._meta.primary_key._meta.name
    if len(key) == 1:
        return {row[key[0]]: row[pk] for row in rows}
    return {tuple(row[name] for name in key): row[pk] for row in rows}


async def _load_branches(org: DemoOrganisation, report: Progress) -> int:
    regions = await _ids(Region, "code")
    rows = [
        {
            "code": b.code,
            "name": b.name,
            "region": regions[b.region],
            "timezone": b.timezone,
            "address": b.address,
        }
        for b in org.branches
    ]
    return await _add_missing(Branch, rows, ("code",), "branches", report)


def _shift_rows(org: DemoOrganisation) -> list[dict]:
    return [
        {"name": s.name, "start_minute": s.start_minute, "end_minute": s.end_minute, "branch": None}
        for s in org.shifts
    ]


async def _load_staff(org: DemoOrganisation, report: Progress) -> int:
    branches = await _ids(Branch, "code")
    rows = [{"branch": branches[m.branch], "code": m.code, "name": m.name} for m in org.staff]
    return await _add_missing(Staff, rows, ("branch", "code"), "staff", report)


async def _load_users(org: DemoOrganisation, report: Progress) -> int:
    # One salted hash for all: they share the published password anyway, and hashing is the
    # slow part (600k PBKDF2 rounds each). BaseUser() leaves a hashed password alone, and
    # create_user would refuse "demo" as too short.
    stored = {row["username"] for row in await BaseUser.select(BaseUser.username)}
    new = any(u.username not in stored for u in org.users)
    hashed = await asyncio.to_thread(BaseUser.hash_password, PASSWORD) if new else ""
    users = [
        {
            "username": u.username,
            "password": hashed,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
            "active": True,
            "admin": u.role == "admin",
            "superuser": u.role == "admin",
        }
        for u in org.users
    ]
    created = await _add_missing(BaseUser, users, ("username",), "users", report)
    ids = await _ids(BaseUser, "username")
    profiles = [
        {"user": ids[u.username], "role": u.role, "language": u.language} for u in org.users
    ]
    await _add_missing(Profile, profiles, ("user",), "profiles", report)
    branches = await _ids(Branch, "code")
    managed = [
        {"user": ids[u.username], "branch": branches[code]}
        for u in org.users
        for code in u.branches
    ]
    await _add_missing(ManagedBranch, managed, ("user", "branch"), "managed branches", report)
    return created


async def _load_audits(
    audits: list[DemoAudit], versions: dict[str, tuple[int, Checklist]], report: Progress
) -> int:
    refs = {
        "branch": await _ids(Branch, "code"),
        "shift": {
            name: pk
            for (name, branch), pk in (await _ids(Shift, "name", "branch")).items()
            if branch is None
        },
        "staff": await _ids(Staff, "branch", "code"),
        "auditor": await _ids(BaseUser, "username"),
    }
    created = 0
    # A calibration audit points at the first audit of its visit: store the first ones first.
    audits = sorted(audits, key=lambda audit: audit.calibration_of is not None)
    for start in range(0, len(audits), BATCH):
        chunk = audits[start : start + BATCH]
        stored = await Audit.select(Audit.id).where(Audit.id.is_in([a.id for a in chunk]))
        known = {str(row["id"]) for row in stored}
        rows = [_audit_row(a, versions, refs) for a in chunk if str(a.id) not in known]
        if rows:
            await Audit.insert(*rows)
        created += len(rows)
        report("audits", start + len(chunk), len(audits))
    return created


def _audit_row(audit: DemoAudit, versions: dict[str, tuple[int, Checklist]], refs: dict) -> Audit:
    version, doc = versions[audit.checklist]
    branch = refs["branch"][audit.branch]
    score = score_audit(doc, audit.answers)
    return Audit(
        id=audit.id,
        version=version,
        branch=branch,
        shift=refs["shift"][audit.shift],
        staff=refs["staff"][branch, audit.staff],
        auditor=refs["auditor"][audit.auditor],
        channel=audit.channel,
        visited_at=audit.visited_at,
        submitted_at=audit.submitted_at,
        status=Audit.Status.published.value,
        answers=audit.answers,
        comments=audit.comments,
        score=score.score,
        raw_score=score.raw_score,
        critical_fail=score.critical_fail,
        section_scores={s.key: s.score for s in score.sections},
        dimension_scores={d.value: value for d, value in score.dimensions.items()},
        results=stored_results(score),
        calibration_of=audit.calibration_of,
    )
