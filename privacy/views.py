"""The privacy notice and the imprint, as the funder wrote them in the admin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from privacy.models import LegalText


def _legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    legal_text = LegalText.objects.filter(kind=kind).first()
    return render(
        request,
        "privacy/legal_text.html",
        {
            "title": LegalText.Kind(kind).label,
            "text": legal_text.text() if legal_text else "",
            "updated_at": legal_text.updated_at if legal_text else None,
        },
    )


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return _legal_page(request, LegalText.Kind.PRIVACY)


def imprint(request: HttpRequest) -> HttpResponse:
    return _legal_page(request, LegalText.Kind.IMPRINT)
