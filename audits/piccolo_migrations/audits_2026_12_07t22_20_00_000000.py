"""Indexes for what every page of head office asks: the audits' latest change (the fingerprint
that keys kept analyses, PDFs and the home's moves), the review queue (audits submitted, oldest
first), an audit's changes (its dismissed flags, its history) and the audits calibrating it
(each deleted audit looked for them), which otherwise read the whole table at a chain's
scale."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T22:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the audits' fingerprint, the review queue and audit changes"

STATEMENTS = [
    "CREATE INDEX audit_updated ON audit (updated_at)",
    "CREATE INDEX audit_submitted ON audit (submitted_at) WHERE status = 'submitted'",
    "CREATE INDEX audit_change_audit ON audit_change (audit)",
    "CREATE INDEX audit_calibration ON audit (calibration_of)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)

    async def create():
        for statement in STATEMENTS:
            await engine_finder().run_ddl(statement)

    async def drop():
        for statement in STATEMENTS:
            name = statement.split(" INDEX ")[1].split()[0]
            await engine_finder().run_ddl(f"DROP INDEX {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
