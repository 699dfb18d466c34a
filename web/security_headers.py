"""Security headers on every response (pages, API, static files, errors, 404s): a Content
Security Policy, no framing, no MIME sniffing, no full URLs in the Referer sent elsewhere.

Added in a ``before_send`` hook, which sees every message the app sends, including responses
that no route handler made (an unknown path, a rate-limited login).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope


def _policy(**directives: str) -> str:
    return "; ".join(f"{name.replace('_', '-')} {value}" for name, value in directives.items())


COMMON = {
    "default_src": "'self'",
    "img_src": "'self' data: blob:",
    "font_src": "'self'",
    "connect_src": "'self'",
    "object_src": "'none'",
    "base_uri": "'self'",
    "form_action": "'self'",
    "frame_ancestors": "'none'",
}
PAGES = _policy(
    **COMMON,
    script_src="'self'",  # scripts are files under /static, never inline
    style_src="'self' 'unsafe-inline'",  # plotly.js styles its charts from script
    worker_src="'self'",
)
SCHEMA = _policy(
    **COMMON,
    # Litestar's Redoc page starts Redoc from an inline script holding our own OpenAPI
    # document (no user content), and Redoc styles itself inline and runs a worker from blob:.
    script_src="'self' 'unsafe-inline'",
    style_src="'self' 'unsafe-inline'",
    worker_src="'self' blob:",
)
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


SCHEMA_PAGES = ("/schema", "/schema/")  # Redoc's page; the JSON and YAML get the usual policy


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    policy = SCHEMA if scope.get("path") in SCHEMA_PAGES else PAGES
    for name, value in {"content-security-policy": policy, **HEADERS}.items():
        if headers.get(name) is None:
            headers.add(name, value)
