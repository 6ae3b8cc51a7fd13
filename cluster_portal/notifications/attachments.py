"""Files a notification carries: a calendar entry, a QR code shown inline in the HTML body.

An attachment is stored with its notification (base64 in a JSON column) and put into the
mail when it is built. The attachments of a credential-bearing mail (a QR code that encodes
a check-in link, say) travel inside its sealed copy and are cleared with it after delivery.
"""

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """One file of a mail. With `content_id`, an image is shown inline: the HTML body
    refers to it as `<img src="cid:<content_id>">` and the mail carries it in a
    multipart/related part next to the HTML."""

    filename: str
    mimetype: str
    content: bytes
    content_id: str = ""

    @property
    def is_inline(self) -> bool:
        return bool(self.content_id)

    def to_json(self) -> dict:
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content": base64.b64encode(self.content).decode("ascii"),
            "content_id": self.content_id,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Attachment":
        return cls(
            filename=data["filename"],
            mimetype=data["mimetype"],
            content=base64.b64decode(data["content"]),
            content_id=data.get("content_id", ""),
        )


def describe(attachment: Attachment) -> dict:
    """What the stored copy of a credential-bearing mail keeps of an attachment: its name
    and type, not its content (which may encode the credential)."""
    return {"filename": attachment.filename, "mimetype": attachment.mimetype, "sealed": True}
