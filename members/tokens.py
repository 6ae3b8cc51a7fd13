"""Signed invitation links: the token names the invitation; the invitation row says whether
it can still be used (expiry, acceptance, revocation), so there is one clock, not two."""

from django.core import signing

SALT = "members.invitation"


def invitation_token(invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def read_invitation_token(token: str) -> int:
    """Return the invitation's id; raise signing.BadSignature for a tampered token."""
    invitation_id = signing.loads(token, salt=SALT)
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool):
        raise signing.BadSignature("malformed invitation token")
    return invitation_id
