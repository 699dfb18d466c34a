"""Database tests share the web tests' organisation fixture."""

from ..web.audit_fixtures import org  # noqa: F401 - a fixture
