"""Jobs in web tests: an app that only queues them, and a separate worker process."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.testing import TestClient

from web.app import create_app
from web.settings import Settings

from ..conftest import IS_POSTGRES, run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queued_settings(app_settings: Settings) -> Settings:
    """The tests' app settings, but an app that only queues jobs: a worker process runs them."""
    if IS_POSTGRES:
        from ..conftest import _engine

        run(_engine().run_ddl("TRUNCATE procrastinate_jobs CASCADE"))
    return dataclasses.replace(app_settings, app_worker=False)


def _app_client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


def _worker(db: str, **settings: str) -> None:
    """``evenly worker --burst``: a separate process runs every queued job, then stops
    (``settings``: more of its environment, ``EVENLY_SMTP_URL`` say)."""
    env = {**os.environ, "DATABASE_URL": db, "PYTHONPATH": str(ROOT), **settings}
    done = subprocess.run(
        [sys.executable, "-m", "web.cli", "worker", "--burst"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
