"""Proposal documents: recognised by their content, stored privately, removed with care."""

import uuid
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import DocumentKind, TimelineKind
from ..models import ProjectProposal, ProposalDocument
from .proposals import _lock, _record, _require_editor

MAX_BYTES = 20 * 1024 * 1024
# What filetype recognises → (our extension, the type we serve it as). Nothing else passes:
# the name a file came with says nothing, its first bytes do.
ACCEPTED = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}
# What a ZIP must hold to be the office document it claims to be.
ZIP_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}


def recognise_document(upload) -> tuple[str, str]:
    """(extension, MIME type) of an accepted document; ValidationError for anything else —
    an executable or an HTML page renamed `.pdf` included."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is 20 MB."),
            code="document_too_large",
            params={"size": upload.size / 1024 / 1024},
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    accepted = ACCEPTED.get(kind.extension) if kind else None
    if accepted and kind.extension in ZIP_MARKERS:
        accepted = accepted if _zip_holds(upload, ZIP_MARKERS[kind.extension]) else None
    if accepted is None:
        raise ValidationError(
            _("Upload a PDF, DOCX, XLSX, ODT or ODS document: this file is none of them."),
            code="document_type",
        )
    return accepted


def _zip_holds(upload, member: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def document_add(*, proposal: ProjectProposal, actor, upload, kind: str) -> ProposalDocument:
    """Store a document of a proposal the lead may still change. The file gets a random
    name; the name it came with is kept for the download."""
    extension, content_type = recognise_document(upload)
    with transaction.atomic():
        locked = _lock(proposal)
        _require_editor(actor, locked)
        document = ProposalDocument(
            proposal=locked,
            kind=DocumentKind(kind),
            original_name=_display_name(upload.name, extension),
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        document.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
        document.save()
        _record(
            locked, kind=TimelineKind.DOCUMENT_ADDED, actor=actor, detail=document.original_name
        )
    return document


def _display_name(name: str, extension: str) -> str:
    stem = (name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"<>:|?*')[:200]
    return f"{stem.strip() or 'document'}.{extension}"


def document_remove(*, document: ProposalDocument, actor) -> None:
    """The lead removes a document; the file goes once the removal is committed."""
    with transaction.atomic():
        locked = _lock(document.proposal)
        _require_editor(actor, locked)
        storage, name = document.file.storage, document.file.name
        ProposalDocument.objects.filter(pk=document.pk, proposal=locked).delete()
        _record(
            locked, kind=TimelineKind.DOCUMENT_REMOVED, actor=actor, detail=document.original_name
        )
        transaction.on_commit(lambda: storage.delete(name), robust=True)
