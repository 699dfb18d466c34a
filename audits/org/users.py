"""Who is using the app: log-in (``authenticate``), the ``CurrentUser`` every request carries
(role, branches managed, language), and ``create_user`` for the CLI and the demo. Admins
managing people use ``people``."""

from __future__ import annotations

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.tables import Branch, ManagedBranch, Profile, Role


class UserError(Exception):
    """A user could not be created or changed; the message is for the user."""


class CurrentUser(msgspec.Struct, frozen=True):
    """Who is asking: enough to decide access without another query."""

    id: int
    username: str
    role: Role
    language: str | None = None
    branches: tuple[str, ...] = ()

    @property
    def is_office(self) -> bool:
        return self.role in (Role.office, Role.admin)


async def authenticate(username: str, password: str) -> int | None:
    """The user's id when the password is right and the user is active."""
    user_id = await BaseUser.login(username=username, password=password)
    # Piccolo's login checks the password only; a deactivated user must not get a session.
    if user_id is None or not await BaseUser.exists().where(
        BaseUser.id == user_id, BaseUser.active.eq(True)
    ):
        return None
    return user_id


async def get_current_user(user_id: int) -> CurrentUser | None:
    row = (
        await Profile.select(
            Profile.role,
            Profile.language,
            Profile.user.id.as_alias("id"),
            Profile.user.username.as_alias("username"),
            Profile.user.active.as_alias("active"),
        )
        .where(Profile.user == user_id)
        .first()
    )
    if row is None or not row["active"]:
        return None
    branches = await ManagedBranch.select(ManagedBranch.branch.code.as_alias("code")).where(
        ManagedBranch.user == user_id
    )
    return CurrentUser(
        id=row["id"],
        username=row["username"],
        role=Role(row["role"]),
        language=row["language"],
        branches=tuple(sorted(b["code"] for b in branches)),
    )


async def create_user(
    username: str,
    password: str,
    role: Role,
    *,
    branches: tuple[str, ...] = (),
    language: str | None = None,
) -> CurrentUser:
    """Create a user with a role; a manager gets the branches named by code."""
    if await BaseUser.exists().where(BaseUser.username == username):
        raise UserError(f"A user named {username!r} already exists.")
    known = []
    if branches:
        known = await Branch.select(Branch.id, Branch.code).where(Branch.code.is_in(list(branches)))
    missing = set(branches) - {b["code"] for b in known}
    if missing:
        raise UserError(f"No branch with code {', '.join(sorted(missing))}.")
    try:
        BaseUser._validate_password(password)
    except ValueError as error:
        raise UserError(str(error)) from error
    async with BaseUser._meta.db.transaction():
        user = BaseUser(
            username=username, password=password, active=True, email=f"{username}@users.invalid"
        )
        await user.save()
        await Profile.insert(Profile(user=user.id, role=role, language=language))
        if known:
            await ManagedBranch.insert(
                *(ManagedBranch(user=user.id, branch=b["id"]) for b in known)
            )
    current = await get_current_user(user.id)
    assert current is not None
    return current
