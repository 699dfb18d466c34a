"""The same audit sent five times at once, to a real server, makes exactly one audit."""

import asyncio

import httpx
import pytest

from audits.org.tokens import create_token
from audits.tables import Audit, AuditChange

from ..browser.conftest import server  # noqa: F401 - a fixture: the app on a local port
from ..conftest import IS_POSTGRES, run
from .audit_fixtures import audit_body


async def _send_five(base: str, token: str, body: dict) -> list[int]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        responses = await asyncio.gather(*(client.post("/api/audits", json=body) for _ in range(5)))
    return sorted(r.status_code for r in responses)


# The SQLite engine's pool serves only the app's own loop, so the test may read beside it; an
# asyncpg pool belongs to one loop and is never started in tests (see tests/conftest.py).
POOLS = [False] if IS_POSTGRES else [False, True]


@pytest.mark.parametrize("server", POOLS, indirect=True, ids=lambda p: "pool" if p else "no-pool")
def test_five_identical_submissions_at_once_make_one_audit(server, org):  # noqa: F811
    token = run(create_token("sam"))
    body = audit_body(org)
    statuses = asyncio.run(_send_five(server, token, body))
    assert statuses.count(201) == 1 and statuses.count(200) == 4
    assert run(Audit.count().run()) == 1
    assert run(AuditChange.count().run()) == 1  # one "submitted" entry, not five


def test_five_different_audits_at_once_all_arrive(server, org):  # noqa: F811
    token = run(create_token("sam"))
    bodies = [audit_body(org) for _ in range(5)]

    async def send() -> list[int]:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=server, headers=headers, timeout=30) as client:
            responses = await asyncio.gather(*(client.post("/api/audits", json=b) for b in bodies))
        return [r.status_code for r in responses]

    assert asyncio.run(send()) == [201] * 5
    assert run(Audit.count().run()) == 5
