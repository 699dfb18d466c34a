"""Settings come from the environment, with the documented defaults."""

from pathlib import Path

import pytest

from web.settings import Settings, make_engine, postgres_config, sqlite_path


def test_settings_empty_environment_uses_sqlite_in_working_directory():
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///evenly.db" and not settings.is_postgres
    assert len(settings.secret_key) >= 32 and settings.port == 8000


def test_settings_environment_values_are_read():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://u@db:6543/x",
            "EVENLY_PORT": "9000",
            "EVENLY_SECRET_KEY": "s",
            "EVENLY_DEBUG": "1",
            "EVENLY_DEFAULT_LANGUAGE": "fa",
        }
    )
    assert settings.is_postgres and settings.port == 9000 and settings.secret_key == "s"
    assert settings.debug and settings.default_language == "fa"


@pytest.mark.parametrize(
    "url, path",
    [
        ("sqlite:///evenly.db", Path("evenly.db")),
        ("sqlite:////var/lib/e.db", Path("/var/lib/e.db")),
    ],
)
def test_sqlite_path_three_slashes_relative_four_absolute(url, path):
    assert sqlite_path(url) == path


def test_postgres_config_reads_every_part():
    assert postgres_config("postgresql://ann:p%40ss@db.local:6543/evenly") == {
        "host": "db.local",
        "port": 6543,
        "database": "evenly",
        "user": "ann",
        "password": "p@ss",
    }


def test_make_engine_unknown_scheme_names_the_accepted_ones():
    with pytest.raises(ValueError, match="sqlite:/// or postgresql://"):
        make_engine("mysql://x")


def test_settings_trusted_proxies_default_to_none():
    assert Settings.from_env({}).trusted_proxies == ()


def test_settings_trusted_proxies_read_addresses_and_networks():
    settings = Settings.from_env({"EVENLY_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16,::1"})
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.5/32", "10.1.0.0/16", "::1/128"]


def test_settings_bad_trusted_proxy_names_the_variable_and_the_entry():
    with pytest.raises(ValueError, match=r"EVENLY_TRUSTED_PROXIES: .*'10\.0\.0\.300'"):
        Settings.from_env({"EVENLY_TRUSTED_PROXIES": "10.0.0.1,10.0.0.300"})
