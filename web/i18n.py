"""The reader's language and interface translations.

Interface strings go through gettext: ``{{ _("...") }}`` in templates (Jinja's i18n extension,
in the language of the page being rendered) and ``gettext_for(lang)`` in Python (flash
messages, errors, e-mails). Catalogs live in ``web/locales/<lang>/LC_MESSAGES/messages.po``;
``make setup`` compiles them to ``.mo``, and a catalog whose ``.mo`` is missing or older than
its ``.po`` is compiled in memory on first use, so a fresh checkout works either way.
Checklist content carries its own languages (the ``content`` filter).
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from checklists.model import LANGUAGES, text_in
from reports.formatting import (
    format_day,
    format_moment,
    format_number,
    format_percent,
    format_zone,
)
from reports.reasons import reason_text
from reports.solar_hijri import persian_digits

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
RTL_LANGUAGES = frozenset({"fa"})
LANGUAGE_NAMES = {"en": "English", "el": "Ελληνικά", "pl": "Polski", "fa": "فارسی"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel extracts
    """Marks a string for translation where it is defined; it is translated where shown."""
    return message


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language (English, the msgids themselves, for anything unknown)."""
    if lang not in LANGUAGES:
        return gettext.NullTranslations()
    return load_catalog(LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", lang)


def load_catalog(po: Path, lang: str) -> gettext.NullTranslations:
    """The compiled ``.mo`` beside ``po`` when it is current, else ``po`` compiled in memory
    (a checkout or ``pip install -e .`` without ``make setup``), else no translations."""
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as file:
            return Translations(file, domain=DOMAIN)
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as file:
        catalog = read_po(file, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as pybabel compile does
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_ = gettext_for(page.lang)``; then ``_("Saved %(n)s visits.") % {"n": 3}``."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    return translations(lang).ngettext


def translatable(msgid: str, **values: Any) -> list:
    """A message to translate later, where it is shown (a flash message is shown on the next
    page, in that page's language): ``[msgid, values]``, JSON for the session cookie."""
    return [msgid, {name: str(value) for name, value in values.items()}]


@pass_context
def _flash_text(context: Context, message: Any) -> str:
    """A flash message: a plain string (a msgid, or text made elsewhere) or ``translatable``."""
    lang = _context_language(context)
    if isinstance(message, list | tuple) and len(message) == 2:
        values = message[1]
        if lang == "fa":  # stored as text: a number is all digits
            values = {k: persian_digits(v) if v.isdigit() else v for k, v in values.items()}
        return translate(lang, str(message[0])) % values
    return translate(lang, str(message))


@pass_context
def _translate_filter(context: Context, message: Any) -> str:
    """``{{ error | tr }}``: a message made in Python, translated when the catalog has it;
    unlike ``_()`` it is never %-formatted, so any text is safe."""
    return translate(_context_language(context), "" if message is None else str(message))


def translate(lang: str, message: str) -> str:
    """A message made elsewhere (a domain error, a flag) in the reader's language, when the
    catalog has it; otherwise as it is."""
    return translations(lang).gettext(message) if message else message


def _context_language(context: Context) -> str:
    page = context.get("page")
    return getattr(page, "lang", None) or context.get("lang") or "en"


@pass_context
def _context_gettext(context: Context, message: str) -> str:
    return translations(_context_language(context)).gettext(message)


@pass_context
def _context_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(_context_language(context)).ngettext(singular, plural, n)


def _written_numbers(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """A message's numeric placeholders as the reader writes numbers (``۲۹ مورد``)."""
    return {
        name: format_number(value, lang, None)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for name, value in values.items()
    }


@pass_context
def _page_gettext(__context: Context, __string: str, **variables: Any) -> str:
    lang = _context_language(__context)
    text = translations(lang).gettext(__string)
    if __context.eval_ctx.autoescape:
        text = Markup(text)
    return text % _written_numbers(variables, lang)  # always a format string, as in Jinja


@pass_context
def _page_ngettext(
    __context: Context, __singular: str, __plural: str, __num: int, **variables: Any
) -> str:
    variables.setdefault("num", __num)
    lang = _context_language(__context)
    text = translations(lang).ngettext(__singular, __plural, __num)
    if __context.eval_ctx.autoescape:
        text = Markup(text)
    return text % _written_numbers(variables, lang)


def install_plain_text(environment: Environment, language: str) -> None:
    """An e-mail's environment in one language: numbers in its digits, dates (``day``) in
    its calendar as plain text."""
    environment.globals["lang"] = language
    environment.globals.update(gettext=_page_gettext, ngettext=_page_ngettext)
    environment.filters["day"] = lambda value: format_day(value, language) if value else ""
    environment.filters["number"] = lambda value, decimals=0: format_number(
        value, language, decimals
    )


def install_translations(environment: Environment) -> None:
    """Gettext in the language of the template's ``page`` (macros need ``import ... with
    context`` to see it), and the locale-aware filters."""
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_context_gettext, ngettext=_context_ngettext, newstyle=True
    )
    # Jinja's newstyle callables, with numbers written in the reader's digits
    environment.globals.update(gettext=_page_gettext, ngettext=_page_ngettext)
    environment.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    environment.globals["language_url"] = _language_url
    environment.globals["this_page_url"] = _this_page_url
    environment.globals["flash_text"] = _flash_text
    environment.globals["arrow"] = _arrow
    environment.filters["tr"] = _translate_filter
    environment.filters["content"] = content_text
    environment.filters["number"] = _number_filter
    environment.filters["percent"] = _percent_filter
    environment.filters["day"] = _day_filter
    environment.filters["zone"] = _zone_filter
    environment.filters["digits"] = _digits_filter
    environment.filters["moment"] = _moment_filter
    environment.filters["reason"] = _reason_filter
    environment.filters["shift"] = _shift_filter
    environment.filters["checklist"] = _checklist_filter


@pass_context
def _shift_filter(context: Context, name: str | None) -> str:
    """``{{ visit.shift | shift }}``: the shift's name in the page's language, else its default
    name."""
    shifts = getattr(context.get("page"), "shifts", None) or {}
    return shifts.get(name, name) if name else ""


@pass_context
def _checklist_filter(context: Context, slug: str | None) -> Markup | str:
    """``{{ audit.checklist | checklist }}``: a checklist's title in the page's language from
    the page's ``checklist_titles`` (slug → titles), else its slug."""
    titles = (context.get("checklist_titles") or {}).get(slug)
    if not titles:
        return slug or ""
    return content_text(titles, _context_language(context))


@pass_context
def _reason_filter(context: Context, failure: Any) -> str:
    """``{{ f | reason }}``: why an item failed (a failed item, or an action with
    ``reason_code`` and ``reason_params``) in the page's language; the stored English when
    the failure has no code."""
    code = getattr(failure, "code", None) or getattr(failure, "reason_code", "")
    params = getattr(failure, "params", None) or getattr(failure, "reason_params", None)
    lang = _context_language(context)
    text = reason_text(code or "", params, lang, translations(lang).gettext)
    return text or translate(lang, str(getattr(failure, "reason", "") or ""))


@pass_context
def _number_filter(context: Context, value: Any, decimals: int | None = 0) -> str:
    return format_number(value, _context_language(context), decimals)


def _on_clock(value: date, zone: str | None) -> date:
    """An aware time on the branch's clock (``zone``); a date, or no zone, as it is."""
    if zone and isinstance(value, datetime) and value.tzinfo is not None:
        try:
            return value.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            return value
    return value


@pass_context
def _digits_filter(context: Context, text: Any) -> str:
    """``{{ shift.start | digits }}``: a time or code-like text in the reader's digits."""
    text = "" if text is None else str(text)
    return persian_digits(text) if _context_language(context) == "fa" else text


@pass_context
def _zone_filter(context: Context, zone: str | None) -> str:
    """``{{ branch.timezone | zone }}``: the zone's city in the reader's language."""
    return format_zone(zone, _context_language(context)) if zone else ""


@pass_context
def _percent_filter(context: Context, share: float | None) -> str:
    return format_percent(share, _context_language(context))


@pass_context
def _day_filter(context: Context, value: date | str | None, zone: str | None = None) -> Markup:
    """``{{ due | day }}``; ``{{ at | day(branch_zone) }}`` the date on the branch's clock; an
    ISO date as text (an action's due date before and after a move) likewise."""
    if not value:
        return Markup("")
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return Markup("{}").format(value)
    value = _on_clock(value, zone)
    text = format_day(value, _context_language(context))
    iso = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return Markup('<time datetime="{}">{}</time>').format(iso, text)


@pass_context
def _moment_filter(context: Context, value: datetime | None, zone: str | None = None) -> Markup:
    """``{{ at | moment(zone) }}``: the date and time on the branch's clock, never raw UTC."""
    if value is None:
        return Markup("")
    value = _on_clock(value, zone)  # type: ignore[assignment]
    text = format_moment(value, _context_language(context))
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(timespec="minutes"), text)


@pass_context
def _arrow(context: Context, way: str) -> str:
    """An arrow that points the reading way: "forward" is → in English and ← in Persian."""
    rtl = _context_language(context) in RTL_LANGUAGES
    return ("←" if rtl else "→") if way == "forward" else ("→" if rtl else "←")


@pass_context
def _language_url(context: Context, code: str) -> str:
    """This page again in another language: the same path and query, ``lang`` replaced."""
    request = context.get("request")
    if request is None:
        return f"?lang={code}"
    return language_url(request.url.path, request.url.query or "", code)


@pass_context
def _this_page_url(context: Context) -> str:
    """This page's path and query without ``lang``: where the language switch comes back to."""
    request = context.get("request")
    if request is None:
        return "/"
    params = [(k, v) for k, v in parse_qsl(request.url.query or "", keep_blank_values=True)]
    query = urlencode([(k, v) for k, v in params if k != "lang"])
    return f"{request.url.path}?{query}" if query else request.url.path


def language_url(path: str, query: str, code: str) -> str:
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    return f"{path}?{urlencode([*params, ('lang', code)])}"


def pick_language(
    explicit: Iterable[str | None], accept_language: str | None, defaults: Iterable[str | None]
) -> str | None:
    """The first supported of the explicit choices (the switcher, the profile), else the
    browser's best supported, else the first supported default (the organisation's, the
    setting); None when nothing is supported."""
    for candidate in explicit:
        if candidate in LANGUAGES:
            return candidate
    for code in accepted_languages(accept_language or ""):
        if code in LANGUAGES:
            return code
    return next((code for code in defaults if code in LANGUAGES), None)


def accepted_languages(header: str) -> list[str]:
    """Language codes of an Accept-Language header, best first (``q=0`` means not wanted)."""
    weighted = []
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if name and quality > 0:
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
