from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-01T22:03:02:661461"
VERSION = "1.38.0"
DESCRIPTION = "Imported audits: external_ref (the source's audit_ref) and calibration_of"


class _Manager(MigrationManager):
    """SQLite cannot ADD a UNIQUE column: there the column is added plain and a unique index
    (the same constraint) made after. The recorded schema says unique on both engines."""

    async def _run_add_columns(self, backwards: bool = False):
        if backwards or not isinstance(engine_finder(), SQLiteEngine):
            return await super()._run_add_columns(backwards)
        unique = [c.column for c in self.add_columns.add_columns if c.column._meta.unique]
        for column in unique:
            column._meta.unique = False
        try:
            await super()._run_add_columns(backwards)
        finally:
            for column in unique:
                column._meta.unique = True
        await engine_finder().run_ddl(
            'CREATE UNIQUE INDEX "audit_external_ref_key" ON "audit" ("external_ref")'
        )


async def forwards():
    manager = _Manager(
        migration_id=ID, app_name="audits", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Audit",
        tablename="audit",
        column_name="calibration_of",
        db_column_name="calibration_of",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": "self",
            "on_delete": OnDelete.set_null,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Audit",
        tablename="audit",
        column_name="external_ref",
        db_column_name="external_ref",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 120,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": True,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
