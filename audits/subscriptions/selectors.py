"""Reads: the subscriptions (head office's page and API), who is due which report, the
delivery log, and the approved visits a visits subscription is told of."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from audits.tables import Audit, ManagedBranch, Profile, ReportDelivery, ReportSubscription

from . import rules
from .schemas import DeliveryOut, SubscriptionNotFound, SubscriptionOut

_S = ReportSubscription


class Subscriber(msgspec.Struct, frozen=True):
    """An active subscription with what sending needs: the reader's id and address, and the
    branches it covers now (one, or each the manager manages today)."""

    subscription: int
    kind: str
    cadence: str
    user: int
    email: str
    branches: tuple[str, ...]
    since: dt.datetime


class Approved(msgspec.Struct, frozen=True):
    audit: uuid.UUID
    branch: str
    reviewed_at: dt.datetime


def _select():
    return _S.select(
        *_S.all_columns(exclude=[_S.user, _S.branch]),
        _S.user.username.as_alias("username"),
        _S.user.email.as_alias("email"),
        _S.user.id.as_alias("user_id"),
        _S.branch.code.as_alias("branch_code"),
    )


async def _languages(user_ids: list[int]) -> dict[int, str | None]:
    if not user_ids:
        return {}
    rows = await Profile.select(Profile.user, Profile.language).where(Profile.user.is_in(user_ids))
    return {r["user"]: r["language"] for r in rows}


def _out(row: dict[str, Any], languages: dict[int, str | None]) -> SubscriptionOut:
    return SubscriptionOut(
        id=row["id"],
        username=row["username"],
        email=row["email"] or "",
        language=languages.get(row["user_id"]),
        kind=row["kind"],
        branch=row["branch_code"],
        cadence=row["cadence"],
        active=row["active"],
        created_by=row["created_by"],
        created_at=row["created_at"],
    )


async def list_subscriptions() -> list[SubscriptionOut]:
    """Every subscription, active first, then by reader."""
    rows = await _select().order_by(_S.id)
    languages = await _languages([r["user_id"] for r in rows])
    found = [_out(r, languages) for r in rows]
    return sorted(found, key=lambda s: (not s.active, s.username, s.kind, s.branch or ""))


async def get_subscription(subscription_id: int) -> SubscriptionOut:
    row = await _select().where(_S.id == subscription_id).first()
    if row is None:
        raise SubscriptionNotFound(f"No subscription {subscription_id}.")
    return _out(row, await _languages([row["user_id"]]))


async def _managed() -> dict[int, tuple[str, ...]]:
    rows = await ManagedBranch.select(ManagedBranch.user, ManagedBranch.branch.code.as_alias("c"))
    managed: dict[int, list[str]] = {}
    for r in rows:
        managed.setdefault(r["user"], []).append(r["c"])
    return {user: tuple(sorted(codes)) for user, codes in managed.items()}


async def subscribers(*kinds: str) -> list[Subscriber]:
    """Active subscriptions of ``kinds`` whose reader is active and has an address."""
    rows = await _select().where(
        _S.active.eq(True), _S.kind.is_in(list(kinds)), _S.user._.active.eq(True)
    )
    managed = await _managed()
    found = []
    for r in sorted(rows, key=lambda r: r["id"]):
        if not r["email"]:
            continue
        if r["kind"] == rules.HEADOFFICE:
            branches: tuple[str, ...] = ("",)
        elif r["branch_code"]:
            branches = (r["branch_code"],)
        else:
            branches = managed.get(r["user_id"], ())
        found.append(
            Subscriber(
                r["id"],
                r["kind"],
                r["cadence"],
                r["user_id"],
                r["email"],
                branches,
                r["created_at"],
            )
        )
    return found


async def approved_since(since: dt.datetime) -> list[Approved]:
    """Published audits approved at or after ``since`` (imported history has no reviewer and
    is never announced), oldest first."""
    rows = await Audit.select(
        Audit.id, Audit.branch.code.as_alias("code"), Audit.reviewed_at
    ).where(
        Audit.status == Audit.Status.published,
        Audit.reviewed_by.is_not_null(),
        Audit.reviewed_at >= since,
    )
    found = [Approved(r["id"], r["code"], r["reviewed_at"]) for r in rows]
    return sorted(found, key=lambda a: a.reviewed_at)


async def approved(audit_id: uuid.UUID) -> Approved | None:
    row = await (
        Audit.select(Audit.id, Audit.branch.code.as_alias("code"), Audit.reviewed_at)
        .where(Audit.id == audit_id, Audit.status == Audit.Status.published)
        .first()
    )
    return Approved(row["id"], row["code"], row["reviewed_at"]) if row else None


async def list_deliveries(*, limit: int = 200) -> list[DeliveryOut]:
    """The delivery log, newest first (head office only: it holds readers' addresses)."""
    d = ReportDelivery
    rows = await (
        d.select(
            *d.all_columns(exclude=[d.subscription]),
            d.subscription.id.as_alias("sub"),
            d.subscription.kind.as_alias("kind"),
            d.subscription._.user._.username.as_alias("username"),
        )
        .order_by(d.id, ascending=False)
        .limit(limit)
    )
    return [
        DeliveryOut(
            id=r["id"],
            subscription=r["sub"],
            username=r["username"],
            kind=r["kind"],
            period=r["period"],
            branch=r["branch"],
            address=r["address"],
            language=r["language"],
            subject=r["subject"],
            attached=r["attached"],
            size=r["size"],
            status=r["status"],
            error=r["error"],
            created_at=r["created_at"],
            sent_at=r["sent_at"],
        )
        for r in rows
    ]
