"""Audits filed before ``audit.results`` existed get theirs: each is scored once against its own
checklist version, as filing scores a new one. Their stored score, sections and dimensions stay
as they are. Uses ``audits.fieldwork.filing`` itself, which selects only ``id``, ``version``
and ``answers`` and updates only ``results``."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T03:26:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "store the results of audits filed before audit.results"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)

    async def back_fill():
        from audits.fieldwork.filing import store_results_of_all

        if stored := await store_results_of_all():
            print(f"Audits scored once to store their results: {stored}")

    manager.add_raw(back_fill)
    return manager
