"""Turning a kind and its context into a subject and two bodies, in one language."""

from dataclasses import dataclass

from django.template import Context
from django.template.loader import get_template, render_to_string
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
        subject = _render_plain(f"{folder}/subject.txt", context).strip()
        body_text = _render_plain(f"{folder}/body.txt", context).strip()
        body_html = render_to_string(f"{folder}/body.html", context).strip()
    return RenderedMessage(
        subject=" ".join(subject.split()), body_text=body_text, body_html=body_html
    )


def _render_plain(name: str, context: dict) -> str:
    # Plain text is not HTML: "O'Neill & Co" must not arrive as "O&#x27;Neill &amp; Co".
    return get_template(name).template.render(Context(context, autoescape=False))
