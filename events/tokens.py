"""Signed links of a registration: cancelling it (for its holder, logged out) and checking
its holder in (for the cluster office, through the QR code). Both are credentials
(settings.PORTAL_CREDENTIAL_URLS): hidden in logs, in the admin and in the stored copy of
every mail. Each names a registration row; the row says whether it still applies (a
cancelled registration cannot be cancelled or checked in), so there is one clock, not two.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CANCEL_SALT = "events.registration.cancel"
CHECK_IN_SALT = "events.registration.check-in"


def _sign(registration_id: int, salt: str) -> str:
    # Signer, not dumps(): the check-in URL goes into a QR code, where every character
    # makes the code denser and harder to scan on a dim phone screen.
    return signing.Signer(salt=salt).sign(str(registration_id))


def _read(token: str, salt: str) -> int:
    value = signing.Signer(salt=salt).unsign(token)
    if not value.isdigit():
        raise signing.BadSignature("malformed registration token")
    return int(value)


def cancel_token(registration) -> str:
    return _sign(registration.pk, CANCEL_SALT)


def read_cancel_token(token: str) -> int:
    """The registration's id; raise signing.BadSignature for a tampered token."""
    return _read(token, CANCEL_SALT)


def check_in_token(registration) -> str:
    return _sign(registration.pk, CHECK_IN_SALT)


def read_check_in_token(token: str) -> int:
    """The registration's id; raise signing.BadSignature for a tampered token."""
    return _read(token, CHECK_IN_SALT)


def cancel_url(registration, *, language: str) -> str:
    """The absolute cancel link, in the recipient's language."""
    with translation.override(language):
        path = reverse("events:cancel_link", kwargs={"token": cancel_token(registration)})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def check_in_url(registration) -> str:
    """The absolute check-in link of the QR code. It has no language prefix: the page
    speaks the language of the coordinator's phone, not the attendee's."""
    path = reverse("event_check_in", kwargs={"token": check_in_token(registration)})
    return settings.PORTAL_BASE_URL.rstrip("/") + path
