"""Second factor for staff (django-otp): TOTP app plus one-time recovery codes, and passkeys
(applicants.passkeys) for those who added one.

Everyone who works inside the authority (case work, finance, admin) logs in with password and
then a code. Until the code is given, the session reaches only the pages of this module and
the logout: not case work, not finance, not the admin, not even the portal. The first login
enrols the authenticator app and hands out the recovery codes once.

The same middleware ends staff sessions after ``STAFF_SESSION_IDLE_SECONDS`` without a request
and ``STAFF_SESSION_MAX_SECONDS`` after the login.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from applicants.models import User
from config.security import safe_next
from core.types import AuthenticatedHttpRequest
from grants.models import staff_roles

APP_DEVICE_NAME = "Authenticator-App"
RECOVERY_DEVICE_NAME = "Wiederherstellungscodes"
_STARTED = "staff_session_started"
_SEEN = "staff_session_seen"
_NEW_CODES = "second_factor_new_codes"
# The idle clock is written at most once a minute, not on every request.
_SEEN_RESOLUTION = 60


def needs_second_factor(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # The request's user keeps its roles (grants.permissions.StaffRolesMiddleware): the page's
    # own permission checks then ask the database no second time.
    return bool(staff_roles(user))


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _open_paths() -> set[str]:
    return {
        reverse("second_factor"),
        reverse("second_factor_enrol"),
        reverse("second_factor_codes"),
        reverse("logout"),
        reverse("set_language"),
        # The second factor by passkey (applicants.passkeys); adding one is not open.
        reverse("otp_webauthn:credential-authentication-begin"),
        reverse("otp_webauthn:credential-authentication-complete"),
        reverse("otp_webauthn:js-i18n-catalog"),
    }


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        if not needs_second_factor(user):
            return self.get_response(request)
        expired = self._session_expired(request)
        if expired is not None:
            return expired
        if user.is_verified() or request.path_info.startswith(f"/{settings.STATIC_URL}"):
            return self.get_response(request)
        if request.path_info in _open_paths():
            return self.get_response(request)
        step = "second_factor" if django_otp.user_has_device(user) else "second_factor_enrol"
        return redirect(_with_next(step, request.get_full_path()))

    @staticmethod
    def _session_expired(request: AuthenticatedHttpRequest) -> HttpResponse | None:
        now = time.time()
        session = request.session
        if _STARTED not in session or _SEEN not in session:
            # A session from before these clocks existed starts them now.
            _start_clocks(session, now)
        started, seen = session[_STARTED], session[_SEEN]
        if (
            now - seen > settings.STAFF_SESSION_IDLE_SECONDS
            or now - started > settings.STAFF_SESSION_MAX_SECONDS
        ):
            logout(request)
            messages.info(request, _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an."))
            return redirect(_with_next("login", request.get_full_path()))
        if now - seen >= _SEEN_RESOLUTION:
            session[_SEEN] = now
            session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return None


def _start_clocks(session, now: float) -> None:
    session[_STARTED] = session[_SEEN] = now


def start_staff_session(sender: type, request: HttpRequest, user: User, **kwargs) -> None:
    """Starts the idle and maximum clocks with the login (user_logged_in), so that requests
    write the session only when the idle clock moves on."""
    if request is not None and hasattr(request, "session") and needs_second_factor(user):
        _start_clocks(request.session, time.time())


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "Der sechsstellige Code aus Ihrer Authenticator-App oder einer Ihrer Wiederherstellungscodes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


def _verified_device(user: User, token: str):
    # Each device checks its own token with django-otp's throttling (growing delays after
    # failures), the app first; a recovery code is used up when it matches.
    for device in django_otp.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request, reverse("home"))
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    if not django_otp.user_has_device(user):
        return redirect(_with_next("second_factor_enrol", next_url))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = _verified_device(user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "Sie haben einen Wiederherstellungscode verbraucht; es bleiben %(left)s. Legen Sie bei Bedarf neue an."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
        form.add_error("token", _("Der Code stimmt nicht oder ist abgelaufen."))
    return render(
        request,
        "registration/second_factor.html",
        {
            "form": form,
            "next": next_url,
            "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
        },
    )


def _app_device(user: User) -> TOTPDevice:
    # One pending device per person: reloading the page keeps the QR code the app scanned.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request, reverse("home"))
    if not needs_second_factor(user):
        return redirect(next_url)
    if django_otp.user_has_device(user):
        # Replacing a factor is an admin's act; a password alone must not swap the app.
        return redirect(_with_next("second_factor", next_url))
    device = _app_device(user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                request.session[_NEW_CODES] = _new_recovery_codes(user)
                django_otp.login(request, device)
                return redirect(_with_next("second_factor_codes", next_url))
        form.add_error(
            "token",
            _("Der Code stimmt nicht. Prüfen Sie die Uhrzeit Ihres Geräts und den Eintrag."),
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR-Code")
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": qr_svg,
            "secret": _grouped(device.config_url),
        },
    )


def _grouped(config_url: str) -> str:
    secret = config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Shows a fresh set of codes once: after enrolment, or on request of a verified person."""
    user = request.user
    next_url = safe_next(request, reverse("home"))
    if not needs_second_factor(user) or not user.is_verified():
        return redirect(next_url)
    if request.method == "POST":
        request.session[_NEW_CODES] = _new_recovery_codes(user)
        return HttpResponseRedirect(_with_next("second_factor_codes", next_url))
    codes = request.session.pop(_NEW_CODES, None)
    return render(
        request,
        "registration/second_factor_codes.html",
        {"codes": codes, "next": next_url},
    )
