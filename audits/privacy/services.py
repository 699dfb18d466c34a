"""Erasing a person's personal data while their audits keep their scores (writes).

A user is pseudonymised, not deleted: the audits they filed still point at the same row, so
scores, shopper severity and the analysis stay as they were, but the row's username becomes
``erased-<n>``, its name and e-mail are emptied, its password is unusable and it is
deactivated; their sessions, API tokens, drafts and branch assignments go, they stop owning
actions, and the e-mails sent to them lose their address and body. A staff member keeps their
row (audits name them by it) with a pseudonymous code and no name, and the shoppers'
descriptions of them are emptied. Each erasure is one row of ``PersonalDataErasure``: the trail.

What was kept besides goes in the same transaction: every report computed from the audits
(``forget_derived``), and every upload whose file or outcome names the person (``naming``):
an import not finished yet ends with a failure that says why, and creates no one again.
"""

from __future__ import annotations

import datetime as dt
import secrets

from piccolo.apps.user.tables import BaseUser

from audits.db.kept_results import forget_derived, forget_uploads_naming
from audits.db.write_lock import write_transaction
from audits.fieldwork.import_runs import finish_imports_naming
from audits.org.users import CurrentUser
from audits.tables import (
    ActionOwner,
    ApiToken,
    Audit,
    AuditDraft,
    Evidence,
    ManagedBranch,
    PersonalDataErasure,
    Profile,
    Role,
    SentEmail,
    Staff,
    UserSession,
)

from .naming import Naming, names, staff_naming, user_naming
from .selectors import PersonNotFound

MAX_REASON = 2000


def N_(text: str) -> str:
    """Marks a message for extraction; the page translates it where it is shown."""
    return text


class ErasureRefused(ValueError):
    """An erasure that may not be made; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ErasureRefused(N_("Say why the data is erased (it goes in the trail)."), "reason")
    if len(reason) > MAX_REASON:
        raise ErasureRefused(N_("The reason is longer than 2,000 characters."), "reason")
    return reason


async def _forget_uploads(naming: Naming) -> None:
    """Inside the erasure's transaction: the uploads and import outcomes that name them."""

    def naming_them(data: bytes) -> bool:
        return names(data, naming)

    await finish_imports_naming(naming_them)
    await forget_uploads_naming(naming_them)


async def erase_user(user_id: int, *, by: CurrentUser | None, reason: str) -> str:
    """Erase user ``user_id``'s personal data; returns the pseudonym left in its place.
    ``by`` is None from the command line (the trail then names no one)."""
    why = _reason(reason)
    if by is not None and user_id == by.id:
        raise ErasureRefused(N_("You cannot erase your own account."))
    profile = await Profile.select(Profile.role).where(Profile.user == user_id).first()
    account = await (
        BaseUser.select(BaseUser.username, BaseUser.email, BaseUser.first_name, BaseUser.last_name)
        .where(BaseUser.id == user_id)
        .first()
    )
    if account is None:
        raise PersonNotFound(f"no user {user_id}")
    if profile is not None and profile["role"] == Role.admin.value:
        raise ErasureRefused(N_("An admin's account is not erased here: change its role first."))
    if account["username"].startswith("erased-"):
        raise ErasureRefused(N_("This account's personal data is already erased."))
    pseudonym = f"erased-{user_id}"
    async with write_transaction():
        kept = await Audit.count().where(Audit.auditor == user_id)
        await BaseUser.update(
            {
                BaseUser.username: pseudonym,
                BaseUser.email: f"{pseudonym}@invalid",  # unique and never deliverable
                BaseUser.first_name: "",
                BaseUser.last_name: "",
                BaseUser.password: BaseUser.hash_password(secrets.token_urlsafe(32)),
                BaseUser.active: False,
                BaseUser.last_login: None,
            }
        ).where(BaseUser.id == user_id)
        await Profile.update({Profile.language: None}).where(Profile.user == user_id)
        for table in (UserSession, ApiToken, AuditDraft, ManagedBranch, ActionOwner):
            await table.delete().where(table.user == user_id)
        await SentEmail.update({SentEmail.address: "", SentEmail.body: ""}).where(
            SentEmail.recipient == user_id
        )
        # Where they were and when their photos were taken (evidence of presence) go too. Their
        # audits change (so the audits' fingerprint does: no process reuses an analysis or a
        # PDF that named them), and what was kept of reports goes.
        now = dt.datetime.now(dt.UTC)
        await Audit.update({Audit.presence: None, Audit.updated_at: now}).where(
            Audit.auditor == user_id
        )
        await forget_derived()
        await _forget_uploads(
            user_naming(
                account["username"], account["email"], account["first_name"], account["last_name"]
            )
        )
        await Evidence.update({Evidence.taken_at: None}).where(Evidence.uploaded_by == user_id)
        await PersonalDataErasure.insert(
            PersonalDataErasure(
                by=None if by is None else by.id,
                kind="user",
                pseudonym=pseudonym,
                audits_kept=kept,
                reason=why,
            )
        )
    return pseudonym


async def erase_staff(staff_id: int, *, by: CurrentUser | None, reason: str) -> str:
    """Erase staff member ``staff_id``'s personal data; returns their new code."""
    why = _reason(reason)
    row = await (
        Staff.select(Staff.code, Staff.name, Staff.branch.code.as_alias("branch_code"))
        .where(Staff.id == staff_id)
        .first()
    )
    if row is None:
        raise PersonNotFound(f"no staff member {staff_id}")
    if row["code"].startswith("ERASED-"):
        raise ErasureRefused(N_("This staff member's personal data is already erased."))
    pseudonym = f"ERASED-{staff_id}"
    async with write_transaction():
        kept = await Audit.count().where(Audit.staff == staff_id)
        await Staff.update({Staff.code: pseudonym, Staff.name: ""}).where(Staff.id == staff_id)
        now = dt.datetime.now(dt.UTC)
        await Audit.update({Audit.staff_description: "", Audit.updated_at: now}).where(
            Audit.staff == staff_id
        )
        await forget_derived()  # as for a user: no kept report may still name them
        await _forget_uploads(staff_naming(row["code"], row["name"], row["branch_code"]))
        await PersonalDataErasure.insert(
            PersonalDataErasure(
                by=None if by is None else by.id,
                kind="staff",
                pseudonym=pseudonym,
                audits_kept=kept,
                reason=why,
            )
        )
    return pseudonym
