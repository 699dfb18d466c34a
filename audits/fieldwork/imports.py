"""Importing audit history: parse, check against the database, write all of it or none.

The checks are pure (``import_csv``, ``import_plan``) and run in a worker thread; the writes run
in one transaction. Audits go in as multi-row batches of plain SQL parameters (``executemany``
on the transaction's own connection), not as a Piccolo object per row: building, validating
and compiling an object per audit was most of the time a row took.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Iterable

import msgspec
from piccolo.apps.user.tables import BaseUser
from piccolo.engine.sqlite import SQLiteEngine

from audits.db.write_lock import write_transaction
from audits.fieldwork import events
from audits.fieldwork.import_csv import AuditRow, parse_audits
from audits.fieldwork.import_plan import (
    IMPORTED_SCORE,
    ImportPlan,
    Known,
    PlannedAudit,
    audit_id,
    plan_import,
)
from audits.fieldwork.rules import ShiftWindow
from audits.tables import Audit, Branch, Region, Role, Shift, Staff
from audits.webhooks.schemas import ImportData
from checklists import queries as checklist_queries
from checklists.model import Checklist

LOOKUP = 900  # values per IN (...): SQLite's historic limit on a statement's variables is 999
BATCH = 1000  # audits per executemany (SQLite), and per step of the progress bar
COPY_BATCH = 5000  # audits per COPY (PostgreSQL)
UNUSABLE_PASSWORD = "pbkdf2_sha256$1$imported$!"
"""Shaped like a stored hash, so the login code reads it, but no password hashes to ``!``:
imported auditors never log in (they are inactive too, until an admin says otherwise)."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while the audits are written."""


class AuditImportError(ValueError):
    """The import cannot run as asked (e.g. no such checklist); the message is for the user."""


class ImportResult(msgspec.Struct, frozen=True):
    new: int = 0
    already: int = 0
    branches: int = 0
    staff: int = 0
    auditors: int = 0
    regions: int = 0


async def checklist_version(slug: str | None) -> tuple[int | None, Checklist | None]:
    """The version id and document audits with item answers are scored against."""
    if slug is None:
        return None, None
    try:
        info, doc = await checklist_queries.get_version(slug)
    except checklist_queries.ChecklistError as error:
        raise AuditImportError(str(error)) from None
    if info.status != checklist_queries.Status.published:
        raise AuditImportError(f"Checklist {slug!r} has no published version.")
    return info.id, doc


async def imported_score_version() -> int:
    """The imported-score checklist's version, created (published, retired: nobody files
    against it) on first use."""
    slug = IMPORTED_SCORE.slug
    try:
        return (await checklist_queries.get_version(slug))[0].id
    except checklist_queries.ChecklistNotFound:
        info = await checklist_queries.import_checklist(IMPORTED_SCORE, by="import", publish=True)
        await checklist_queries.set_retired(slug, True)
        return info.id


def _chunks(values: list, size: int) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def _stored(rows: list[AuditRow]) -> dict[str, tuple[uuid.UUID, str]]:
    """Audits already stored that the rows name (as themselves or as a calibration pair)."""
    refs = sorted({r.ref for r in rows} | {r.calibration_of for r in rows if r.calibration_of})
    columns = (Audit.id, Audit.external_ref, Audit.branch.code.as_alias("branch_code"))
    stored = {}
    for chunk in _chunks(refs, LOOKUP):
        for row in await Audit.select(*columns).where(Audit.external_ref.is_in(chunk)):
            stored[row["external_ref"]] = (row["id"], row["branch_code"])
    # An Evenly export names its own audits by id: importing it back finds them.
    by_id = {audit_id(ref): ref for ref in refs if ref not in stored}
    by_id = {key: ref for key, ref in by_id.items() if str(key) == ref.lower()}
    for chunk in _chunks(list(by_id), LOOKUP):
        for row in await Audit.select(*columns).where(Audit.id.is_in(chunk)):
            stored[by_id[row["id"]]] = (row["id"], row["branch_code"])
    return stored


async def known_of(rows: list[AuditRow]) -> Known:
    async with Audit._meta.db.transaction():  # one connection for the look-ups, not one each
        return await _look_up(rows)


async def _look_up(rows: list[AuditRow]) -> Known:
    branches = await Branch.select(Branch.id, Branch.code, Branch.timezone)
    staff = await Staff.select(Staff.branch.code.as_alias("branch_code"), Staff.code)
    names = sorted({r.auditor for r in rows})
    auditors: set[str] = set()
    for chunk in _chunks(names, LOOKUP):
        found = await BaseUser.select(BaseUser.username).where(BaseUser.username.is_in(chunk))
        auditors |= {u["username"] for u in found}
    shifts: dict[int | None, list[ShiftWindow]] = {}
    for s in await Shift.select():
        window = ShiftWindow(s["name"], s["start_minute"], s["end_minute"], s["branch"] is not None)
        shifts.setdefault(s["branch"], []).append(window)
    return Known(
        branches={b["code"]: (b["id"], b["timezone"]) for b in branches},
        staff={(s["branch_code"], s["code"]) for s in staff},
        auditors=auditors,
        shifts=shifts,
        stored=await _stored(rows),
    )


def _connection():
    """The raw connection of the current transaction (aiosqlite's or asyncpg's)."""
    return Audit._meta.db.current_transaction.get().connection


def _sql(table: str, columns: tuple[str, ...], suffix: str = "") -> str:
    if isinstance(Audit._meta.db, SQLiteEngine):
        marks = ", ".join("?" * len(columns))
    else:
        marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    names = ", ".join(f'"{name}"' for name in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({marks}) {suffix}'.rstrip()


async def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if rows:
        await _connection().executemany(_sql(table, columns), rows)


async def create_missing_people(plan: ImportPlan) -> int:
    """Create the regions, branches, staff and auditors the plan needs; the new regions."""
    regions = {r["code"] for r in await Region.select(Region.code)}
    new_regions = sorted({code for code in plan.branches.values() if code} - regions)
    await _insert("region", ("code", "name"), [(code, code) for code in new_regions])
    region_ids = {r["code"]: r["id"] for r in await Region.select(Region.id, Region.code)}
    await _insert(
        "branch",
        ("code", "name", "region", "timezone", "address", "active"),
        [(c, c, region_ids.get(r), "UTC", "", True) for c, r in sorted(plan.branches.items())],
    )
    if plan.staff:
        branch_ids = {b["code"]: b["id"] for b in await Branch.select(Branch.id, Branch.code)}
        rows = [(branch_ids[b], code, "", True) for b, code in plan.staff]
        await _insert("staff", ("branch", "code", "name", "active"), rows)
    await _insert(
        "piccolo_user",
        ("username", "password", "email", "active", "admin", "superuser"),
        [(n, UNUSABLE_PASSWORD, f"{n}@users.invalid", False, False, False) for n in plan.auditors],
    )
    for chunk in _chunks(plan.auditors, LOOKUP):
        created = await BaseUser.select(BaseUser.id).where(BaseUser.username.is_in(chunk))
        profiles = [(u["id"], Role.shopper.value) for u in created]
        await _insert("profile", ("user", "role"), profiles)
    return len(new_regions)


class _Ids(msgspec.Struct):
    branches: dict[str, int]
    staff: dict[tuple[str, str], int]
    users: dict[str, int]
    shifts: dict[tuple[int | None, str], int]

    def shift(self, branch: int, name: str | None) -> int | None:
        if name is None:
            return None
        return self.shifts.get((branch, name)) or self.shifts.get((None, name))


async def ids_of(plan: ImportPlan) -> _Ids:
    staff = await Staff.select(Staff.id, Staff.branch.code.as_alias("branch_code"), Staff.code)
    users: dict[str, int] = {}
    for chunk in _chunks(sorted({a.row.auditor for a in plan.audits}), LOOKUP):
        found = await BaseUser.select(BaseUser.id, BaseUser.username).where(
            BaseUser.username.is_in(chunk)
        )
        users |= {u["username"]: u["id"] for u in found}
    return _Ids(
        branches={b["code"]: b["id"] for b in await Branch.select(Branch.id, Branch.code)},
        staff={(s["branch_code"], s["code"]): s["id"] for s in staff},
        users=users,
        shifts={(s["branch"], s["name"]): s["id"] for s in await Shift.select()},
    )


_COLUMNS = (
    "id", "version", "branch", "shift", "staff", "auditor", "channel", "visited_at",
    "submitted_at", "updated_at", "status", "answers", "comments", "photos", "score", "raw_score",
    "critical_fail", "section_scores", "dimension_scores", "staff_description", "flags",
    "review_comment", "external_ref", "results",
)  # fmt: skip


def _json(value: object) -> str:
    return msgspec.json.encode(value).decode()


def _values(audit: PlannedAudit, version: int, ids: _Ids, now: dt.datetime) -> tuple:
    row = audit.row
    branch = ids.branches[row.branch]
    return (
        audit.id, version, branch, ids.shift(branch, audit.shift),
        ids.staff[(row.branch, row.staff)] if row.staff else None, ids.users[row.auditor],
        row.channel, audit.visited_at, audit.visited_at, now, Audit.Status.published.value,
        _json(audit.answers), "{}", "{}", audit.score, audit.raw_score, audit.critical_fail,
        _json(audit.section_scores), _json(audit.dimension_scores), "", "[]", "", row.ref,
        audit.results,
    )  # fmt: skip


async def write_audits(
    audits: list[PlannedAudit],
    version: int,
    ids: _Ids,
    now: dt.datetime,
    progress: Progress | None = None,
) -> None:
    """Insert the audits and link calibration pairs (each pair's other audit among them or
    stored already), in the current transaction."""
    rows = ((_values(a, version, ids, now), a.calibration_of) for a in audits)
    progress = progress or (lambda done, total: None)
    if isinstance(Audit._meta.db, SQLiteEngine):
        await _insert_sqlite(rows, len(audits), progress)
    else:
        await _copy_postgres(rows, len(audits), progress)


async def _insert_sqlite(rows: Iterable[tuple], total: int, progress: Progress) -> None:
    """Batches of executemany, then the pairs (SQLite checks a foreign key per statement, and
    a pair's other audit may come later in the file)."""
    connection = _connection()
    insert = _sql("audit", _COLUMNS, "ON CONFLICT DO NOTHING")
    pairs = []
    for done, chunk in enumerate(_chunks(list(rows), BATCH)):
        await connection.executemany(insert, [values for values, _ in chunk])
        pairs += [(pair, values[0]) for values, pair in chunk if pair is not None]
        progress(min(total, (done + 1) * BATCH), total)
    pair = 'UPDATE "audit" SET "calibration_of" = ? WHERE "id" = ?'
    await connection.executemany(pair, pairs)


async def _copy_postgres(rows: Iterable[tuple], total: int, progress: Progress) -> None:
    """COPY into a temporary table, then one INSERT ... SELECT: PostgreSQL's fastest way in
    (about twice as fast as ``executemany`` here, 20,000 audits in 5 s against 9–12 s, the rest
    being the server's foreign key and index work), and ON CONFLICT still leaves stored audits
    alone."""
    connection = _connection()
    columns = (*_COLUMNS, "calibration_of")
    await connection.execute(
        'CREATE TEMPORARY TABLE "audit_incoming" (LIKE "audit") ON COMMIT DROP'
    )
    for done, chunk in enumerate(_chunks(list(rows), COPY_BATCH)):
        records = [(*values, pair) for values, pair in chunk]
        await connection.copy_records_to_table("audit_incoming", records=records, columns=columns)
        progress(min(total, (done + 1) * COPY_BATCH), total)
    # A pair's other audit may come later in the file: PostgreSQL checks the foreign key when
    # the statement ends, so one INSERT takes the pairs too.
    names = ", ".join(f'"{name}"' for name in columns)
    await connection.execute(
        f'INSERT INTO "audit" ({names}) SELECT {names} FROM "audit_incoming" ON CONFLICT DO NOTHING'
    )


async def import_audits(
    text: str,
    *,
    checklist: str | None = None,
    create_missing: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a CSV file of audits (see ``import_csv``); raises ``AuditCsvError`` with every
    problem, or ``AuditImportError``, and then has written nothing."""
    now = now or dt.datetime.now(dt.UTC)
    version, doc = await checklist_version(checklist)
    rows = await asyncio.to_thread(parse_audits, text, doc)
    known = await known_of(rows)
    plan = await asyncio.to_thread(
        plan_import, rows, known, doc=doc, create_missing=create_missing, now=now
    )
    if not plan.audits:  # nothing written, no event
        return ImportResult(
            0, plan.already, len(plan.branches), len(plan.staff), len(plan.auditors), 0
        )
    async with write_transaction():
        version = version if version is not None else await imported_score_version()
        regions = await create_missing_people(plan)
        ids = await ids_of(plan)
        await write_audits(plan.audits, version, ids, now, progress)
        result = ImportResult(
            len(plan.audits), plan.already, len(plan.branches), len(plan.staff),
            len(plan.auditors), regions,
        )  # fmt: skip
        await events.emit_import(import_data(result, checklist), now=now)
    return result


def import_data(result: ImportResult, checklist: str | None) -> ImportData:
    return ImportData(
        imported=result.new,
        already_stored=result.already,
        branches_created=result.branches,
        staff_created=result.staff,
        auditors_created=result.auditors,
        regions_created=result.regions,
        checklist=checklist,
    )
