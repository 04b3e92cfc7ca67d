"""What we accept as an uploaded document: decided by the file's content, not its name.

Applicants upload statutes, register extracts, receipts and reports. Only PDF, common images
and office documents are accepted; ``filetype`` (pure Python) reads the magic bytes, and for
ZIP-based office formats the package's inner structure, so a renamed executable or HTML page
is refused whatever its file name says.
"""

from __future__ import annotations

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_CONTENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
}
# Enough for every signature filetype knows, including the inner names of office packages.
_SNIFF_BYTES = 8192


def accepted_formats() -> str:
    return "PDF, JPEG, PNG, Word, Excel, PowerPoint, OpenDocument"


def check_upload(upload: UploadedFile) -> str:
    """The content type of ``upload`` if we accept it; a German ``ValidationError`` if not."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("Die Datei ist zu groß (%(size)s). Erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime == "application/zip":
        # A large office file may keep its telltale parts beyond the first bytes.
        mime = _office_package_type(upload)
    if mime not in ALLOWED_CONTENT_TYPES:
        raise ValidationError(
            _(
                "Diese Datei können wir nicht annehmen. Erlaubt sind: %(formats)s. "
                "Bitte speichern Sie das Dokument zum Beispiel als PDF."
            )
            % {"formats": accepted_formats()},
            code="wrong_type",
        )
    return mime


_OFFICE_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _office_package_type(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            for part, mime in _OFFICE_PARTS.items():
                if part in names:
                    return mime
            if "mimetype" in names:
                declared = package.read("mimetype").decode("ascii", "replace").strip()
                if declared in ALLOWED_CONTENT_TYPES:
                    return declared
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None
