"""Who is asking, and what they may do: the session's user or an API token's, guards by role."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from audits.fieldwork.filing import FILING_ROLES
from audits.org import sessions
from audits.org.tokens import user_for_token
from audits.org.users import CurrentUser, get_current_user
from audits.tables import Role
from web.deps import SESSION_LANGUAGE

SESSION_USER = "user_id"
SESSION_KEY = "session_key"
"""The cookie names the user and its session's key; the session's row must still exist."""


async def provide_user(request: Request[Any, Any, Any]) -> CurrentUser | None:
    """The logged-in user, or None, for handlers (Litestar injects ``request`` by name)."""
    return await user_of(request)


async def user_of(request: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    """The logged-in user, or None; cached on the connection for guards and handlers.

    ``Authorization: Bearer <token>`` wins over the session; a token that is unknown, revoked
    or of an inactive user is refused (401), never treated as anonymous.
    """
    if "evenly_user" not in request.state:
        request.state.evenly_user = await _find_user(request)
    return request.state.evenly_user


async def _find_user(request: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = await user_for_token(token.strip()) if token.strip() else None
        if user is None:
            raise NotAuthorizedException("Invalid or revoked token.")
        return user
    session = request.session if "session" in request.scope else {}
    user_id, key = session.get(SESSION_USER), session.get(SESSION_KEY)
    if not user_id or not key:
        return None
    if not await sessions.session_is_live(key, user_id):
        session.pop(SESSION_USER, None)  # ended elsewhere: forget it, keep the language
        session.pop(SESSION_KEY, None)
        return None
    return await get_current_user(user_id)


async def log_in(request: Request[Any, Any, Any], user_id: int) -> None:
    """Start a new session (a new key: a key known before login is never reused) and end the
    one this browser had, if any."""
    old_key = request.session.get(SESSION_KEY)
    if old_key:
        await sessions.end_session(old_key)
    key = await sessions.start_session(user_id)
    language = request.session.get(SESSION_LANGUAGE)
    request.set_session({SESSION_USER: user_id, SESSION_KEY: key, SESSION_LANGUAGE: language})


async def log_out(request: Request[Any, Any, Any]) -> None:
    key = request.session.get(SESSION_KEY)
    if key:
        await sessions.end_session(key)
    request.set_session({SESSION_LANGUAGE: request.session.get(SESSION_LANGUAGE)})


async def requires_login(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if await user_of(connection) is None:
        raise NotAuthorizedException("Log in first.")


def requires_role(*roles: Role):
    """A guard letting in only the given roles (admin always passes). The guard's ``roles``
    says whom it lets in, for the test that holds every write route to a table."""
    allowed = frozenset(roles) | {Role.admin}

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        user = await user_of(connection)
        if user is None:
            raise NotAuthorizedException("Log in first.")
        if user.role not in allowed:
            raise PermissionDeniedException("Your role does not allow this.")

    guard.roles = allowed  # type: ignore[attr-defined]
    return guard


requires_office = requires_role(Role.office)
requires_admin = requires_role()
requires_any_role = requires_role(*Role)
"""Every logged-in user, for what each does to their own account."""
requires_filer = requires_role(*FILING_ROLES)
"""Filing audits, their drafts and the form's photos: shoppers, and admins (see
``audits.fieldwork.filing.FILING_ROLES`` for why)."""
