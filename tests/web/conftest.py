"""A real app on the test database, driven by Litestar's HTTP test client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.stores.memory import MemoryStore
from litestar.testing import TestClient

from audits.org.users import create_user
from audits.tables import Role
from checklists import queries
from reports.analysis_cache import AnalysisCache
from web.app import create_app
from web.settings import Settings

from .audit_fixtures import PASSWORD, default_checklist, org  # noqa: F401 - org is a fixture
from .job_fixtures import queued_settings  # noqa: F401 - a fixture


@pytest.fixture
def app_settings(db: str) -> Settings:
    return Settings(
        database_url=db,
        secret_key="test-secret",
        db_pool=False,
        login_rate=1000,
        webhook_interval=0,
    )


_APPS: dict[Settings, Litestar] = {}


def app_for(settings: Settings) -> Litestar:
    """The app for these settings, built once per test session and handed to each test with
    the state a new one starts with. Building it (Litestar validating ~230 handlers) costs
    about half a second, which over ~1,500 tests was a quarter of the suite's time."""
    app = _APPS.get(settings)
    if app is None:
        app = _APPS[settings] = create_app(settings)
    app.state.analyses = AnalysisCache()
    app.stores.register("rate_limit", MemoryStore(), allow_override=True)
    return app


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(app_for(app_settings)) as test_client:
        yield test_client


@pytest.fixture
def people(db: str) -> dict[str, str]:
    """One user per role; all share PASSWORD."""

    async def make() -> None:
        for name, role in (("ada", Role.office), ("max", Role.manager), ("sam", Role.shopper)):
            await create_user(name, PASSWORD, role)
        await create_user("root", PASSWORD, Role.admin)

    asyncio.run(make())
    return {"office": "ada", "manager": "max", "shopper": "sam", "admin": "root"}


@pytest.fixture
def fundamentals(db: str):
    """The shipped default checklist, imported and published."""
    doc = default_checklist()
    asyncio.run(queries.import_checklist(doc, by="test", publish=True))
    return doc


def csrf(client: TestClient) -> str:
    """The client's CSRF token (fetched when its cookies were cleared), also sent from now on
    as the ``x-csrftoken`` header, as the app's JavaScript sends it on API writes."""
    if "csrftoken" not in client.cookies:
        client.headers.pop("x-csrftoken", None)
        client.get("/login")
    client.headers["x-csrftoken"] = client.cookies["csrftoken"]
    return client.cookies["csrftoken"]


def login(client: TestClient, username: str, password: str = PASSWORD):
    """Log in as the browser does; later API writes carry the CSRF token (see ``csrf``)."""
    return client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": csrf(client)},
        follow_redirects=False,
    )


def form(client: TestClient, url: str, data: dict | None = None, **kwargs):
    """POST a form the way the browser does, CSRF token included."""
    return client.post(
        url, data={**(data or {}), "_csrf_token": csrf(client)}, follow_redirects=False, **kwargs
    )
