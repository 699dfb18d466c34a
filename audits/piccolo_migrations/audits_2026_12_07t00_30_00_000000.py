"""Photos stored before uploads were re-encoded lose their metadata (EXIF with GPS, camera and
owner) and any pixel bomb: each is re-encoded as an upload is now, or deleted when it is no
image. Uses ``audits.fieldwork.evidence`` itself, which selects and updates only ``id``, ``data``,
``size`` and ``content_type``."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T00:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "re-encode stored photos without metadata"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)

    async def clean():
        from audits.fieldwork.evidence import clean_stored_photos

        cleaned, deleted = await clean_stored_photos()
        if cleaned or deleted:
            print(f"Photos re-encoded: {cleaned}; deleted as no image: {deleted}")

    manager.add_raw(clean)
    return manager
