"""Settings: the one reader of environment variables.

Every variable is listed in ``SETTINGS`` with its default and meaning; docs/deployment.md
documents each one, and tests/unit/test_docs.py checks that it does.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from web.client_address import Network, parse_networks

SETTINGS: dict[str, tuple[str, str]] = {
    "DATABASE_URL": (
        "sqlite:///evenly.db",
        "Where the data lives: `sqlite:///relative/file.db`, `sqlite:////absolute/file.db` or "
        "`postgresql://user:password@host:port/database`.",
    ),
    "EVENLY_SECRET_KEY": (
        "(random per process)",
        "Signs session cookies and CSRF tokens. Set it in production, the same value in every "
        "app process; unset, sessions end when the process restarts.",
    ),
    "EVENLY_DEBUG": ("0", "`1` shows tracebacks in error pages. Never in production."),
    "EVENLY_HOST": ("127.0.0.1", "Address `evenly serve` listens on."),
    "EVENLY_PORT": ("8000", "Port `evenly serve` listens on."),
    "EVENLY_DB_POOL": (
        "1",
        "`1` keeps database connections open in each app process (a PostgreSQL pool; for "
        "SQLite 8 connections and the file in WAL mode); `0` opens a connection per query.",
    ),
    "EVENLY_SECURE_COOKIES": (
        "0",
        "`1` marks the session cookie Secure (serve over HTTPS, e.g. behind a proxy).",
    ),
    "EVENLY_LOGIN_RATE": ("10", "Login attempts allowed per client address per minute."),
    "EVENLY_TRUSTED_PROXIES": (
        "",
        "Comma-separated addresses or networks (`10.0.0.5`, `10.0.0.0/8`, `::1`) of the reverse "
        "proxies in front of Evenly. From these only, `X-Forwarded-For` names the client (the "
        "rightmost address that is not a trusted proxy) for the login rate limit; unset, the "
        "header is ignored and the connecting address counts.",
    ),
    "EVENLY_DEFAULT_LANGUAGE": (
        "en",
        "The default language (en, el, pl or fa) until the organisation sets its own.",
    ),
    "EVENLY_SMTP_URL": (
        "",
        "The SMTP server reminders and scheduled reports go through: `smtp://host:port`, `smtp://user:password@host"
        ":port?starttls=1` or `smtps://host:465`. Unset, no e-mail is sent.",
    ),
    "EVENLY_MAIL_FROM": ("evenly@localhost", "The sender of Evenly's e-mails."),
    "EVENLY_REMIND_AT": (
        "07:00",
        "When (UTC, `HH:MM`) each app process runs the daily reminders and scheduled reports; "
        "the database makes sure each message goes once (a day, or a report's period) however "
        "many processes run.",
    ),
    "EVENLY_REPORT_ATTACH_MAX_KB": (
        "5000",
        "Scheduled reports and visit notices attach the PDF up to this size (KiB); a larger "
        "one is linked instead (the reader logs in to open it).",
    ),
    "EVENLY_PUBLIC_URL": ("http://127.0.0.1:8000", "The app's address, for links in e-mails."),
    "EVENLY_WEBHOOK_INTERVAL": (
        "10",
        "Seconds between the passes of each app process's webhook runner, which sends the "
        "deliveries that are due; `0` runs none in the app (run `evenly webhooks deliver "
        "--loop` instead).",
    ),
    "EVENLY_WEBHOOK_KEEP_DAYS": (
        "30",
        "Days the webhook deliveries that were delivered or given up stay in each endpoint's "
        "log; older ones are deleted by a webhook pass once an hour (pending ones always stay), "
        "with the events no delivery refers to any more.",
    ),
    "EVENLY_APP_WORKER": (
        "1",
        "`1` runs a job worker inside each app process (the head-office PDF and other long "
        "work); `0` only queues jobs, for `evenly worker` processes to run (on PostgreSQL, the "
        "way to keep long work off the app processes).",
    ),
    "EVENLY_WORKER_NICE": (
        "10",
        "How many steps below the app processes an `evenly worker` process (and its chromium) "
        "runs on the CPU, 0 to 19 (`--nice`): pages take the cores first, the PDF what they "
        "leave.",
    ),
}


def _env(name: str, environ: dict[str, str]) -> str:
    return environ.get(name) or SETTINGS[name][0]


def _trusted_proxies(environ: dict[str, str]) -> tuple[Network, ...]:
    try:
        return parse_networks(_env("EVENLY_TRUSTED_PROXIES", environ))
    except ValueError as error:
        raise ValueError(f"EVENLY_TRUSTED_PROXIES: {error}") from None


def _interval(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:
        raise ValueError(f"EVENLY_WEBHOOK_INTERVAL: seconds from 0 to 86400, got {value!r}")
    return seconds


def _keep_days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        raise ValueError(f"EVENLY_WEBHOOK_KEEP_DAYS: days from 1 to 3650, got {value!r}")
    return days


@dataclass(frozen=True)
class Settings:
    database_url: str = SETTINGS["DATABASE_URL"][0]
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    db_pool: bool = True
    secure_cookies: bool = False
    login_rate: int = 10
    trusted_proxies: tuple[Network, ...] = ()
    default_language: str = "en"
    smtp_url: str = ""
    mail_from: str = "evenly@localhost"
    remind_at: str = "07:00"
    public_url: str = "http://127.0.0.1:8000"
    report_attach_max_kb: int = 5000
    webhook_interval: float = 10.0
    webhook_keep_days: int = 30
    app_worker: bool = True
    freeze_at_start: bool = False
    """Whether the app, once started, hides what it holds from the cyclic collector
    (``web.app.freeze_what_lives_on``): a serving process's. Off for apps made in tests, where
    one process starts hundreds of apps and each would keep the one before for good."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        secret = env.get("EVENLY_SECRET_KEY") or secrets.token_hex(32)
        return cls(
            database_url=_env("DATABASE_URL", env),
            secret_key=secret,
            debug=_env("EVENLY_DEBUG", env) == "1",
            host=_env("EVENLY_HOST", env),
            port=int(_env("EVENLY_PORT", env)),
            db_pool=_env("EVENLY_DB_POOL", env) == "1",
            secure_cookies=_env("EVENLY_SECURE_COOKIES", env) == "1",
            login_rate=int(_env("EVENLY_LOGIN_RATE", env)),
            trusted_proxies=_trusted_proxies(env),
            default_language=_env("EVENLY_DEFAULT_LANGUAGE", env),
            smtp_url=_env("EVENLY_SMTP_URL", env),
            mail_from=_env("EVENLY_MAIL_FROM", env),
            remind_at=_env("EVENLY_REMIND_AT", env),
            public_url=_env("EVENLY_PUBLIC_URL", env).rstrip("/"),
            report_attach_max_kb=int(_env("EVENLY_REPORT_ATTACH_MAX_KB", env)),
            webhook_interval=_interval(_env("EVENLY_WEBHOOK_INTERVAL", env)),
            webhook_keep_days=_keep_days(_env("EVENLY_WEBHOOK_KEEP_DAYS", env)),
            app_worker=_env("EVENLY_APP_WORKER", env) == "1",
            freeze_at_start=True,
        )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> Path:
    """``sqlite:///a/b.db`` is relative to the working directory, ``sqlite:////a/b.db`` absolute."""
    if not url.startswith("sqlite:///"):
        raise ValueError(f"not an SQLite URL: {url!r}")
    return Path(url[len("sqlite:///") :])


def postgres_config(url: str) -> dict[str, object]:
    """asyncpg connection arguments from ``postgresql://user:password@host:port/database``."""
    parts = urlsplit(url)
    config: dict[str, object] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "database": parts.path.lstrip("/") or "postgres",
        "user": unquote(parts.username) if parts.username else "postgres",
    }
    if parts.password:
        config["password"] = unquote(parts.password)
    return config


def make_engine(url: str):  # noqa: ANN201 - Piccolo engines share no public base we can name
    """The Piccolo engine for a database URL."""
    if url.startswith(("postgresql://", "postgres://")):
        from piccolo.engine.postgres import PostgresEngine

        return PostgresEngine(config=postgres_config(url))
    if url.startswith("sqlite:///"):
        from audits.db.sqlite_pool import PooledSQLiteEngine

        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return PooledSQLiteEngine(path=str(path))
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql://, got {url!r}")
