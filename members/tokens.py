"""Signed invitation links: the token names the invitation; the invitation row says whether
it can still be used (expiry, acceptance, revocation), so there is one clock, not two."""

from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "members.invitation"


def invitation_token(invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def read_invitation_token(token: str) -> int:
    """Return the invitation's id; raise signing.BadSignature for a tampered token."""
    invitation_id = signing.loads(token, salt=SALT)
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool):
        raise signing.BadSignature("malformed invitation token")
    return invitation_id


def invitation_accept_path(*, invitation, language: str | None = None) -> str:
    """The accept page's path, with the language prefix of `language` (default: current)."""
    with translation.override(language or translation.get_language()):
        return reverse("members:invitation_accept", kwargs={"token": invitation_token(invitation)})
