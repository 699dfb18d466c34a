"""API tokens for other clients: shown once, stored as SHA-256, revocable.

Looking a token up costs one query; ``last_used_at`` is written at most once a minute per
token, so a busy client does not turn every read into a write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import msgspec
from piccolo.apps.user.tables import BaseUser

from audits.db.write_lock import write_transaction
from audits.org.people import PeopleError, UserNotFound
from audits.org.users import CurrentUser, get_current_user
from audits.tables import ApiToken, Role

TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenInfo(msgspec.Struct, frozen=True):
    """A token as its owner sees it (never the token itself)."""

    id: int
    name: str
    username: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def create_token(username: str, name: str = "") -> str:
    """A new token for an active user; the caller shows it once, only its hash is kept."""
    user = (
        await BaseUser.select(BaseUser.id, BaseUser.active)
        .where(BaseUser.username == username)
        .first()
    )
    if user is None or not user["active"]:
        raise UserNotFound(f"No active user named {username!r}.")
    token = secrets.token_urlsafe(32)
    await ApiToken.insert(
        ApiToken(user=user["id"], name=name.strip()[:100], token_hash=hash_token(token))
    )
    return token


async def user_for_token(token: str, now: dt.datetime | None = None) -> CurrentUser | None:
    """The token's user, or None when the token is unknown or revoked or the user inactive."""
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.last_used_at)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        return None
    user = await get_current_user(row["user"])
    now = now or dt.datetime.now(dt.UTC)
    if user is not None and (
        row["last_used_at"] is None or now - _utc(row["last_used_at"]) > TOUCH_EVERY
    ):
        async with write_transaction():  # SQLite: queue behind filings, don't race them
            await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["id"])
    return user


async def list_tokens(user_id: int | None = None) -> list[TokenInfo]:
    """One user's tokens, or everyone's (for admins), newest first."""
    query = ApiToken.select(
        ApiToken.id,
        ApiToken.name,
        ApiToken.user.username.as_alias("username"),
        ApiToken.created_at,
        ApiToken.last_used_at,
        ApiToken.revoked_at,
    ).order_by(ApiToken.id, ascending=False)
    if user_id is not None:
        query = query.where(ApiToken.user == user_id)
    return [TokenInfo(**row) for row in await query]


async def revoke_token(token_id: int, by: CurrentUser) -> None:
    """Owners revoke their own tokens, admins anyone's; revoking twice is harmless."""
    row = await ApiToken.select(ApiToken.user).where(ApiToken.id == token_id).first()
    if row is None or (row["user"] != by.id and by.role is not Role.admin):
        raise PeopleError("No such token.")
    await ApiToken.update({ApiToken.revoked_at: dt.datetime.now(dt.UTC)}).where(
        ApiToken.id == token_id, ApiToken.revoked_at.is_null()
    )
