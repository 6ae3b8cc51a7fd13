"""Sealing the real mail of a credential-bearing notification until it is delivered.

A password-reset or invitation link is stored twice: the row's body is a copy
with the link hidden (what the admin shows and what stays), and `sealed` is the real mail,
encrypted with a key derived from SECRET_KEY, so the database never holds the link in
clear. Delivery opens it and then clears it. The mail's attachments (a QR code that encodes
the link, say) are sealed with it.
"""

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from .attachments import Attachment

_SALT = b"cluster_portal.notifications.sealed"


@dataclass(frozen=True)
class SealedMessage:
    body_text: str
    body_html: str
    attachments: list[Attachment] = field(default_factory=list)


def _fernet() -> MultiFernet:
    # The newest key seals; fallbacks still open what was sealed before a key rotation.
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(_SALT + key.encode()).digest()))
            for key in keys
        ]
    )


def seal(*, body_text: str, body_html: str, attachments: Sequence[Attachment] = ()) -> str:
    payload = {"text": body_text, "html": body_html}
    if attachments:
        payload["attachments"] = [attachment.to_json() for attachment in attachments]
    return _fernet().encrypt(json.dumps(payload).encode()).decode()


def open_sealed(sealed: str) -> SealedMessage:
    """The sealed mail; raises ValueError when the key that sealed it is gone."""
    try:
        payload = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        raise ValueError("the sealed body cannot be opened with the current keys") from error
    return SealedMessage(
        body_text=payload["text"],
        body_html=payload["html"],
        attachments=[Attachment.from_json(item) for item in payload.get("attachments", [])],
    )


def unseal(sealed: str) -> tuple[str, str]:
    """(text, html); raises ValueError when the key that sealed it is gone."""
    message = open_sealed(sealed)
    return message.body_text, message.body_html
