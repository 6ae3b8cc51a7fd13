"""cluster_portal/gunicorn_logging.py: the deployed server's access log."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection

from tests.helpers import require

pytestmark = pytest.mark.django_db


def test_gunicorn_access_log_hides_credential_links(tmp_path, live_server):
    """The access log of the deployed server, written by gunicorn with the portal's logger."""
    require(connection.vendor == "postgresql", "gunicorn shares the test database on PostgreSQL")
    database = connection.settings_dict
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cluster_portal.settings.test",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{port}/{NAME}".format(
            port=database["PORT"] or 5432, **database
        ),
    }
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cluster_portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--access-logfile", str(access_log),
            "--logger-class", "cluster_portal.gunicorn_logging.RedactingLogger",
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    token = "eyJ0b2tlbiI6MX0:1tSecretPart:AbCdEfGhIjKlMnOp"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for path in (
            f"/en/members/invitations/{token}/",
            f"/en/accounts/login/?next=%2Fen%2Fmembers%2Finvitations%2F{token}%2F",
        ):
            # A 400 is what a tampered token gets.
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=10)

    log = access_log.read_text()
    assert "/en/members/invitations/[hidden]/" in log
    assert "1tSecretPart" not in log
