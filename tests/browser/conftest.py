"""A real server on a free local port and Debian's chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from web.settings import Settings

from ..web.audit_fixtures import org  # noqa: F401 - a fixture
from ..web.live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server(db: str, request) -> Iterator[str]:
    """The app on a free local port; parametrise indirectly with True for its connection pool."""
    pool = bool(getattr(request, "param", False))
    settings = Settings(database_url=db, secret_key="browser", db_pool=pool, login_rate=1000)
    with serve(settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Module-scoped: Playwright's sync API keeps an event loop running in the main thread
    while it lives, which would stop other tests' ``asyncio.run``."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page that records console errors in ``page.errors``."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def api_post(page, url: str, data=None):
    """POST to the JSON API with the page's session cookie, carrying the CSRF token as the
    app's own JavaScript does (``x-csrftoken`` from the ``csrftoken`` cookie)."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, data=data, headers={"x-csrftoken": token})
