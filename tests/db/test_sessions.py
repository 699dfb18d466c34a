"""Session lifetimes: idle and absolute limits, and expired rows cleaned up at the next login."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.org.sessions import IDLE, LIFETIME, TOUCH_EVERY, session_is_live, start_session
from audits.org.users import create_user
from audits.tables import Role, UserSession

from ..conftest import run

T0 = dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def user_id(db) -> int:
    return run(create_user("sam", "correct-horse", Role.shopper)).id


def _live(key: str, user_id: int, at: dt.datetime) -> bool:
    return run(session_is_live(key, user_id, now=at))


def test_session_unused_for_longer_than_idle_ends(user_id):
    key = run(start_session(user_id, now=T0))
    assert not _live(key, user_id, T0 + IDLE + MINUTE)


def test_session_in_use_lives_past_idle_but_not_past_lifetime(user_id):
    key = run(start_session(user_id, now=T0))
    at = T0
    while at + IDLE / 2 < T0 + LIFETIME:
        at += IDLE / 2
        assert _live(key, user_id, at)
    assert not _live(key, user_id, T0 + LIFETIME + MINUTE)


def test_session_seen_within_touch_interval_is_not_written(user_id):
    key = run(start_session(user_id, now=T0))
    assert _live(key, user_id, T0 + TOUCH_EVERY - MINUTE)
    seen = run(UserSession.select(UserSession.seen_at).first().run())["seen_at"]
    assert seen.replace(tzinfo=seen.tzinfo or dt.UTC) == T0


def test_session_key_of_another_user_is_refused(user_id):
    other = run(create_user("max", "correct-horse", Role.manager)).id
    key = run(start_session(user_id, now=T0))
    assert not _live(key, other, T0 + MINUTE)
    assert not _live("not-a-key", user_id, T0 + MINUTE)


def test_login_deletes_expired_sessions_of_everyone(user_id):
    other = run(create_user("max", "correct-horse", Role.manager)).id
    stale = run(start_session(user_id, now=T0))
    fresh = run(start_session(user_id, now=T0 + LIFETIME - MINUTE))
    run(start_session(other, now=T0 + LIFETIME + MINUTE))
    assert run(UserSession.count().run()) == 2
    assert not _live(stale, user_id, T0 + LIFETIME + MINUTE)
    assert _live(fresh, user_id, T0 + LIFETIME + MINUTE)
