"""Writes to the JSON API: the CSRF token when a session cookie is what authenticates them,
and JSON bodies sent as ``application/json``.

Litestar's CSRF middleware leaves ``/api`` alone (``web.app``) because it cannot tell a
bearer-token client, which carries no ambient credential and so needs no token, from a browser
whose cookie rides along on any cross-site request. This app-wide guard can: it runs before the
role guards and before the body is read.
"""

from __future__ import annotations

from secrets import compare_digest

from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash

from audits.fieldwork.schemas import AuditRejected, FieldError
from web.auth import user_of

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def protect_api_writes(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Refuse a cookie-authenticated API write without the CSRF token (403), and a JSON body
    under another content type (415)."""
    path = connection.scope["path"]
    if connection.scope.get("method") not in WRITE_METHODS or not path.startswith("/api/"):
        return
    if not _sends_bearer_token(connection) and await user_of(connection):
        _check_csrf(connection)
    if _takes_json(handler) and _has_body(connection) and not _is_json(connection):
        message = "Send the body as application/json."
        raise AuditRejected([FieldError("content-type", message)], status=415)


def _sends_bearer_token(connection: ASGIConnection) -> bool:
    scheme, _, _ = connection.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer"


def _check_csrf(connection: ASGIConnection) -> None:
    """The ``x-csrftoken`` header must carry the token of the ``csrftoken`` cookie, both
    signed with the app's secret (Litestar's scheme, which the forms use too)."""
    config = connection.app.csrf_config
    assert config is not None
    sent = _token_secret(connection.headers.get(config.header_name, ""), config.secret)
    kept = _token_secret(connection.cookies.get(config.cookie_name, ""), config.secret)
    if sent is None or kept is None or not compare_digest(sent, kept):
        raise PermissionDeniedException("CSRF token verification failed")


def _token_secret(token: str, secret: str) -> str | None:
    value, signature = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    if len(value) < CSRF_SECRET_LENGTH or not signature:
        return None
    return value if compare_digest(signature, generate_csrf_hash(value, secret)) else None


def _takes_json(handler: BaseRouteHandler) -> bool:
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    media_type = getattr(data.kwarg_definition, "media_type", RequestEncodingType.JSON)
    return media_type is RequestEncodingType.JSON


def _has_body(connection: ASGIConnection) -> bool:
    length = connection.headers.get("content-length")
    return length not in (None, "0") or "transfer-encoding" in connection.headers


def _is_json(connection: ASGIConnection) -> bool:
    media_type = connection.headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() == "application/json"
