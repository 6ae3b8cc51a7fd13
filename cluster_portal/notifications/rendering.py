"""Turning a kind and its context into a subject and two bodies, in one language."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body_text: str
    body_html: str


def render_notification(*, kind: str, context: dict, language: str) -> RenderedMessage:
    """Render templates/notifications/email/<kind>/{subject.txt,body.txt,body.html}.

    Rendered once per language for a whole audience: the per-recipient parts (greeting-free
    bodies, the unsubscribe link) are added when the mail is built.
    """
    folder = f"notifications/email/{kind.replace('.', '/')}"
    with translation.override(language):
        subject = render_to_string(f"{folder}/subject.txt", context).strip()
        body_text = render_to_string(f"{folder}/body.txt", context).strip()
        body_html = render_to_string(f"{folder}/body.html", context).strip()
    return RenderedMessage(
        subject=" ".join(subject.split()), body_text=body_text, body_html=body_html
    )
