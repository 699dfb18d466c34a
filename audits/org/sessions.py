"""Browser sessions that can be ended: one ``UserSession`` row per login.

The session cookie (signed and encrypted by Litestar) carries a random key; the database keeps
only its SHA-256, as for API tokens. A session lives while its row does, at most ``LIFETIME``
after login and ``IDLE`` after its last request, so any app process honours a logout,
password change or deactivation made in another. ``seen_at`` is written at most every
``TOUCH_EVERY``, so reading pages does not turn into writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from audits.db.write_lock import write_transaction
from audits.tables import UserSession

LIFETIME = dt.timedelta(hours=12)
IDLE = dt.timedelta(hours=2)
TOUCH_EVERY = dt.timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


async def start_session(user_id: int, now: dt.datetime | None = None) -> str:
    """A new session for the user; returns the key for the cookie (never stored as such).
    Expired sessions of everyone are deleted on the way."""
    now = _now(now)
    key = secrets.token_urlsafe(32)
    async with write_transaction():
        await UserSession.delete().where(
            (UserSession.created_at < now - LIFETIME) | (UserSession.seen_at < now - IDLE)
        )
        await UserSession.insert(
            UserSession(user=user_id, key_hash=_hash(key), created_at=now, seen_at=now)
        )
    return key


async def session_is_live(key: str, user_id: int, now: dt.datetime | None = None) -> bool:
    """Whether the key belongs to a live session of this user (and note the request)."""
    now = _now(now)
    row = (
        await UserSession.select(UserSession.id, UserSession.seen_at)
        .where(
            UserSession.key_hash == _hash(key),
            UserSession.user == user_id,
            UserSession.created_at > now - LIFETIME,
            UserSession.seen_at > now - IDLE,
        )
        .first()
    )
    if row is None:
        return False
    if now - _utc(row["seen_at"]) > TOUCH_EVERY:
        async with write_transaction():  # SQLite: queue behind filings, don't race them
            await UserSession.update({UserSession.seen_at: now}).where(UserSession.id == row["id"])
    return True


async def end_session(key: str) -> None:
    async with write_transaction():
        await UserSession.delete().where(UserSession.key_hash == _hash(key))


async def end_user_sessions(user_id: int) -> None:
    """Log the user out everywhere (their API tokens are revoked separately)."""
    async with write_transaction():
        await UserSession.delete().where(UserSession.user == user_id)
