"""Dependencies shared by the page controllers: the reader's language and page context."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.di import NamedDependency

from audits.queries import CurrentUser
from web.i18n import direction, pick_language
from web.settings import Settings

SESSION_LANGUAGE = "lang"


class Page(msgspec.Struct, frozen=True):
    """What every page template needs: who reads it and in which language."""

    user: CurrentUser | None
    lang: str
    dir: str


def reader_language(request: Request[Any, Any, Any], user: CurrentUser | None) -> str:
    """``?lang=`` switches and is remembered in the session."""
    chosen = request.query_params.get("lang")
    if chosen and "session" in request.scope:
        request.session[SESSION_LANGUAGE] = chosen
    elif "session" in request.scope:
        chosen = request.session.get(SESSION_LANGUAGE)
    settings: Settings = request.app.state.settings
    return pick_language(
        user.language if user else None,
        request.headers.get("accept-language"),
        settings.default_language,
        chosen,
    )


async def provide_page(
    request: Request[Any, Any, Any], user: NamedDependency[CurrentUser | None]
) -> Page:
    lang = reader_language(request, user)
    return Page(user=user, lang=lang, dir=direction(lang))
