"""Logos: checked, re-encoded (metadata stripped) and thumbnailed before anything is stored."""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4000
THUMBNAIL_SIZE = (320, 320)
# Pillow's name → (our extension, save options). Nothing else is accepted.
FORMATS = {
    "PNG": ("png", {"optimize": True}),
    "JPEG": ("jpg", {"quality": 88, "optimize": True}),
    "WEBP": ("webp", {"quality": 88}),
}


@dataclass(frozen=True)
class ProcessedLogo:
    logo: ContentFile
    thumbnail: ContentFile


def _encode(image: Image.Image, pillow_format: str, name: str) -> ContentFile:
    extension, options = FORMATS[pillow_format]
    if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    # No exif/icc/info passed on: the stored file carries pixels, not camera or GPS data.
    image.save(buffer, format=pillow_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")


def process_logo(upload) -> ProcessedLogo:
    """Validate an uploaded logo and return clean files; raise ValidationError otherwise."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size).1f MB; the limit is 5 MB."),
            code="logo_too_large",
            params={"size": upload.size / 1024 / 1024},
        )
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or upload.name.lower().endswith(".svg"):
        raise ValidationError(
            _("SVG logos are not accepted: upload a PNG, JPEG or WebP image."), code="logo_svg"
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            pillow_format = image.format
            if pillow_format not in FORMATS:
                raise ValidationError(
                    _("Upload the logo as PNG, JPEG or WebP."), code="logo_format"
                )
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationError(
                    _("The logo is %(width)d×%(height)d pixels; the limit is 4000×4000."),
                    code="logo_dimensions",
                    params={"width": width, "height": height},
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This image is too large to process safely."), code="logo_bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. Upload a PNG, JPEG or WebP logo."),
            code="logo_invalid",
        ) from exc

    stem = uuid.uuid4().hex
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return ProcessedLogo(
        logo=_encode(image, pillow_format, stem),
        thumbnail=_encode(thumbnail, pillow_format, f"{stem}-thumb"),
    )
