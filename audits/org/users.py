"""Who is using the app: log-in (``authenticate``), the ``CurrentUser`` every request carries
(role, branches managed, language), and ``create_user`` for the CLI and the demo. Admins
managing people use ``people``."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.tables import Branch, ManagedBranch, Profile, Role

_HASHING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="password-hashing")
"""One thread per process derives password keys: a burst of log-ins queues here instead of
taking every core from the pages being served meanwhile."""


T = TypeVar("T")


async def off_the_loop(work: Callable[..., T], *args: object) -> T:
    """``work(*args)`` (a password's key derivation) in the hashing thread."""
    return await asyncio.get_running_loop().run_in_executor(_HASHING, work, *args)


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
    """The user's id when the password is right and the user is active.

    Piccolo's ``BaseUser.login``, with its PBKDF2 (600,000 rounds, ~0.3 s of CPU) in a thread:
    in the event loop it held every other request of the process for that long, and twenty
    people logging in at nine o'clock stalled each page for seconds. hashlib releases the GIL
    while it derives the key."""
    too_long = len(username) > (BaseUser.username.length or len(username))
    if too_long or len(password) > BaseUser._max_password_length:
        return None
    row = (
        await BaseUser.select(BaseUser.id, BaseUser.password, BaseUser.active)
        .where(BaseUser.username == username)
        .first()
    )
    stored: str | None = row["password"] if row else None
    iterations = await off_the_loop(_password_matches, password, stored)
    # A deactivated user must not get a session (Piccolo's login checks the password only).
    if row is None or iterations is None or not row["active"]:
        return None
    if iterations != BaseUser._pbkdf2_iteration_count:  # hashed by an older Piccolo: rehash
        hashed = await off_the_loop(BaseUser.hash_password, password)
        await BaseUser.update({BaseUser.password: hashed}).where(BaseUser.id == row["id"])
    await BaseUser.update({BaseUser.last_login: dt.datetime.now()}).where(BaseUser.id == row["id"])
    return row["id"]


def _password_matches(password: str, stored: str | None) -> int | None:
    """The stored hash's rounds when ``password`` matches it, else None. An unknown user's
    password is hashed all the same, so that timings do not tell which usernames exist."""
    if stored is None:
        BaseUser.hash_password(password)
        return None
    _, rounds, salt, _ = BaseUser.split_stored_password(stored)
    hashed = BaseUser.hash_password(password, salt, int(rounds))
    return int(rounds) if hmac.compare_digest(hashed, stored) else None


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
    hashed = await off_the_loop(BaseUser.hash_password, password)
    async with BaseUser._meta.db.transaction():
        user = BaseUser(
            username=username, password=hashed, active=True, email=f"{username}@users.invalid"
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
