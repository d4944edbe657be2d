"""Files kept with leads: checked by content, capped in size, named for the lead."""

from __future__ import annotations

import io
import uuid
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from beacon.core import gate

from .models import Lead, LeadDocument

# what the first bytes say a file is; Office files are zip archives with a content map
SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"))
OFFICE = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


class DocumentError(ValueError):
    """A file Beacon does not keep; the message says why."""


def file_kind(head: bytes, data) -> str:
    """The document's type read from its content, or DocumentError."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data) as archive:
                names = archive.namelist()
                unpacked = sum(i.file_size for i in archive.infolist())
        except zipfile.BadZipFile:
            names, unpacked = [], 0
        if unpacked > 10 * settings.BEACON_UPLOAD_MAX_BYTES:
            raise DocumentError(_("The file unpacks to more than the allowed size."))
        if "[Content_Types].xml" in names:
            for prefix, kind in OFFICE.items():
                if any(name.startswith(prefix) for name in names):
                    return kind
    raise DocumentError(_("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files are kept."))


def attach(lead: Lead, upload, title: str, user) -> LeadDocument:
    if upload.size > settings.BEACON_UPLOAD_MAX_BYTES:
        raise DocumentError(
            _("The file is larger than %(limit)s bytes.")
            % {"limit": settings.BEACON_UPLOAD_MAX_BYTES}
        )
    data = io.BytesIO(upload.read())
    kind = file_kind(data.getvalue()[:16], data)
    upload.seek(0)
    # stored under a name of our own: the user's file name is only the title's default
    title = title.strip() or upload.name
    upload.name = f"{uuid.uuid4().hex}.{kind}"
    document = LeadDocument(
        lead=lead, title=title, file=upload, kind=kind, size=upload.size, uploaded_by=user
    )
    try:
        return gate.save(user, document)
    except Exception:
        document.file.delete(save=False)  # stored before the row was refused or failed
        raise


def remove(document: LeadDocument, user) -> None:
    """Delete a lead's file: the row through the write gate, then the stored file."""
    gate.delete(user, document)
    document.file.delete(save=False)
