"""Serving stored files to the browser: one response for every private file of the portal.

Only PDFs and the image types every browser shows are sent ``inline``; everything else is a
download. The stored content type (sniffed at upload, applicants/uploads.py) is the type sent,
``nosniff`` stops the browser from guessing another, and ``Content-Security-Policy: sandbox``
puts the file in an origin of its own without scripts, forms or popups, so a file that a
browser would still render as a page cannot act in the portal's name. Nothing is cached.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.cache import add_never_cache_headers

INLINE_CONTENT_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif"}
)


def shows_inline(content_type: str) -> bool:
    return content_type in INLINE_CONTENT_TYPES


def file_response(
    file: FieldFile, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """``file`` as ``filename``; inline only if asked and the type is one browsers show."""
    as_attachment = not (inline and shows_inline(content_type))
    response = FileResponse(
        file.open("rb"),
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # django-csp leaves a header that is already set alone.
    response["Content-Security-Policy"] = "sandbox"
    add_never_cache_headers(response)
    return response
