"""Writes: head office subscribes someone to a report or stops it; each delivery is claimed by
inserting its row before the PDF is built and sent, so it goes once per period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Column

from audits.db.write_lock import write_transaction
from audits.org.users import CurrentUser, get_current_user
from audits.tables import Branch, ReportDelivery, ReportSubscription

from . import rules
from .schemas import (
    FieldProblem,
    SubscriptionCreate,
    SubscriptionNotFound,
    SubscriptionOut,
    SubscriptionRejected,
)
from .selectors import get_subscription


async def _reader(username: str) -> CurrentUser:
    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == username).first()
    reader = await get_current_user(row["id"]) if row else None
    if reader is None:
        raise SubscriptionRejected([FieldProblem("username", f"No active user {username!r}.")])
    return reader


async def subscribe(data: SubscriptionCreate, by: CurrentUser, now: dt.datetime) -> SubscriptionOut:
    """Subscribe ``data.username``; ``SubscriptionRejected`` names each field that is wrong (the
    reader must be allowed to read what they are sent)."""
    reader = await _reader(data.username)
    branch_id = None
    if data.branch:
        found = await Branch.select(Branch.id).where(Branch.code == data.branch).first()
        if found is None:
            raise SubscriptionRejected([FieldProblem("branch", f"No branch {data.branch!r}.")])
        branch_id = found["id"]
    cadence = rules.APPROVAL if data.kind == rules.VISITS else data.cadence
    found_problems = rules.problems(
        kind=data.kind,
        cadence=cadence,
        role=reader.role.value,
        branch=data.branch,
        managed=reader.branches,
    )
    if found_problems:
        raise SubscriptionRejected([FieldProblem(k, m) for k, m in found_problems.items()])
    async with write_transaction():
        row = ReportSubscription(
            user=reader.id,
            kind=data.kind,
            branch=branch_id,
            cadence=cadence,
            created_by=by.username,
            created_at=now,
        )
        inserted = await ReportSubscription.insert(row).returning(ReportSubscription.id)
    return await get_subscription(inserted[0]["id"])


async def stop(subscription_id: int) -> SubscriptionOut:
    """Stop sending; the subscription and its log stay."""
    async with write_transaction():
        changed = await (
            ReportSubscription.update({ReportSubscription.active: False})
            .where(ReportSubscription.id == subscription_id)
            .returning(ReportSubscription.id)
        )
    if not changed:
        raise SubscriptionNotFound(f"No subscription {subscription_id}.")
    return await get_subscription(subscription_id)


async def claim(
    subscription_id: int,
    period: str,
    branch: str,
    *,
    address: str,
    language: str,
    now: dt.datetime,
) -> int | None:
    """The delivery's id when this caller may send it; None when another process has (or is
    sending it). A failed delivery is claimed again, by one caller only."""
    key = rules.claim_key(subscription_id, period, branch)
    async with write_transaction():
        row = ReportDelivery(
            claim=key,
            subscription=subscription_id,
            period=period,
            branch=branch,
            address=address,
            language=language,
            created_at=now,
        )
        inserted = await (
            ReportDelivery.insert(row).on_conflict(action="DO NOTHING").returning(ReportDelivery.id)
        )
        if inserted:
            return inserted[0]["id"]
        retried = await (
            ReportDelivery.update(
                {
                    ReportDelivery.status: "sending",
                    ReportDelivery.error: "",
                    ReportDelivery.address: address,
                    ReportDelivery.language: language,
                    ReportDelivery.created_at: now,
                }
            )
            .where(ReportDelivery.claim == key, ReportDelivery.status == "failed")
            .returning(ReportDelivery.id)
        )
    return retried[0]["id"] if retried else None


async def mark(
    delivery_id: int,
    *,
    status: str,
    now: dt.datetime,
    subject: str = "",
    attached: bool = False,
    size: int = 0,
    error: str = "",
) -> None:
    """Record how a claimed delivery ended: ``sent``, ``failed`` (tried again next run) or
    ``skipped`` (nothing the reader may read, e.g. a branch no longer theirs)."""
    values: dict[Column | str, Any] = {
        ReportDelivery.status: status,
        ReportDelivery.subject: subject[:300],
        ReportDelivery.attached: attached,
        ReportDelivery.size: size,
        ReportDelivery.error: error[:2000],
    }
    if status == "sent":
        values[ReportDelivery.sent_at] = now
    async with write_transaction():
        await ReportDelivery.update(values).where(ReportDelivery.id == delivery_id)
