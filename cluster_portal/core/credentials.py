"""Links that work as credentials, and keeping them out of everything but their mail.

A password-reset, e-mail confirmation, invitation or unsubscribe link lets whoever holds it
act as its recipient. The URL names in `settings.PORTAL_CREDENTIAL_URLS` say which links
are such; `redact_credentials` hides their secret parts in any text (log lines, the admin's
copy of a mail), and `RedactCredentialsFilter` applies it to every log record.
"""

import functools
import logging
import re
from urllib.parse import unquote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

HIDDEN = "[hidden]"
_PLACEHOLDER = "credentialplaceholder0"
# What a credential segment of a path may contain, in a URL, a log line or an HTML attribute.
_SEGMENT = r"[^/?#\s\"'<>&]+"


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    patterns = []
    for name, kwargs in settings.PORTAL_CREDENTIAL_URLS.items():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                try:
                    path = reverse(name, kwargs=dict.fromkeys(kwargs, _PLACEHOLDER))
                except NoReverseMatch:  # a URL this deployment does not have
                    continue
            regex = re.escape(path).replace(_PLACEHOLDER, _SEGMENT)
            patterns.append((re.compile(regex), path.replace(_PLACEHOLDER, HIDDEN)))
    return tuple(patterns)


def redact_credentials(text: str) -> str:
    """`text` with the secret part of every credential link replaced by "[hidden]"; links
    written percent-encoded (a `?next=` parameter, say) are decoded first."""
    if not text:
        return text
    if "%2F" in text or "%2f" in text:
        decoded = unquote(text)
        if decoded != text and _redact(decoded) != decoded:
            text = decoded
    return _redact(text)


def _redact(text: str) -> str:
    for pattern, replacement in _patterns():
        text = pattern.sub(replacement, text)
    return text


def redact_values(text: str, secrets) -> str:
    """`text` without any of `secrets` (a one-time code, a whole link), and without any
    credential link the patterns know."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
        escaped = secret.replace("&", "&amp;")
        if escaped != secret:
            text = text.replace(escaped, HIDDEN)
    return redact_credentials(text)


class RedactCredentialsFilter(logging.Filter):
    """Hides credential links in every log record (a 4xx on an invitation link is logged
    with its path by django.request, for instance)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
            redacted = redact_credentials(message)
        except Exception:  # a log line must never fail; an unreadable one is dropped
            return False
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
