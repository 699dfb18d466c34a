"""The reader's language and interface translations.

Interface strings go through gettext (``_()`` in templates); catalogs arrive with the
translation work, until then English is shown. Checklist content carries its own languages.
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from checklists.model import LANGUAGES, text_in

RTL_LANGUAGES = frozenset({"fa"})
LANGUAGE_NAMES = {"en": "English", "el": "Ελληνικά", "pl": "Polski", "fa": "فارسی"}


def install_translations(environment: Environment) -> None:
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    environment.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    environment.filters["content"] = content_text


def pick_language(
    profile_language: str | None, accept_language: str | None, default: str, chosen: str | None
) -> str:
    """The explicit choice, else the profile's, else the browser's best supported, else the
    organisation's default."""
    for candidate in (chosen, profile_language):
        if candidate in LANGUAGES:
            return candidate
    for code in _accepted(accept_language or ""):
        if code in LANGUAGES:
            return code
    return default if default in LANGUAGES else "en"


def _accepted(header: str) -> list[str]:
    """Language codes of an Accept-Language header, best first."""
    weighted = []
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if name:
            weighted.append((quality, name.split("-")[0].lower()))
    return [code for _, code in sorted(weighted, key=lambda pair: -pair[0])]


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def content_text(texts: dict[str, str] | None, lang: str) -> Markup:
    """Checklist content in the reader's language; English fallback is marked as such."""
    text, fell_back = text_in(texts or {}, lang)
    if fell_back and text:
        return Markup(
            '<span lang="en" dir="ltr" class="fallback" title="English">{}</span>'
        ).format(text)
    return Markup("{}").format(text)
