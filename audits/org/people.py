"""Managing people: list, create, change role and branches, deactivate, passwords.

Queries raise ``PeopleError`` (with the form field it concerns) and never HTTP errors.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.org.fields import FieldProblem, clean_language
from audits.org.sessions import end_user_sessions
from audits.org.users import CurrentUser, UserError, authenticate, create_user, off_the_loop
from audits.tables import Branch, ManagedBranch, Profile, Role

MIN_PASSWORD = 8


class PeopleError(Exception):
    """A change that cannot be made; ``field`` names the form field, when there is one."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class UserNotFound(PeopleError):
    pass


class UserRow(msgspec.Struct, frozen=True):
    """A user as the admin pages show them."""

    id: int
    username: str
    role: Role
    language: str | None
    active: bool
    branches: tuple[str, ...] = ()
    last_login: dt.datetime | None = None


def check_new_password(password: str, field: str = "new_password") -> None:
    if len(password) < MIN_PASSWORD:
        raise PeopleError(f"Use at least {MIN_PASSWORD} characters.", field)
    try:
        BaseUser._validate_password(password)
    except ValueError as error:
        raise PeopleError(str(error), field) from None


async def _branches_by_user() -> dict[int, list[str]]:
    rows = await ManagedBranch.select(
        ManagedBranch.user, ManagedBranch.branch.code.as_alias("code")
    )
    managed: dict[int, list[str]] = {}
    for row in rows:
        managed.setdefault(row["user"], []).append(row["code"])
    return managed


async def list_users(user_id: int | None = None) -> list[UserRow]:
    """Every user with a profile (or just one), by username."""
    query = Profile.select(
        Profile.user.id.as_alias("id"),
        Profile.user.username.as_alias("username"),
        Profile.role,
        Profile.language,
        Profile.user.active.as_alias("active"),
        Profile.user.last_login.as_alias("last_login"),
    ).order_by(Profile.user.username)
    if user_id is not None:
        query = query.where(Profile.user == user_id)
    managed = await _branches_by_user()
    return [
        UserRow(
            **{**row, "role": Role(row["role"]), "active": bool(row["active"])},
            branches=tuple(sorted(managed.get(row["id"], []))),
        )
        for row in await query
    ]


async def get_user(user_id: int) -> UserRow:
    rows = await list_users(user_id)
    if not rows:
        raise UserNotFound("No such user.")
    return rows[0]


def _clean_role_language(role: str, language: str) -> tuple[Role, str | None]:
    if role not in {r.value for r in Role}:
        raise PeopleError(f"Unknown role {role!r}.", "role")
    try:
        return Role(role), clean_language(language, required=False)
    except FieldProblem as problem:
        raise PeopleError(problem.message, problem.field) from None


async def add_user(
    username: str, password: str, role: str, language: str, branches: list[str]
) -> UserRow:
    """Create a user; branches are kept for managers only."""
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise PeopleError("Use a username without spaces, up to 100 characters.", "username")
    checked_role, checked_language = _clean_role_language(role, language)
    check_new_password(password, "password")
    codes = tuple(branches) if checked_role is Role.manager else ()
    try:
        created = await create_user(
            username, password, checked_role, branches=codes, language=checked_language
        )
    except UserError as error:
        field = "username" if "already exists" in str(error) else "branches"
        raise PeopleError(str(error), field) from None
    return await get_user(created.id)


async def _branch_ids(codes: list[str]) -> list[int]:
    if not codes:
        return []
    rows = await Branch.select(Branch.id, Branch.code).where(Branch.code.is_in(codes))
    missing = set(codes) - {row["code"] for row in rows}
    if missing:
        raise PeopleError(f"No branch with code {', '.join(sorted(missing))}.", "branches")
    return [row["id"] for row in rows]


async def update_user(
    user_id: int, role: str, language: str, branches: list[str], by: CurrentUser
) -> UserRow:
    """Change role, language and (for managers) branches; an admin cannot demote themself,
    so there is always an admin left."""
    await get_user(user_id)
    checked_role, checked_language = _clean_role_language(role, language)
    if user_id == by.id and checked_role is not Role.admin:
        raise PeopleError("You cannot take away your own admin role.", "role")
    ids = await _branch_ids(branches) if checked_role is Role.manager else []
    async with Profile._meta.db.transaction():
        await Profile.update(
            {Profile.role: checked_role, Profile.language: checked_language}
        ).where(Profile.user == user_id)
        await ManagedBranch.delete().where(ManagedBranch.user == user_id)
        if ids:
            await ManagedBranch.insert(*(ManagedBranch(user=user_id, branch=i) for i in ids))
    return await get_user(user_id)


async def set_active(user_id: int, active: bool, by: CurrentUser) -> UserRow:
    """A deactivated user cannot log in, their sessions end and their tokens stop working."""
    await get_user(user_id)
    if user_id == by.id and not active:
        raise PeopleError("You cannot deactivate yourself.")
    await BaseUser.update({BaseUser.active: active}).where(BaseUser.id == user_id)
    if not active:
        await end_user_sessions(user_id)
    return await get_user(user_id)


async def change_password(user_id: int, current: str, new: str) -> None:
    """The user's own change: the current password is required."""
    user = await get_user(user_id)
    if await authenticate(user.username, current) != user_id:
        raise PeopleError("The current password is wrong.", "current_password")
    await reset_password(user_id, new)


async def reset_password(user_id: int, new: str) -> None:
    """Set a password without knowing the old one (admins, for a user who forgot theirs).
    Every session of the user ends: whoever knew the old password is logged out."""
    await get_user(user_id)
    check_new_password(new)
    hashed = await off_the_loop(BaseUser.hash_password, new)
    await BaseUser.update({BaseUser.password: hashed}).where(BaseUser.id == user_id)
    await end_user_sessions(user_id)


async def save_language(user_id: int, language: str) -> None:
    """The user's own choice of interface language (the switcher), kept in their profile."""
    await Profile.update({Profile.language: clean_language(language)}).where(
        Profile.user == user_id
    )
