"""Piccolo's configuration: the engine comes from DATABASE_URL (see web/settings.py).

The app registry is made when Piccolo asks for it (migrations, Piccolo's commands):
``piccolo.conf.apps`` imports ``black``, which a command that only reads need not import
(``audits.db.engine``)."""

from web.settings import Settings, make_engine

DB = make_engine(Settings.from_env().database_url)


def __getattr__(name: str) -> object:
    if name != "APP_REGISTRY":
        raise AttributeError(name)
    from piccolo.conf.apps import AppRegistry

    global APP_REGISTRY
    APP_REGISTRY = AppRegistry(
        apps=[
            "piccolo.apps.user.piccolo_app",
            "checklists.piccolo_app",
            "audits.piccolo_app",
        ]
    )
    return APP_REGISTRY
