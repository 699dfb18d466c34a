"""One guard in front of every handler for what no parameter type can say.

- an integer in the path outside ``1 .. audits.boundary.bounds.ID_MAX`` (every int in a path is
  an id or a version number) or a NUL in any path segment: 404, as for any id that does not exist;
- a NUL in a query parameter, a form field or any string of a JSON body: 422 naming the field
  (PostgreSQL's text columns refuse NUL, and no user means it);
- JSON nested deeper than ``MAX_DEPTH``, a number that is not finite or an integer beyond what
  JSON exchanges safely: 422 naming the field, before a handler or the decoder recurses into it.


Types in ``audits.boundary.bounds`` bound the rest (ids, limits, dates, lengths) where they are
declared.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException, ValidationException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from audits.boundary.bounds import ID_MAX

MAX_DEPTH = 32
"""The deepest nesting of a JSON body; a checklist document, the deepest we take, needs 6."""
SAFE_INTEGER = 2**53
"""Integers beyond ±2^53 do not survive JSON's doubles in browsers."""
NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded",)
UNPARSED_TYPES = ("multipart/", "image/", "application/octet-stream")


class InputGuard(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        _check_path(scope.get("path_params") or {})
        _refuse(_query_problems(scope.get("query_string", b"")), "query")
        if scope["type"] == ScopeType.HTTP and scope["method"] in ("POST", "PUT", "PATCH"):
            request: Request[Any, Any, Any] = Request(scope, receive)  # the body is cached
            _refuse(await _body_problems(request), "body")
        await next_app(scope, receive, send)


def _check_path(params: dict[str, Any]) -> None:
    for value in params.values():
        if isinstance(value, int) and not 1 <= value <= ID_MAX:
            raise NotFoundException(f"No such item: {value}.")
        if isinstance(value, str) and NUL in value:
            raise NotFoundException("No such item.")


def _refuse(problems: list[tuple[str, str]], source: str) -> None:
    if problems:
        key, message = problems[0]
        errors = [{"key": k, "message": m, "source": source} for k, m in problems]
        raise ValidationException(f"{key}: {message}", extra=errors)


def _query_problems(query: bytes) -> list[tuple[str, str]]:
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    return [(k, "Remove the NUL character.") for k, v in pairs if NUL in k or NUL in v]


async def _body_problems(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith(UNPARSED_TYPES):
        return []  # files: their own checks (audits.fieldwork.evidence); fields: their Struct types
    body = await request.body()
    if not body:
        return []
    if content_type.startswith(FORM_TYPES):
        return _query_problems(body)
    try:  # Litestar decodes a JSON body whatever its declared type: so does the guard
        value = msgspec.json.decode(body)
    except RecursionError:
        return [("body", f"Nested too deeply: at most {MAX_DEPTH} levels.")]
    except msgspec.DecodeError:
        return []  # not JSON: the handler says what it expected
    return json_problems(value)


def json_problems(value: Any) -> list[tuple[str, str]]:
    """What is wrong with a decoded JSON value, by dotted path (``comments.greeting``)."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[str, Any, int]] = [("body", value, 0)]
    while stack:
        path, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [("body", f"Nested too deeply: at most {MAX_DEPTH} levels.")]
        if isinstance(node, dict):
            for key, child in node.items():
                child_path = key if path == "body" else f"{path}.{key}"
                if NUL in key:
                    problems.append((child_path.replace(NUL, "\\0"), "Remove the NUL character."))
                stack.append((child_path, child, depth + 1))
        elif isinstance(node, list):
            stack.extend((f"{path}.{i}", child, depth + 1) for i, child in enumerate(node))
        elif problem := _scalar_problem(node):
            problems.append((path, problem))
    return problems


def _scalar_problem(node: Any) -> str | None:
    if isinstance(node, str) and NUL in node:
        return "Remove the NUL character."
    if isinstance(node, float) and not math.isfinite(node):
        return "Enter a finite number."
    if isinstance(node, int) and not isinstance(node, bool) and abs(node) > SAFE_INTEGER:
        return f"Enter a number between {-SAFE_INTEGER} and {SAFE_INTEGER}."
    return None
