"""Everything Evenly stores about one person, as one JSON-ready document (reads only).

A user: their account, role and branches, sessions and API tokens (never a secret or a hash),
drafts, the audits they filed with their answers and comments, the photos they uploaded (as
references), every change and action event they made, the actions they own and the e-mails
sent to them. A staff member: their row and the audits that name them. Dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.apps.user.tables import BaseUser

from audits.tables import (
    ActionEvent,
    ActionOwner,
    ApiToken,
    Audit,
    AuditChange,
    AuditDraft,
    Branch,
    Evidence,
    ManagedBranch,
    PersonalDataErasure,
    Profile,
    SentEmail,
    Staff,
    UserSession,
)


class PersonNotFound(LookupError):
    pass


def json_ready(value: Any) -> Any:
    """JSON-ready: datetimes and dates as ISO text, UUIDs as text, nested values likewise."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


async def user_id_for(username: str) -> int:
    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == username).first()
    if row is None:
        raise PersonNotFound(f"no user {username!r}")
    return int(row["id"])


async def user_data(user_id: int) -> dict[str, Any]:
    """Everything stored about user ``user_id``."""
    account = (
        await BaseUser.select(
            BaseUser.id,
            BaseUser.username,
            BaseUser.email,
            BaseUser.first_name,
            BaseUser.last_name,
            BaseUser.active,
            BaseUser.last_login,
        )
        .where(BaseUser.id == user_id)
        .first()
    )
    if account is None:
        raise PersonNotFound(f"no user {user_id}")
    profile = (
        await Profile.select(Profile.role, Profile.language).where(Profile.user == user_id).first()
    )
    mine = Audit.auditor == user_id
    document = {
        "account": {**account, **(profile or {})},
        "managed_branches": [
            r["branch.code"]
            for r in await ManagedBranch.select(ManagedBranch.branch.code).where(
                ManagedBranch.user == user_id
            )
        ],
        "sessions": await UserSession.select(UserSession.created_at, UserSession.seen_at).where(
            UserSession.user == user_id
        ),
        "api_tokens": await ApiToken.select(
            ApiToken.name, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at
        ).where(ApiToken.user == user_id),
        "drafts": await AuditDraft.select(
            AuditDraft.id, AuditDraft.payload, AuditDraft.updated_at
        ).where(AuditDraft.user == user_id),
        "audits_filed": await Audit.select(
            Audit.id,
            Audit.branch.code.as_alias("branch"),
            Audit.visited_at,
            Audit.submitted_at,
            Audit.status,
            Audit.score,
            Audit.answers,
            Audit.comments,
            Audit.staff_description,
            Audit.visit_minutes,
        )
        .where(mine)
        .order_by(Audit.visited_at),
        "photos_uploaded": await Evidence.select(
            Evidence.id,
            Evidence.audit_id,
            Evidence.item_key,
            Evidence.content_type,
            Evidence.size,
            Evidence.created_at,
        ).where(Evidence.uploaded_by == user_id),  # fmt: skip
        "audit_changes_made": await AuditChange.select(
            AuditChange.audit,
            AuditChange.at,
            AuditChange.action,
            AuditChange.field,
            AuditChange.comment,
        ).where(AuditChange.user == user_id),  # fmt: skip
        "action_events_made": await ActionEvent.select(
            ActionEvent.action.ref.as_alias("action"),
            ActionEvent.at,
            ActionEvent.kind,
            ActionEvent.comment,
        ).where(ActionEvent.user == user_id),  # fmt: skip
        "actions_owned": [
            r["action.ref"]
            for r in await ActionOwner.select(ActionOwner.action.ref).where(
                ActionOwner.user == user_id
            )
        ],
        "emails_sent_to": await SentEmail.select(
            SentEmail.kind,
            SentEmail.address,
            SentEmail.day,
            SentEmail.subject,
            SentEmail.body,
            SentEmail.status,
            SentEmail.sent_at,
        ).where(SentEmail.recipient == user_id),  # fmt: skip
    }
    return json_ready(document)


async def staff_id_for(branch: str, code: str) -> int:
    row = (
        await Staff.select(Staff.id)
        .where((Staff.branch.code == branch) & (Staff.code == code))
        .first()
    )
    if row is None:
        raise PersonNotFound(f"no staff member {code!r} at {branch!r}")
    return int(row["id"])


async def staff_data(staff_id: int) -> dict[str, Any]:
    """Everything stored about staff member ``staff_id``: their row and the audits naming them
    (the audit's score and the shopper's description of them, not who the shopper was)."""
    row = (
        await Staff.select(Staff.id, Staff.code, Staff.name, Staff.branch.code)
        .where(Staff.id == staff_id)
        .first()
    )
    if row is None:
        raise PersonNotFound(f"no staff member {staff_id}")
    audits = (
        await Audit.select(
            Audit.id, Audit.visited_at, Audit.status, Audit.score, Audit.staff_description
        )
        .where(Audit.staff == staff_id)
        .order_by(Audit.visited_at)
    )
    branch = await Branch.select(Branch.name).where(Branch.code == row["branch.code"]).first()
    staff = {
        "id": row["id"],
        "branch": row["branch.code"],
        "branch_name": branch["name"] if branch else "",
        "code": row["code"],
        "name": row["name"],
    }
    return json_ready({"staff": staff, "audits_naming_them": audits})


async def erasures() -> list[dict[str, Any]]:
    """The trail of erasures, newest first."""
    rows = await PersonalDataErasure.select(
        PersonalDataErasure.at,
        PersonalDataErasure.by.username.as_alias("by"),
        PersonalDataErasure.kind,
        PersonalDataErasure.pseudonym,
        PersonalDataErasure.audits_kept,
        PersonalDataErasure.reason,
    ).order_by(PersonalDataErasure.id, ascending=False)
    return rows
