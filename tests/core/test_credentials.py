"""cluster_portal/core/credentials.py: log lines never carry the secret part of a link that
works as a credential."""

import io
import logging

import pytest
from django.test import Client

from cluster_portal.core.credentials import RedactCredentialsFilter
from tests.helpers import invited

pytestmark = pytest.mark.django_db


def test_logs_hide_credential_links():
    _invitation, path = invited(email="zaproszona@szpital.example")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactCredentialsFilter) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        tampered = path.rstrip("/") + "x/"
        assert Client().get(tampered).status_code == 400  # logged by django.request
        logging.getLogger("portal.test").warning("Someone opened %s", path)
    finally:
        handler.setStream(previous)

    log = stream.getvalue()
    assert "Bad Request: /en/members/invitations/[hidden]/" in log
    assert "Someone opened /en/members/invitations/[hidden]/" in log
    assert token not in log
    assert token.rsplit(":", 1)[-1] not in log  # not even the signature alone
