"""The e-mail log: every reminder is claimed by inserting its row before it is sent.

``claim`` (kind, recipient, day) is unique, so however many app processes or commands run the
reminders at once, each recipient gets each kind of e-mail at most once a day: the one whose
insert wins sends; the others see the row and skip. A send that failed may be claimed again
(a conditional update, so again by one only). A process that dies between claim and send
leaves the row ``sending``: that day's message is lost rather than doubled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns import Column

from audits.db.write_lock import write_transaction
from audits.tables import SentEmail


class SentEmailOut(msgspec.Struct, kw_only=True):
    id: int
    kind: str
    recipient: str | None
    address: str
    day: dt.date
    language: str
    subject: str
    body: str
    status: str
    error: str = ""
    created_at: dt.datetime
    sent_at: dt.datetime | None = None


def claim_key(kind: str, recipient_id: int, day: dt.date) -> str:
    return f"{kind}:{recipient_id}:{day.isoformat()}"


async def claim(
    kind: str,
    recipient_id: int,
    day: dt.date,
    *,
    address: str,
    language: str,
    subject: str,
    body: str,
    now: dt.datetime,
) -> int | None:
    """The new row's id when this caller may send the message, None when another did."""
    key = claim_key(kind, recipient_id, day)
    values: dict[str, Any] = {
        "address": address,
        "language": language,
        "subject": subject,
        "body": body,
    }
    async with write_transaction():
        row = SentEmail(
            claim=key, kind=kind, recipient=recipient_id, day=day, created_at=now, **values
        )
        inserted = await (
            SentEmail.insert(row).on_conflict(action="DO NOTHING").returning(SentEmail.id)
        )
        if inserted:
            return inserted[0]["id"]
        retried = await (
            SentEmail.update(
                {getattr(SentEmail, k): v for k, v in values.items()}
                | {
                    SentEmail.status: "sending",
                    SentEmail.error: "",
                    SentEmail.created_at: now,
                }
            )
            .where(SentEmail.claim == key, SentEmail.status == "failed")
            .returning(SentEmail.id)
        )
    return retried[0]["id"] if retried else None


async def mark(email_id: int, *, sent: bool, now: dt.datetime, error: str = "") -> None:
    values: dict[Column | str, Any] = {
        SentEmail.status: "sent" if sent else "failed",
        SentEmail.error: error[:2000],
    }
    if sent:
        values[SentEmail.sent_at] = now
    async with write_transaction():
        await SentEmail.update(values).where(SentEmail.id == email_id)


async def list_sent(*, day: dt.date | None = None, limit: int = 200) -> list[SentEmailOut]:
    """The log, newest first (head office only: it holds every recipient's address)."""
    query = SentEmail.select(
        *SentEmail.all_columns(), SentEmail.recipient.username.as_alias("username")
    )
    if day is not None:
        query = query.where(SentEmail.day == day)
    rows = await query.order_by(SentEmail.id, ascending=False).limit(limit)
    return [
        SentEmailOut(
            id=r["id"],
            kind=r["kind"],
            recipient=r["username"],
            address=r["address"],
            day=r["day"],
            language=r["language"],
            subject=r["subject"],
            body=r["body"],
            status=r["status"],
            error=r["error"],
            created_at=r["created_at"],
            sent_at=r["sent_at"],
        )
        for r in rows
    ]
