"""The rules of webhooks, pure: the events, how a request is signed, when a failed delivery
is tried again, what an endpoint's fields may hold."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

EVENTS: dict[str, str] = {
    "audit.submitted": "A shopper filed an audit (or filed a returned one again).",
    "audit.published": "Head office approved an audit: its branch reads it now.",
    "audit.returned": "Head office sent an audit back to its shopper.",
    "action.opened": "A published audit's failed item opened a corrective action.",
    "action.overdue": "An open corrective action passed its due date (once per due date).",
    "action.verified": "Head office verified a corrective action as fixed.",
    "import.finished": "An import of audit history was written.",
}
"""Every event an endpoint may subscribe to, and what it means."""
TEST_EVENT = "webhook.test"
"""Sent by the admin page's "send test" button to one endpoint; needs no subscription."""

SIGNATURE_HEADER = "Evenly-Signature"
EVENT_HEADER = "Evenly-Event"
DELIVERY_HEADER = "Evenly-Delivery"

FIRST_DELAY = dt.timedelta(seconds=30)
LONGEST_DELAY = dt.timedelta(hours=6)
MAX_ATTEMPTS = 20
"""After this many failed attempts (about three days) a delivery is marked failed; an admin can
send the endpoint's failed deliveries again."""
CLAIM_FOR = dt.timedelta(minutes=2)
"""How long a runner holds a delivery it is sending; longer than any request may take."""
TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 3.0

MAX_URL = 2000
MAX_DESCRIPTION = 200


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 30 s, doubling, at most 6 h."""
    return min(FIRST_DELAY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_DELAY)


def schedule() -> list[dt.timedelta]:
    """The wait after each failed attempt but the last, for the docs."""
    return [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of ``timestamp.body`` under the endpoint's secret, in hex."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver checks: a ``v1`` signature of this body and a timestamp within
    ``tolerance`` seconds of ``now`` (a replayed old request fails)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), sign(secret, timestamp, body))


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an endpoint, or None."""
    if not url:
        return "Give the receiver's URL."
    if len(url) > MAX_URL:
        return f"At most {MAX_URL} characters."
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Not a URL."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "An http:// or https:// URL with a host."
    if parts.username or parts.password:
        return "No user or password in the URL: the signature authenticates Evenly."
    return None


def events_problem(events: list[str]) -> str | None:
    if not events:
        return "Choose at least one event."
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        return f"Unknown event: {', '.join(unknown)}."
    return None
