"""Signed, login-free unsubscribe links: the token names the user and the category."""

from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Return (user id, category); raise signing.BadSignature for a tampered token."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or "c" not in data:
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], str(data["c"])
