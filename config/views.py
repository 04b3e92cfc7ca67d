"""Site-wide pages that belong to no app: start page and accessibility statement."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grants.selectors.programmes import calls_open


def home(request: HttpRequest) -> HttpResponse:
    # The open calls with their deadlines: what a visitor can apply for, before any account.
    return render(request, "home.html", {"open_calls": calls_open()})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )
