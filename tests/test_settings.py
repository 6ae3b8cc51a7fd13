"""cluster_portal/settings: values read from the environment, and the database the suite
really talks to."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from cluster_portal.settings.env import database_from_url, env_bool, env_int, env_list
from tests.helpers import require

ROOT = Path(__file__).resolve().parent.parent


def test_database_url_becomes_a_postgresql_connection_with_health_checks(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "120")
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
    assert database["CONN_MAX_AGE"] == 120


def test_a_database_url_that_is_not_postgresql_is_refused_with_a_reason():
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://root@localhost/portal")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("no", False), ("0", False)],
)
def test_boolean_variables(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_an_unset_or_blank_boolean_takes_its_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("SOME_FLAG", raising=False)
    else:
        monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=True) is True
    assert env_bool("SOME_FLAG", default=False) is False


def test_a_whole_number_is_read_and_anything_else_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", " 587 ")
    assert env_int("EMAIL_PORT", 25) == 587
    monkeypatch.setenv("EMAIL_PORT", "")
    assert env_int("EMAIL_PORT", 25) == 25
    monkeypatch.setenv("EMAIL_PORT", "5 8 7")
    with pytest.raises(
        ImproperlyConfigured, match=r"EMAIL_PORT must be a whole number, not '5 8 7'"
    ):
        env_int("EMAIL_PORT", 25)


def test_a_list_is_split_on_commas_and_blank_items_are_dropped(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " portal.example , ,www.portal.example,")
    assert env_list("ALLOWED_HOSTS") == ["portal.example", "www.portal.example"]
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


@pytest.mark.django_db
def test_the_suite_talks_to_the_postgresql_database_of_database_url():
    url = os.environ.get("DATABASE_URL", "")
    require(bool(url), "DATABASE_URL is not set: this run uses SQLite")
    configured = database_from_url(url)

    assert connection.vendor == "postgresql"
    # pytest-django's test database next to the one DATABASE_URL names, on the same server.
    assert connection.settings_dict["NAME"] == f"test_{configured['NAME']}"
    assert (connection.settings_dict["HOST"], connection.settings_dict["PORT"]) == (
        configured["HOST"],
        configured["PORT"],
    )
    with connection.cursor() as cursor:  # websearch syntax exists on PostgreSQL only
        cursor.execute("SELECT websearch_to_tsquery('simple', %s)::text", ["kardio -onko"])
        assert cursor.fetchone() == ("'kardio' & !'onko'",)


def test_without_database_url_the_settings_use_the_sqlite_file_of_sqlite_path(tmp_path):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment["SQLITE_PATH"] = str(tmp_path / "portal.sqlite3")
    script = (
        "import django; django.setup(); from django.db import connection; "
        "print(connection.vendor, connection.settings_dict['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "cluster_portal.settings.local"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["sqlite", str(tmp_path / "portal.sqlite3")]
