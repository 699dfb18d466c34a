"""Dependencies shared by the page controllers: the reader's language and page context."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.di import NamedDependency

from audits.org.organisation import org_default_language, shift_names
from audits.org.people import save_language
from audits.org.users import CurrentUser
from checklists.model import LANGUAGES
from web.i18n import direction, gettext_for, pick_language
from web.settings import Settings

SESSION_LANGUAGE = "lang"


class Page(msgspec.Struct, frozen=True):
    """What every page template needs: who reads it and in which language."""

    user: CurrentUser | None
    lang: str
    dir: str
    shifts: dict[str, str] = {}  # a shift's default name → its name in ``lang``

    @property
    def viewer(self) -> CurrentUser:
        """The signed-in user, on a page whose guard lets in no one else."""
        assert self.user is not None, "a page behind a login guard"
        return self.user


def remember_language(request: Request[Any, Any, Any], chosen: str | None) -> str | None:
    """A supported ``?lang=`` (or switcher) choice goes into the session; returns the
    session's choice. Only the session: a GET never changes what is stored."""
    if "session" not in request.scope:
        return chosen if chosen in LANGUAGES else None
    if chosen in LANGUAGES:
        request.session[SESSION_LANGUAGE] = chosen
    return request.session.get(SESSION_LANGUAGE)


async def choose_language(
    request: Request[Any, Any, Any], user: CurrentUser | None, chosen: str
) -> None:
    """The switcher's choice, posted: into the session, and into a logged-in user's profile so
    that their other devices follow."""
    if chosen not in LANGUAGES:
        return
    remember_language(request, chosen)
    if user and chosen != user.language:
        await save_language(user.id, chosen)


async def reader_language(request: Request[Any, Any, Any], user: CurrentUser | None) -> str:
    """``?lang=`` or the switcher's choice (kept in the session), else the profile's language,
    else Accept-Language, else the organisation's default, else the
    ``EVENLY_DEFAULT_LANGUAGE`` setting."""
    chosen = request.query_params.get("lang")
    remembered = remember_language(request, chosen)
    accept = request.headers.get("accept-language")
    lang = pick_language((remembered, user.language if user else None), accept, ())
    if lang:
        return lang
    settings: Settings = request.app.state.settings
    return (
        pick_language((), None, (await org_default_language(), settings.default_language)) or "en"
    )


async def provide_page(
    request: Request[Any, Any, Any], user: NamedDependency[CurrentUser | None]
) -> Page:
    lang = await reader_language(request, user)
    shifts = await shift_names(lang, gettext_for(lang)) if user else {}
    return Page(user=user, lang=lang, dir=direction(lang), shifts=shifts)
