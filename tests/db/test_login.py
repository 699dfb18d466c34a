"""Logging in: the password checked as Piccolo checks it, with its key derivation kept off the
event loop, so that other people's pages are served while someone logs in."""

from __future__ import annotations

import asyncio

import pytest
from piccolo.apps.user.tables import BaseUser

from audits.org.users import authenticate, create_user
from audits.tables import Role

from ..conftest import run


@pytest.fixture
def sam(db) -> int:
    return run(create_user("sam", "correct-horse", Role.shopper)).id


def test_login_right_password_gives_the_user_and_notes_the_time(sam):
    assert run(authenticate("sam", "correct-horse")) == sam
    assert run(BaseUser.select(BaseUser.last_login).first().run())["last_login"] is not None


@pytest.mark.parametrize(
    ("username", "password"),
    [("sam", "wrong-horse"), ("nobody", "correct-horse"), ("sam", "x" * 200), ("s" * 500, "x")],
)
def test_login_wrong_password_unknown_or_overlong_input_gives_no_one(sam, username, password):
    assert run(authenticate(username, password)) is None


def test_login_deactivated_user_gives_no_one(sam):
    run(BaseUser.update({BaseUser.active: False}).where(BaseUser.id == sam).run())
    assert run(authenticate("sam", "correct-horse")) is None


def test_login_password_hashed_by_an_older_piccolo_is_rehashed(sam):
    old = BaseUser.hash_password("correct-horse", iterations=1_000)
    run(BaseUser.update({BaseUser.password: old}).where(BaseUser.id == sam).run())
    assert run(authenticate("sam", "correct-horse")) == sam
    stored = run(BaseUser.select(BaseUser.password).first().run())["password"]
    assert stored.split("$")[1] == str(BaseUser._pbkdf2_iteration_count)
    assert run(authenticate("sam", "correct-horse")) == sam


PICCOLO_ROUNDS = 600_000
"""Piccolo's own PBKDF2 rounds, which tests/conftest.py lowers to 1,000 for speed."""


def test_login_leaves_the_event_loop_free_while_the_password_is_checked(sam, monkeypatch):
    """Another request's coroutine keeps running during a login: with the key derivation in the
    event loop it resumed only between the login's few queries (a handful of times in ~0.3 s of
    hashing); off the loop it resumes throughout."""
    monkeypatch.setattr(BaseUser, "_pbkdf2_iteration_count", PICCOLO_ROUNDS)
    real = BaseUser.hash_password("correct-horse")
    run(BaseUser.update({BaseUser.password: real}).where(BaseUser.id == sam).run())

    async def login_beside_a_ticker() -> tuple[int | None, int]:
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                await asyncio.sleep(0.002)
                ticks += 1

        ticking = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        try:
            return await authenticate("sam", "correct-horse"), ticks
        finally:
            done.set()
            await ticking

    user_id, ticks = run(login_beside_a_ticker())
    assert user_id == sam
    assert ticks >= 20, f"the event loop ran other work only {ticks} times during a login"
