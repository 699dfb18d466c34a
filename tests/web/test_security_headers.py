"""Every response carries the security headers: pages, API, static files, errors, 404s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import get
from litestar.testing import TestClient

from web.app import create_app
from web.plotly_static import PLOTLY_JS_URL
from web.settings import Settings

from .conftest import login

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
FIXED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
URLS = [
    "/login",  # a page
    "/checklists",  # a redirect to the login
    "/no-such-page",  # 404 from no handler at all
    "/api/checklists",  # 401 JSON
    "/health",
    "/static/evenly.css",
    "/static/js/audit-form.js",
    PLOTLY_JS_URL,
    "/sw.js",
    "/schema/openapi.json",
]


def _directives(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def _assert_headers(response) -> dict[str, str]:
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, (name, response.url)
    directives = _directives(response)
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    return directives


@pytest.mark.parametrize("url", URLS)
def test_security_headers_on_every_kind_of_response(client, url):
    directives = _assert_headers(client.get(url, follow_redirects=False))
    assert directives["script-src"] == "'self'"  # no inline script runs, none from elsewhere


def test_security_headers_on_a_logged_in_page_and_a_rate_limited_login(db, people):
    settings = Settings(database_url=db, secret_key="k", db_pool=False, login_rate=1)
    with TestClient(create_app(settings)) as limited:
        login(limited, "ada")
        _assert_headers(limited.get("/checklists"))
        too_many = login(limited, "ada")
        assert too_many.status_code == 429
        _assert_headers(too_many)


def test_schema_page_alone_may_run_its_inline_start_and_a_blob_worker(client):
    directives = _assert_headers(client.get("/schema"))
    assert "'unsafe-inline'" in directives["script-src"] and "blob:" in directives["worker-src"]


def test_security_headers_on_a_server_error(app_settings):
    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    app = create_app(app_settings)
    app.register(boom)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom")
    assert response.status_code == 500
    _assert_headers(response)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_templates_have_no_inline_script_the_policy_would_block(template):
    text = template.read_text("utf-8")
    assert not INLINE_SCRIPT.search(text) and not INLINE_HANDLER.search(text)
    assert "javascript:" not in text
