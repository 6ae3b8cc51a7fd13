"""cluster_portal/core/checks.py: production without collected static files says so at
`check --deploy` and at start-up, instead of answering every page with a server error."""

import socket

from tests.helpers import PRODUCTION_REQUIRED, production_env, run_python

NOT_COLLECTED = "The static files were not collected"
HINT = "Run `python manage.py collectstatic --noinput`"


def test_deploy_check_without_collected_static_files_fails_and_says_what_to_do(tmp_path):
    env = production_env(**PRODUCTION_REQUIRED, STATIC_ROOT=str(tmp_path))

    result = run_python(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "(portal.E001)" in result.stderr
    assert NOT_COLLECTED in result.stderr
    assert HINT in result.stderr


def test_the_plain_check_that_migrate_runs_does_not_ask_for_static_files(tmp_path):
    # migrate and the workers start without static files; only the web server needs them.
    env = production_env(**PRODUCTION_REQUIRED, STATIC_ROOT=str(tmp_path))

    result = run_python(["manage.py", "check"], env)

    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_to_start_without_collected_static_files(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(**PRODUCTION_REQUIRED, STATIC_ROOT=str(tmp_path))

    result = run_python(
        ["-m", "gunicorn", "cluster_portal.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env,
        timeout=60,
    )  # fmt: skip

    assert result.returncode != 0
    assert "Worker failed to boot" in result.stderr
    assert NOT_COLLECTED in result.stderr
    assert HINT in result.stderr


def test_after_collectstatic_the_server_starts_and_pages_link_hashed_names(
    collected_static_root,
):
    env = production_env(**PRODUCTION_REQUIRED, STATIC_ROOT=str(collected_static_root))
    script = (
        "import cluster_portal.wsgi; from django.templatetags.static import static; "
        "print(static('css/portal.css'))"
    )

    result = run_python(["-c", script], env)

    assert result.returncode == 0, result.stderr
    [url] = result.stdout.split()
    assert url.startswith("/static/css/portal.") and url.endswith(".css")
    assert url != "/static/css/portal.css"  # the name carries the content's hash
    assert (collected_static_root / url.removeprefix("/static/")).is_file()
