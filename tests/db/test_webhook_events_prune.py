"""The outbox's pruning (``audits.webhooks.outbox.prune``): old events no delivery refers to
go, batch after batch, but those whose dedup key is still needed and the recent ones."""

from __future__ import annotations

import datetime as dt
import uuid

from audits.tables import WebhookEvent
from audits.webhooks import outbox

from ..conftest import run

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _event(days_old: int, dedup: str | None = None) -> None:
    at = NOW - dt.timedelta(days=days_old)
    row = WebhookEvent(id=uuid.uuid4(), kind="k", dedup=dedup, body="{}", created_at=at)
    run(WebhookEvent.insert(row).run())


def test_old_events_go_in_batches_but_needed_keys_and_recent_ones_stay(db, monkeypatch):
    monkeypatch.setattr(outbox, "PRUNE_BATCH", 2)
    for days in range(40, 33, -1):  # seven old events, each on its own day
        _event(days)
    _event(41, dedup="still-needed")
    _event(42, dedup="done-with")
    _event(3)  # recent

    async def needed(keys: list[str]) -> set[str]:
        return {key for key in keys if key == "still-needed"}

    assert run(outbox.prune(before=NOW - dt.timedelta(days=30), needed=needed)) == 8
    left = run(WebhookEvent.select(WebhookEvent.dedup, WebhookEvent.created_at).run())
    assert sorted((row["dedup"] or "", (NOW - row["created_at"]).days) for row in left) == [
        ("", 3),
        ("still-needed", 41),
    ]
