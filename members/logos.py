"""Logos: checked, re-encoded (metadata stripped) and thumbnailed before anything is stored,
by the shared image processing (cluster_portal/core/images.py), in the words of a logo."""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.images import ProcessedImage, process_image

THUMBNAIL_SIZE = (320, 320)
LOGO_MESSAGES = {
    "too_large": _("The logo is %(size).1f MB; the limit is 5 MB."),
    "svg": _("SVG logos are not accepted: upload a PNG, JPEG or WebP image."),
    "format": _("Upload the logo as PNG, JPEG or WebP."),
    "dimensions": _("The logo is %(width)d×%(height)d pixels; the limit is 4000×4000."),
    "bomb": _("This image is too large to process safely."),
    "invalid": _("This file is not an image we can read. Upload a PNG, JPEG or WebP logo."),
}


@dataclass(frozen=True)
class ProcessedLogo:
    logo: ContentFile
    thumbnail: ContentFile

    def as_image(self) -> ProcessedImage:
        return ProcessedImage(image=self.logo, thumbnail=self.thumbnail)


def process_logo(upload) -> ProcessedLogo:
    """Validate an uploaded logo and return clean files; raise ValidationError otherwise."""
    processed = process_image(
        upload, thumbnail_size=THUMBNAIL_SIZE, messages=LOGO_MESSAGES, code_prefix="logo"
    )
    return ProcessedLogo(logo=processed.image, thumbnail=processed.thumbnail)
