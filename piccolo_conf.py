"""Piccolo's configuration: the engine comes from DATABASE_URL (see web/settings.py)."""

from piccolo.conf.apps import AppRegistry

from web.settings import Settings, make_engine

DB = make_engine(Settings.from_env().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "piccolo.apps.user.piccolo_app",
        "checklists.piccolo_app",
        "audits.piccolo_app",
    ]
)
