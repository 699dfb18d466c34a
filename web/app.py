"""The Litestar application: ``create_app(settings)`` wires pages, API, auth and static files."""

from __future__ import annotations

import gc
import hashlib
import threading
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import RedocRenderPlugin
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.memory import MemoryStore
from litestar.template.config import TemplateConfig

from audits.jobs import worker as jobs_worker
from reports.analysis_cache import AnalysisCache
from reports.pdf import warm_up
from web.api_writes import protect_api_writes
from web.auth import provide_user
from web.client_address import rate_limit_identifier
from web.controllers.account import AccountController
from web.controllers.actions_api import ActionApiController
from web.controllers.actions_pages import ActionPagesController
from web.controllers.admin_org import AdminOrgController
from web.controllers.admin_privacy import AdminPrivacyController
from web.controllers.admin_users import AdminUsersController
from web.controllers.admin_webhooks import AdminWebhooksController
from web.controllers.audits_api import AuditApiController
from web.controllers.audits_pages import AuditPagesController, service_worker
from web.controllers.auth import AuthController
from web.controllers.checklists_api import ChecklistApiController
from web.controllers.checklists_pages import ChecklistPagesController
from web.controllers.home import HomeController
from web.controllers.imports_pages import ImportPagesController
from web.controllers.jobs_api import JobApiController
from web.controllers.language import LanguageController
from web.controllers.period_reports import BranchReportController, HeadOfficeReportController
from web.controllers.read_pages import BranchAuditsController, MyAuditsController
from web.controllers.reports_pages import VisitReportController
from web.controllers.review_api import ReviewApiController
from web.controllers.review_pages import ReviewPagesController
from web.controllers.subscriptions_api import SubscriptionApiController
from web.controllers.subscriptions_pages import SubscriptionPagesController
from web.controllers.visits_api import VisitApiController
from web.controllers.visits_pages import VisitPagesController
from web.controllers.visits_plan_pages import VisitPlanPagesController
from web.controllers.webhooks_api import WebhookApiController
from web.deps import provide_page
from web.errors import exception_handlers
from web.i18n import install_translations
from web.input_guard import InputGuard
from web.plotly_static import plotly_js
from web.reminders import start_daily_task, stop_daily_task
from web.security_headers import add_security_headers
from web.settings import Settings
from web.webhooks import start_webhook_task, stop_webhook_task

WEB_DIR = Path(__file__).parent
VERSION = "0.1.0"
FAVICON = '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">'


@get("/health", include_in_schema=True, tags=["system"], sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok", "version": VERSION}


def _template_config() -> TemplateConfig:
    environment = Environment(
        loader=FileSystemLoader(WEB_DIR / "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    install_translations(environment)
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    secret = hashlib.sha256(settings.secret_key.encode()).digest()
    template_config = _template_config()

    async def open_pool() -> None:
        if settings.db_pool:  # asyncpg's pool, or SQLite connections kept open (WAL)
            await _shared_engine().start_connection_pool()

    async def close_pool() -> None:
        if settings.db_pool:
            await _shared_engine().close_connection_pool()

    async def start_reminders(app: Litestar) -> None:  # once a day; deduped in the database
        app.state.reminder_runs = []  # what each daily run did, newest last
        app.state.scheduled_runs = []  # and the scheduled reports after it
        app.state.reminders = start_daily_task(
            settings, app.state.reminder_runs.append, app.state.scheduled_runs.append
        )

    async def start_jobs(app: Litestar) -> None:  # defer (PostgreSQL: procrastinate), and run
        app.state.jobs_open = jobs_worker.deferring(settings.database_url)
        await app.state.jobs_open.__aenter__()
        app.state.job_worker = (
            jobs_worker.start_in_app(
                settings.database_url, {"analyses": app.state.analyses, "settings": settings}
            )
            if settings.app_worker
            else None
        )

    async def stop_jobs(app: Litestar) -> None:
        await jobs_worker.stop_in_app(app.state.get("job_worker"))
        if (opened := app.state.get("jobs_open")) is not None:
            await opened.__aexit__(None, None, None)

    def warm_pdf() -> None:  # WeasyPrint's import and fonts, off the first reader's clock
        def warm() -> None:
            warm_up()
            if settings.freeze_at_start:
                freeze_what_lives_on()  # WeasyPrint's modules and fonts too

        if settings.freeze_at_start:
            freeze_what_lives_on()
        threading.Thread(target=warm, name="weasyprint-warm-up", daemon=True).start()

    async def stop_reminders(app: Litestar) -> None:
        await stop_daily_task(app.state.get("reminders"))

    async def start_webhooks(app: Litestar) -> None:  # safe in many processes (claims)
        app.state.webhooks = start_webhook_task(settings)

    async def stop_webhooks(app: Litestar) -> None:
        await stop_webhook_task(app.state.get("webhooks"))

    return Litestar(
        route_handlers=[
            health,
            HomeController,
            AuthController,
            LanguageController,
            AccountController,
            AdminUsersController,
            AdminPrivacyController,
            AdminOrgController,
            AdminWebhooksController,
            WebhookApiController,
            JobApiController,
            ChecklistPagesController,
            ChecklistApiController,
            AuditApiController,
            ReviewApiController,
            ReviewPagesController,
            SubscriptionApiController,
            SubscriptionPagesController,
            BranchAuditsController,
            MyAuditsController,
            VisitApiController,
            VisitPagesController,
            VisitPlanPagesController,
            AuditPagesController,
            ImportPagesController,
            service_worker,
            ActionApiController,
            ActionPagesController,
            create_static_files_router(path="/static", directories=[WEB_DIR / "static"]),
            VisitReportController,
            BranchReportController,
            HeadOfficeReportController,
            plotly_js,
        ],
        dependencies={"user": Provide(provide_user), "page": Provide(provide_page)},
        guards=[protect_api_writes],
        middleware=[
            CookieBackendConfig(
                secret=secret, secure=settings.secure_cookies, samesite="lax", max_age=12 * 3600
            ).middleware,
            RateLimitConfig(
                rate_limit=("minute", settings.login_rate),
                check_throttle_handler=_is_login_attempt,
                identifier_for_request=rate_limit_identifier(settings.trusted_proxies),
            ).middleware,
            InputGuard(),
        ],
        csrf_config=CSRFConfig(  # /api: the token is checked by protect_api_writes instead
            secret=settings.secret_key,
            cookie_secure=settings.secure_cookies,
            exclude=["/api"],
        ),
        template_config=template_config,
        plugins=[FlashPlugin(config=FlashConfig(template_config=template_config))],
        openapi_config=OpenAPIConfig(
            title="Evenly",
            version=VERSION,
            path="/schema",
            # Served from /static: nothing is fetched from a CDN or Google Fonts at run time.
            render_plugins=[
                RedocRenderPlugin(
                    js_url="/static/vendor/redoc.standalone.js",
                    google_fonts=False,
                    path="/",
                    favicon=FAVICON,
                )
            ],
        ),
        exception_handlers=exception_handlers(),
        before_send=[add_security_headers],
        stores={"rate_limit": MemoryStore()},
        state=State({"settings": settings, "analyses": AnalysisCache()}),
        # Jobs first: the daily task and the webhook runner queue jobs from their start.
        on_startup=[open_pool, start_jobs, start_reminders, start_webhooks, warm_pdf],
        on_shutdown=[stop_webhooks, stop_reminders, stop_jobs, close_pool],
        debug=settings.debug,
    )


def freeze_what_lives_on() -> None:
    """Move what the process holds now (its modules: the analysis', the charts', the layout's;
    the app) out of the cyclic collector's sight: a full collection then scans what requests
    made, not those ~160,000 objects, which took 115-160 ms every few seconds under load: the
    slowest reads of the office's home (bench/jobs.py). Called at startup and after the
    warm-up; what it moves is never collected, and lives as long as the process anyway."""
    gc.collect()
    gc.freeze()


def _is_login_attempt(request) -> bool:
    return request.method == "POST" and request.url.path == "/login"


def _shared_engine():
    from piccolo.apps.user.tables import BaseUser

    return BaseUser._meta.db
