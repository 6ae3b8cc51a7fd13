"""What a deployer relies on in docker-compose.yml and the Dockerfile.

No Docker engine is needed: the compose file is parsed, and the production settings are
loaded in subprocesses the way the containers load them.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.helpers import (
    PRODUCTION_REQUIRED,
    production_env,
    run_python,
    settings_env_names,
)

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

LONG_RUNNING = {"web", "worker", "beat", "postgres", "redis", "mailpit"}
APP_SERVICES = ("web", "worker", "beat", "migrate")

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
_INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:?-)([^}]*)|(:?\?)([^}]*))?\}")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _service(name: str) -> dict:
    return _compose()["services"][name]


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _with_defaults(value: str) -> str:
    """Interpolate as compose does with an empty shell environment; required ones get a stub."""

    def replace(match: re.Match) -> str:
        name, _, default, required, _ = match.groups()
        if required:
            return f"required-{name.lower()}"
        return default or ""

    return _INTERPOLATION.sub(replace, value)


def _command(service: dict) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _depends_on(service: dict) -> dict[str, str]:
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {
        name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()
    }


def test_compose_defines_the_long_running_services_and_migrate():
    services = set(_compose()["services"])
    assert services >= LONG_RUNNING | {"migrate"}


def test_postgres_and_redis_have_healthchecks():
    postgres = _service("postgres")["healthcheck"]["test"]
    redis = _service("redis")["healthcheck"]["test"]
    postgres = " ".join(postgres) if isinstance(postgres, list) else postgres
    redis = " ".join(redis) if isinstance(redis, list) else redis
    assert "pg_isready" in postgres
    # TCP rather than the socket, which answers while initdb is still running.
    assert "-h 127.0.0.1" in postgres
    assert "redis-cli ping" in redis


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_postgres_and_redis(name):
    depends = _depends_on(_service(name))
    assert depends.get("postgres") == "service_healthy"
    assert depends.get("redis") == "service_healthy"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_start_after_migrations_succeeded(name):
    assert _depends_on(_service(name)).get("migrate") == "service_completed_successfully"


def test_migrate_is_a_one_shot_migration_after_postgres_is_healthy():
    migrate = _service("migrate")
    assert _command(migrate)[-3:] == ["manage.py", "migrate", "--noinput"]
    assert _depends_on(migrate).get("postgres") == "service_healthy"
    assert str(migrate.get("restart", "no")) == "no"


def test_web_runs_gunicorn_with_the_project_wsgi_app():
    command = _command(_service("web"))
    assert command[0] == "gunicorn"
    assert "cluster_portal.wsgi:application" in command
    assert "0.0.0.0:8000" in command
    assert any(str(port).endswith("8000:8000") for port in _service("web")["ports"])


def test_web_healthcheck_probes_healthz_without_curl():
    test = _service("web")["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else test
    assert "/healthz" in text
    assert "python" in text
    assert "curl" not in text


def test_worker_runs_a_celery_worker():
    command = _command(_service("worker"))
    assert command[:4] == ["celery", "-A", "cluster_portal", "worker"]


def test_beat_runs_as_a_single_replica():
    beat = _service("beat")
    assert _command(beat)[:4] == ["celery", "-A", "cluster_portal", "beat"]
    assert beat["deploy"]["replicas"] == 1
    beat_services = [
        name
        for name, service in _compose()["services"].items()
        if "command" in service and _command(service)[3:4] == ["beat"]
    ]
    assert beat_services == ["beat"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_uses_only_variables_the_settings_read(name):
    env = _environment(_service(name))
    assert env, f"{name} has no environment"
    unknown = set(env) - settings_env_names() - {"DJANGO_SETTINGS_MODULE"}
    assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_the_production_settings_with_a_required_secret_key(name):
    env = _environment(_service(name))
    assert env["DJANGO_SETTINGS_MODULE"] == "cluster_portal.settings.production"
    # No default secret: compose refuses to start without one (`${SECRET_KEY:?...}`).
    assert re.fullmatch(r"\$\{SECRET_KEY:?\?[^}]*\}", env["SECRET_KEY"])
    assert _with_defaults(env["ALLOWED_HOSTS"])


def test_database_url_points_at_the_postgres_service():
    postgres_env = {
        key: _with_defaults(value) for key, value in _environment(_service("postgres")).items()
    }
    url = urlsplit(_with_defaults(_environment(_service("web"))["DATABASE_URL"]))
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "postgres"
    assert url.port == 5432
    assert url.username == postgres_env["POSTGRES_USER"]
    assert url.password == postgres_env["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == postgres_env["POSTGRES_DB"]


def test_redis_url_points_at_the_redis_service():
    url = urlsplit(_with_defaults(_environment(_service("web"))["REDIS_URL"]))
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert (url.port or 6379) == 6379


def test_mail_goes_to_mailpit_smtp():
    env = _environment(_service("worker"))
    assert env["EMAIL_HOST"] == "mailpit"
    assert env["EMAIL_PORT"] == "1025"
    assert "mailpit" in _compose()["services"]


def test_ssl_redirect_is_off_by_default_for_local_compose():
    env = _environment(_service("web"))
    assert _with_defaults(env["SECURE_SSL_REDIRECT"]).lower() in {"false", "0", "no", "off"}


def test_web_and_worker_share_the_media_volume():
    compose = _compose()
    media_root = _environment(compose["services"]["web"])["MEDIA_ROOT"]
    mounts = {}
    for name in ("web", "worker"):
        volumes = compose["services"][name].get("volumes", [])
        mounts[name] = {v.split(":")[0] for v in volumes if v.split(":")[1] == media_root}
    assert mounts["web"] & mounts["worker"], "web and worker need the same volume on MEDIA_ROOT"
    assert (mounts["web"] & mounts["worker"]) <= set(compose.get("volumes") or {})


def test_dockerfile_runs_gunicorn_as_a_non_root_user():
    text = DOCKERFILE.read_text()
    cmd = [line for line in text.splitlines() if line.startswith("CMD ")]
    assert cmd, "Dockerfile has no CMD"
    assert "gunicorn" in cmd[-1]
    assert "cluster_portal.wsgi:application" in cmd[-1]
    users = [line.split()[1] for line in text.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic --noinput" in text


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".git", "db.sqlite3", "media", "staticfiles", ".env"} <= ignored
    assert "static" not in ignored


@pytest.mark.parametrize("missing", sorted(PRODUCTION_REQUIRED))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = production_env(**{k: v for k, v in PRODUCTION_REQUIRED.items() if k != missing})
    result = run_python(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr.splitlines()[-1]


def test_production_refuses_a_base_url_that_is_not_an_address():
    env = production_env(**{**PRODUCTION_REQUIRED, "PORTAL_BASE_URL": "portal.example"})
    result = run_python(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "PORTAL_BASE_URL" in result.stderr.splitlines()[-1]


def test_production_shares_rate_limits_and_tasks_through_redis():
    # Per-process memory would let every gunicorn worker count wrong passwords on its own.
    env = production_env(**PRODUCTION_REQUIRED)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.PORTAL_BASE_URL)"
    )
    result = run_python(["-c", script], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "cluster_portal.core.redis_cache.KeptClientRedisCache",
        "False",
        "https://portal.example",
    ]


def test_compose_gives_the_app_its_public_address():
    for name in APP_SERVICES:
        environment = _environment(_service(name))
        base_url = urlsplit(_with_defaults(environment["PORTAL_BASE_URL"]))
        assert base_url.scheme in {"http", "https"} and base_url.netloc, name


def test_production_passes_the_deploy_checks(collected_static_root):
    env = production_env(**PRODUCTION_REQUIRED, STATIC_ROOT=str(collected_static_root))
    assert len(env["SECRET_KEY"]) >= 50
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_the_settings_read_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Security")]
    missing = sorted(name for name in settings_env_names() if f"`{name}`" not in table)
    assert missing == []
