"""Uploaded images: checked, re-encoded (metadata stripped) and thumbnailed before anything
is stored.

What a visitor uploads never reaches storage as sent: a file must be a PNG, JPEG or WebP
that Pillow reads within its size and pixel limits (SVGs, which may carry scripts, and
decompression bombs are refused), and only its pixels are kept, re-encoded under a random
name. Logos (members/logos.py) and event images use it, each with its own wording.
"""

import io
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4000
# Pillow's name → (our extension, save options). Nothing else is accepted.
FORMATS = {
    "PNG": ("png", {"optimize": True}),
    "JPEG": ("jpg", {"quality": 88, "optimize": True}),
    "WEBP": ("webp", {"quality": 88}),
}
ACCEPT = "image/png,image/jpeg,image/webp"

# The refusals, by code; a caller may word them for its own kind of image.
MESSAGES = {
    "too_large": _("The image is %(size).1f MB; the limit is 5 MB."),
    "svg": _("SVG images are not accepted: upload a PNG, JPEG or WebP image."),
    "format": _("Upload the image as PNG, JPEG or WebP."),
    "dimensions": _("The image is %(width)d×%(height)d pixels; the limit is 4000×4000."),
    "bomb": _("This image is too large to process safely."),
    "invalid": _("This file is not an image we can read. Upload a PNG, JPEG or WebP image."),
}


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile


def _encode(image: Image.Image, pillow_format: str, name: str) -> ContentFile:
    extension, options = FORMATS[pillow_format]
    if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    # No exif/icc/info passed on: the stored file carries pixels, not camera or GPS data.
    image.save(buffer, format=pillow_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")


def process_image(
    upload,
    *,
    thumbnail_size: tuple[int, int],
    messages: Mapping[str, str] | None = None,
    code_prefix: str = "image",
) -> ProcessedImage:
    """Validate an uploaded image and return clean files (the image and a thumbnail that
    fits `thumbnail_size`), named by a random hex stem; raise ValidationError otherwise.

    `messages` replaces some of MESSAGES (same codes, same parameters); the errors' codes
    are `<code_prefix>_<code>`.
    """
    wording = {**MESSAGES, **(messages or {})}

    def refuse(code: str, params: dict | None = None) -> ValidationError:
        return ValidationError(wording[code], code=f"{code_prefix}_{code}", params=params)

    if upload.size > MAX_BYTES:
        raise refuse("too_large", {"size": upload.size / 1024 / 1024})
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or upload.name.lower().endswith(".svg"):
        raise refuse("svg")
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            pillow_format = image.format
            if pillow_format not in FORMATS:
                raise refuse("format")
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise refuse("dimensions", {"width": width, "height": height})
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise refuse("bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise refuse("invalid") from exc

    stem = uuid.uuid4().hex
    thumbnail = image.copy()
    thumbnail.thumbnail(thumbnail_size)
    return ProcessedImage(
        image=_encode(image, pillow_format, stem),
        thumbnail=_encode(thumbnail, pillow_format, f"{stem}-thumb"),
    )


def replace_image_files(
    instance, *, image_field: str, thumbnail_field: str, processed: ProcessedImage | None
) -> list:
    """Put `processed` (or nothing, when None) on the unsaved `instance` and return the
    changed field names.

    The files it replaces are deleted once the transaction commits: a replaced image must
    not stay downloadable, and a rolled-back change must not lose the image still in use.
    """
    if processed is None:
        return []
    image, thumbnail = getattr(instance, image_field), getattr(instance, thumbnail_field)
    replaced = [name for name in (image.name, thumbnail.name) if name]
    image.save(processed.image.name, processed.image, save=False)
    thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    storage = image.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in replaced], robust=True)
    return [image_field, thumbnail_field]
