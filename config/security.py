"""Request-level security helpers shared by every app (see docs/security.md).

- ``client_ip``: the client's address for django-axes (REMOTE_ADDR, which the operations
  middleware resolved behind the configured proxies), so that counters are per person.
- ``safe_next``: the only way to follow a ``next`` parameter (no open redirects).
- ``normalise_login``: one spelling per e-mail address (case, surrounding spaces, Unicode
  compatibility forms), so that ``" Anna@Example.org"`` or full-width letters are the same
  account for the login and for its failure counter.
- ``SecurityHeadersMiddleware``: Permissions-Policy on every response and ``Cache-Control:
  no-store`` on everything personal (pages of logged-in people, file downloads).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str:
    """The client's address for django-axes: TrustedProxyMiddleware (operations) has already
    replaced REMOTE_ADDR by the address our trusted proxy saw, and dropped forwarded headers
    from anyone else, so there is one rule for the whole site."""
    return request.META.get("REMOTE_ADDR", "")


def safe_next(request: HttpRequest, default: str) -> str:
    """``next`` from the form or query if it stays on this site, else ``default``.

    Every redirect to a ``next`` goes through here: a link like ``?next=https://evil.example``
    must never send someone off the portal after a login or a saved form.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def normalise_login(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().casefold()


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a login attempt is counted against (django-axes' AXES_USERNAME_CALLABLE)."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username")
    return normalise_login(raw) if raw else None


def _is_download(response: HttpResponse) -> bool:
    return response.has_header("Content-Disposition")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        # Shared computers and proxies must not keep copies of personal pages or files.
        if (user is not None and user.is_authenticated) or _is_download(response):
            add_never_cache_headers(response)
        return response
