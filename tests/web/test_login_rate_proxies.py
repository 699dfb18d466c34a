"""The login rate limit counts per client address, and X-Forwarded-For names the client only
when a trusted proxy sent it: ``evenly serve`` as deployed, on a real port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import csrf
from .live_server import free_port

EVENLY = Path(sys.executable).with_name("evenly")
RATE = 3


@pytest.fixture
def serve(db: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Start ``evenly serve`` with the given EVENLY_TRUSTED_PROXIES; returns its base URL."""
    started: list[subprocess.Popen] = []

    def start(trusted_proxies: str) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": db,
            "EVENLY_DB_POOL": "0",
            "EVENLY_LOGIN_RATE": str(RATE),
            "EVENLY_PORT": str(port),
            "EVENLY_TRUSTED_PROXIES": trusted_proxies,
        }
        log = tmp_path / f"serve-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([str(EVENLY), "serve"], env=env, stdout=out, stderr=out)
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"evenly serve did not start: {log.read_text()}")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _attempts(url: str, forwarded_for: list[str]) -> list[int]:
    """One wrong-password login per X-Forwarded-For value; the statuses."""
    with httpx.Client(base_url=url) as client:
        token = csrf(client)
        return [
            client.post(
                "/login",
                data={"username": "nobody", "password": "wrong", "_csrf_token": token},
                headers={"X-Forwarded-For": forwarded},
            ).status_code
            for forwarded in forwarded_for
        ]


def test_login_rate_spoofed_forwarded_for_does_not_escape_the_limit(serve):
    url = serve("")
    spoofed = [f"203.0.113.{n}" for n in range(RATE + 2)]
    assert _attempts(url, spoofed) == [401] * RATE + [429, 429]


def test_login_rate_behind_trusted_proxy_limits_each_client_separately(serve):
    url = serve("127.0.0.1")  # this test plays the proxy
    first = _attempts(url, ["203.0.113.1"] * (RATE + 1))
    # What the client wrote itself is left of what the proxy appended, and does not count.
    forged = _attempts(url, ["198.51.100.9, 203.0.113.1"])
    second = _attempts(url, ["203.0.113.2"] * RATE)
    assert first == [401] * RATE + [429]
    assert forged == [429]
    assert second == [401] * RATE
