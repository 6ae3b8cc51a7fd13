import pytest
from django.core.exceptions import ImproperlyConfigured

from cluster_portal.settings.env import database_from_url, env_bool


def test_database_url_becomes_a_postgresql_connection_with_health_checks():
    database = database_from_url(
        "postgres://portal:s%40cret@db.internal:6543/cluster?sslmode=require"
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("portal", "s@cret")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        "6543",
        "cluster",
    )
    assert database["OPTIONS"] == {"sslmode": "require"}
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


def test_a_database_url_that_is_not_postgresql_is_refused_with_a_reason():
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://root@localhost/portal")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("no", False), ("", False)]
)
def test_boolean_variables(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_tests_run_on_postgresql_when_database_url_is_set(settings, monkeypatch):
    import os

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"
