"""The one copy of a credential-bearing mail, encrypted until it is delivered.

A mail with a password-reset or invitation link is stored twice: the row's body is a copy
with the link hidden (what the admin shows and what stays), and `sealed` is the real mail,
encrypted with a key derived from SECRET_KEY, so the database never holds the link in
clear. Delivery opens it and then clears it.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_SALT = b"cluster_portal.notifications.sealed"


def _fernet() -> MultiFernet:
    # The newest key seals; fallbacks still open what was sealed before a key rotation.
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(_SALT + key.encode()).digest()))
            for key in keys
        ]
    )


def seal(*, body_text: str, body_html: str) -> str:
    payload = json.dumps({"text": body_text, "html": body_html}).encode()
    return _fernet().encrypt(payload).decode()


def unseal(sealed: str) -> tuple[str, str]:
    """(text, html); raises ValueError when the key that sealed it is gone."""
    try:
        payload = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        raise ValueError("the sealed body cannot be opened with the current keys") from error
    return payload["text"], payload["html"]
