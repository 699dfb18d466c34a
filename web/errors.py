"""Errors as users see them: JSON for the API, a page or a redirect to log in for HTML."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from audits.fieldwork.schemas import AuditConflict, AuditForbidden, AuditNotFound, AuditRejected
from audits.subscriptions.schemas import SubscriptionNotFound, SubscriptionRejected
from checklists.queries import ChecklistError, ChecklistNotFound, VersionFrozen, VersionNotFound
from reports.errors import ReportError, ReportForbidden
from web.deps import SESSION_LANGUAGE
from web.i18n import direction, pick_language


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api", "/schema", "/health"))


def _error(request: Request, status: int, message: str, extra: dict | None = None) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {"status_code": status, "detail": message}
        body.update(extra or {})
        return Response(body, status_code=status, media_type=MediaType.JSON)
    lang = _error_language(request)
    return Template(
        "error.html",
        context={"status": status, "message": message, "lang": lang, "dir": direction(lang)},
        status_code=status,
    )


def _error_language(request: Request) -> str:
    """An error page's language without a database query: the session's choice, the
    browser's, else the ``EVENLY_DEFAULT_LANGUAGE`` setting."""
    remembered = request.session.get(SESSION_LANGUAGE) if "session" in request.scope else None
    default = request.app.state.settings.default_language
    return pick_language((remembered,), request.headers.get("accept-language"), (default,)) or "en"


def _http(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, NotAuthorizedException) and not _wants_json(request):
        return Redirect(f"/login?next={quote(request.url.path)}")
    if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE and (named := _too_large(request)):
        field, message = named
        errors = [{"key": field, "message": message}]
        return _error(request, exc.status_code, message, {"errors": errors})
    extra = {"extra": exc.extra} if exc.extra else None
    return _error(request, exc.status_code, exc.detail, extra)


def _too_large(request: Request) -> tuple[str, str] | None:
    """The field and message a route names (``opt["too_large"]``) for a body over its limit,
    which Litestar refuses before the handler runs (an upload route names its file)."""
    handler = request.scope.get("route_handler")
    return handler.opt.get("too_large") if handler is not None else None


def _validation(request: Request, exc: ValidationException) -> Response:
    """Malformed bodies are 422 with the field-level messages, not Litestar's bare 400."""
    errors = exc.extra if isinstance(exc.extra, list) else []
    return _error(request, HTTP_422_UNPROCESSABLE_ENTITY, exc.detail, {"errors": errors})


def _domain(request: Request, exc: ChecklistError) -> Response:
    if isinstance(exc, VersionFrozen):
        status = HTTP_409_CONFLICT
    elif isinstance(exc, ChecklistNotFound | VersionNotFound):
        status = HTTP_404_NOT_FOUND
    else:
        status = HTTP_422_UNPROCESSABLE_ENTITY
    return _error(request, status, str(exc))


def _audit_rejected(request: Request, exc: AuditRejected) -> Response:
    errors = [{"key": e.key, "message": e.message} for e in exc.errors]
    return _error(request, exc.status, str(exc), {"errors": errors})


def _audit_other(request: Request, exc: Exception) -> Response:
    if isinstance(exc, AuditForbidden):
        status = HTTP_403_FORBIDDEN
    elif isinstance(exc, AuditConflict):
        status = HTTP_409_CONFLICT
    else:
        status = HTTP_404_NOT_FOUND
    return _error(request, status, str(exc))


def _subscription(request: Request, exc: Exception) -> Response:
    if isinstance(exc, SubscriptionRejected):
        errors = [{"key": e.key, "message": e.message} for e in exc.errors]
        return _error(request, HTTP_422_UNPROCESSABLE_ENTITY, str(exc), {"errors": errors})
    return _error(request, HTTP_404_NOT_FOUND, str(exc))


def _report(request: Request, exc: ReportError) -> Response:
    """A report that cannot be built: forbidden is 403, anything else (no such branch or
    visit, or none the reader may see) 404."""
    status = HTTP_403_FORBIDDEN if isinstance(exc, ReportForbidden) else HTTP_404_NOT_FOUND
    return _error(request, status, str(exc))


def _unexpected(request: Request, exc: Exception) -> Response:
    request.logger.exception("unhandled error", exc_info=exc)
    return _error(request, HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.")


def exception_handlers() -> dict:
    return {
        ValidationException: _validation,
        HTTPException: _http,
        ChecklistError: _domain,
        AuditRejected: _audit_rejected,
        AuditConflict: _audit_other,
        AuditNotFound: _audit_other,
        AuditForbidden: _audit_other,
        ReportError: _report,
        SubscriptionRejected: _subscription,
        SubscriptionNotFound: _subscription,
        HTTP_500_INTERNAL_SERVER_ERROR: _unexpected,
    }
