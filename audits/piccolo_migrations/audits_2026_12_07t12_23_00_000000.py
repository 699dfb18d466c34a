"""Actions opened before ``corrective_action.reason_code`` existed get the code and facts of
their failure, read from the stored results of the audit that opened them, so that pages write
the reason in the reader's language."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T12:23:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "an action's reason as a code with its facts (back-fill)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audits", description=DESCRIPTION)

    async def back_fill():
        if filled := await _reason_codes_of_all():
            print(f"Actions given their reason's code: {filled}")

    manager.add_raw(back_fill)
    return manager


async def _reason_codes_of_all() -> int:
    """Actions opened before ``reason_code`` existed: the code and facts of the same failure,
    read from the stored results of the audit that opened them (an audit without results, or
    whose failure is not there, keeps the English reason, which pages then show)."""
    from audits.tables import Audit, CorrectiveAction
    from checklists.scoring import results_from

    rows = await CorrectiveAction.select(
        CorrectiveAction.id, CorrectiveAction.item_key, CorrectiveAction.audit
    ).where(CorrectiveAction.reason_code == "")
    filled = 0
    failures: dict = {}
    for row in rows:
        if row["audit"] not in failures:
            audit = await Audit.select(Audit.results).where(Audit.id == row["audit"]).first()
            try:
                failed = results_from((audit or {}).get("results") or "{}").failed
            except ValueError:
                failed = []
            failures[row["audit"]] = {f.key: f for f in failed}
        failure = failures[row["audit"]].get(row["item_key"])
        if failure is None:
            continue
        await CorrectiveAction.update(
            {
                CorrectiveAction.reason_code: failure.code,
                CorrectiveAction.reason_params: dict(failure.params),
            }
        ).where(CorrectiveAction.id == row["id"])
        filled += 1
    return filled
