"""What can stop a report being built, in the reports' own words. The web maps these to HTTP
statuses in one place (``web/errors.py``); the ``evenly report`` command prints them."""

from __future__ import annotations


class ReportError(Exception):
    """A report that cannot be built for this reader; the message says why."""


class ReportNotFound(ReportError):
    """No such branch or visit, or none the reader may see (web: 404)."""


class ReportForbidden(ReportError):
    """The thing exists but this reader may not read its report (web: 403)."""
