"""Signed, login-free unsubscribe links: the token names the user, the category and when it
was issued.

A link works for `UNSUBSCRIBE_LINK_LIFETIME`, and only until the user next changes that
category themself: someone who switched it back on is not switched off again by an old
mail's link replayed later.
"""

import time
from datetime import timedelta

from django.core import signing

SALT = "notifications.unsubscribe"
UNSUBSCRIBE_LINK_LIFETIME = timedelta(days=180)


def unsubscribe_token(*, user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category, "t": int(time.time() * 1000)}, salt=SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str, int]:
    """Return (user id, category, issued at in Unix milliseconds); raise signing.BadSignature for
    a tampered, malformed or expired token."""
    data = signing.loads(token, salt=SALT, max_age=UNSUBSCRIBE_LINK_LIFETIME)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("t"), int)
        or "c" not in data
    ):
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], str(data["c"]), data["t"]
