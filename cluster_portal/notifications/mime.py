"""The bytes of a plain notification mail, built directly for the fan-out.

Django's EmailMessage runs every header through the `email` package (parsing addresses,
folding and encoding each header): for a fan-out of ten thousand mails that was most of a
worker's time. A notification without attachments has a fixed shape — ASCII headers we
chose, a subject and a sender that repeat across a fan-out, two UTF-8 bodies — so its
bytes are written here directly, with what repeats encoded once. Mails with attachments,
and non-ASCII addresses, still go through Django (delivery.build_email).
"""

import base64
import functools
import uuid
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr


def is_plain_ascii(text: str) -> bool:
    return text.isascii() and "\n" not in text and "\r" not in text


@functools.lru_cache(maxsize=512)
def encoded_header(value: str) -> str:
    """A header value as RFC 2047 wants it: folded at 78 columns, non-ASCII as encoded
    words. Cached: a fan-out repeats the same subject and sender thousands of times.

    Line breaks become spaces: a subject built from a user's text must not start a header
    of its own (Django refuses such a subject with BadHeaderError; a fan-out should not stop
    on it)."""
    value = " ".join(value.splitlines())
    if value.isascii() and len(value) <= 70:
        return value
    return Header(value, "utf-8", maxlinelen=78).encode(linesep="\r\n")


@functools.lru_cache(maxsize=8)
def sender_header(from_email: str) -> str:
    name, address = parseaddr(from_email)
    if name and not name.isascii():
        return formataddr((str(Header(name, "utf-8").encode()), address))
    return formataddr((name, address))


@functools.lru_cache(maxsize=8)
def envelope_sender(from_email: str) -> str:
    return parseaddr(from_email)[1]


def _part(content_type: str, text: str) -> list[str]:
    # Text is encoded in its canonical form, lines ending in CRLF (RFC 2045, 6.8), as the
    # `email` package does.
    canonical = "\r\n".join(text.split("\n")) if "\r" not in text else text
    body = base64.encodebytes(canonical.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return [
        f'Content-Type: {content_type}; charset="utf-8"',
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: base64",
        "",
        body.rstrip("\r\n"),
    ]


def message_bytes(
    *,
    from_email: str,
    to: str,
    subject: str,
    headers: dict[str, str],
    body_text: str,
    body_html: str,
) -> bytes:
    """A complete message (CRLF line ends): multipart/alternative when there is HTML."""
    lines = [
        f"Subject: {encoded_header(subject)}",
        f"From: {sender_header(from_email)}",
        f"To: {to}",
        f"Date: {formatdate(localtime=True)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    if not body_html:
        lines += _part("text/plain", body_text)
    else:
        boundary = f"==============={uuid.uuid4().hex}=="
        lines += [
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            "MIME-Version: 1.0",
            "",
            f"--{boundary}",
            *_part("text/plain", body_text),
            f"--{boundary}",
            *_part("text/html", body_html),
            f"--{boundary}--",
        ]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")
