"""E-mail: messages rendered from templates in the recipient's language, sent over SMTP.

Templates live in ``web/templates/emails`` (``NAME_subject.txt`` and ``NAME.txt``, plain text);
their strings go through gettext like the pages' (catalogs in ``web/locales``). Sending uses
the standard library's ``smtplib`` in a worker thread, never on the event loop.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import msgspec
from jinja2 import Environment, FileSystemLoader

from checklists.model import LANGUAGES, text_in
from web.i18n import install_plain_text, translations

WEB_DIR = Path(__file__).resolve().parent
SMTP_TIMEOUT = 30


class SmtpServer(msgspec.Struct, frozen=True):
    host: str
    port: int
    ssl: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None


class Attachment(msgspec.Struct, frozen=True):
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


class Message(msgspec.Struct, frozen=True):
    to: str
    subject: str
    body: str
    language: str = "en"
    attachments: tuple[Attachment, ...] = ()


def parse_smtp_url(url: str) -> SmtpServer:
    """``smtp://[user:password@]host[:port][?starttls=1]`` or ``smtps://...`` (TLS from the
    start, port 465 by default)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"EVENLY_SMTP_URL must look like smtp://host:port, got {url!r}")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if ssl else 25),
        ssl=ssl,
        starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def send(server: SmtpServer, sender: str, message: Message) -> None:
    """Send one message (blocking: call it with ``asyncio.to_thread``)."""
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = sender, message.to, message.subject
    email["Date"], email["Message-ID"] = formatdate(localtime=False), make_msgid("evenly")
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        email.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    # Last: set_content and add_attachment move or drop the Content-* headers already set.
    email["Content-Language"] = message.language
    factory = smtplib.SMTP_SSL if server.ssl else smtplib.SMTP
    with factory(server.host, server.port, timeout=SMTP_TIMEOUT) as smtp:
        if server.starttls:
            smtp.starttls()
        if server.username:
            smtp.login(server.username, server.password or "")
        smtp.send_message(email)


@cache
def _environment(language: str) -> Environment:
    """One environment per language, its gettext bound to that language's catalog (English,
    untranslated, when there is none)."""
    environment = Environment(
        loader=FileSystemLoader(WEB_DIR / "templates" / "emails"),
        autoescape=False,  # plain text
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    install_plain_text(environment, language)
    environment.filters["content"] = lambda texts: text_in(texts or {}, language)[0]
    return environment


def render(template: str, language: str, **context: object) -> tuple[str, str]:
    """The subject and body of e-mail ``template`` in ``language`` (English if unknown)."""
    language = language if language in LANGUAGES else "en"
    environment = _environment(language)
    subject = environment.get_template(f"{template}_subject.txt").render(**context)
    body = environment.get_template(f"{template}.txt").render(**context)
    return " ".join(subject.split()), body
