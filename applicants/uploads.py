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
# An office package is a zip; a small upload may declare gigabytes inside (a zip bomb). We
# never unpack more than a few bytes of one member, and refuse packages that declare more
# parts or more unpacked bytes than any real document has.
_MAX_ZIP_MEMBERS = 2000
_MAX_ZIP_UNPACKED_BYTES = 200 * 1024 * 1024
_MIMETYPE_BYTES = 128


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


def _refuse_packed() -> ValidationError:
    return ValidationError(
        _(
            "Diese Datei ist ungewöhnlich stark gepackt und wird nicht angenommen. Bitte speichern Sie das Dokument neu oder als PDF."
        ),
        code="zip_bomb",
    )


def _office_package_type(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
            if len(members) > _MAX_ZIP_MEMBERS:
                raise _refuse_packed()
            if sum(member.file_size for member in members) > _MAX_ZIP_UNPACKED_BYTES:
                raise _refuse_packed()
            names = {member.filename for member in members}
            for part, mime in _OFFICE_PARTS.items():
                if part in names:
                    return mime
            if "mimetype" in names:
                # Bounded: the declared size of a member may lie, the read limit does not.
                with package.open("mimetype") as member:
                    head = member.read(_MIMETYPE_BYTES)
                declared = head.decode("ascii", "replace").strip()
                if declared in ALLOWED_CONTENT_TYPES:
                    return declared
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None
