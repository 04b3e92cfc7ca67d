"""Passkeys (WebAuthn) as a second factor for staff, beside the TOTP app and recovery codes.

django-otp-webauthn does the ceremonies; its credentials are django-otp devices, so a session
verified with a passkey is verified for ``SecondFactorMiddleware``, every ``is_verified()``
check and the admin alike. What is ours: who may take part (staff only, registering and
removing only after the second factor of this session), the name a new passkey gets, and the
page where staff see and remove their passkeys. There is no login by passkey alone
(``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False``): the password comes first, always.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from applicants.models import User
from applicants.second_factor import needs_second_factor
from core.types import AuthenticatedHttpRequest

STAFF_ONLY = gettext_lazy("Passkeys sind ein zweiter Faktor für Mitarbeitende der Verwaltung.")
VERIFY_FIRST = gettext_lazy(
    "Bestätigen Sie die Anmeldung zuerst mit Ihrem zweiten Faktor (Code aus der App oder "
    "Passkey). Erst danach können Sie Passkeys hinzufügen oder entfernen."
)


class PasskeyRefused(OTPWebAuthnApiError):
    status_code = 403
    default_code = "passkey_refused"


def check_may_manage_passkeys(user: User) -> None:
    """Adding or removing a passkey needs the second factor of this session: a password alone
    must not give an attacker a factor of their own, nor take the owner's away."""
    if not needs_second_factor(user):
        raise PasskeyRefused(STAFF_ONLY)
    # OTPMiddleware gives the request's user is_verified(); without it nobody is verified.
    if not getattr(user, "is_verified", lambda: False)():
        raise PasskeyRefused(VERIFY_FIRST)


class PasskeyHelper(WebAuthnHelper):
    """The library's helper (OTP_WEBAUTHN_HELPER_CLASS), naming each new passkey."""

    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        # The browser tells nothing that names the device; the first number not in use tells
        # passkeys apart, the list shows when each was added and last used.
        taken = set(WebAuthnCredential.objects.filter(user=user).values_list("name", flat=True))
        number = 1
        while _("Passkey %(number)s") % {"number": number} in taken:
            number += 1
        credential.name = _("Passkey %(number)s") % {"number": number}
        return credential


class _RegistrationRules:
    def check_can_register(self) -> None:
        check_may_manage_passkeys(self.request.user)  # type: ignore[attr-defined]


@method_decorator(login_required, name="dispatch")
class BeginRegistrationView(_RegistrationRules, webauthn_views.BeginCredentialRegistrationView):
    pass


@method_decorator(login_required, name="dispatch")
class CompleteRegistrationView(
    _RegistrationRules, webauthn_views.CompleteCredentialRegistrationView
):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        response = super().post(*args, **kwargs)
        # Shown on the security page, which the page's script reloads to list the new passkey.
        messages.success(self.request, _("Der Passkey ist hinzugefügt."))
        return response


class _AuthenticationRules:
    def check_can_authenticate(self) -> None:
        # Behind login_required: the password came first. Applicants have no second factor.
        if not needs_second_factor(self.request.user):  # type: ignore[attr-defined]
            raise PasskeyRefused(STAFF_ONLY)


@method_decorator(login_required, name="dispatch")
class BeginAuthenticationView(
    _AuthenticationRules, webauthn_views.BeginCredentialAuthenticationView
):
    pass


@method_decorator(login_required, name="dispatch")
class CompleteAuthenticationView(
    _AuthenticationRules, webauthn_views.CompleteCredentialAuthenticationView
):
    pass


def _passkeys_of(request: AuthenticatedHttpRequest):
    """The access helper of the pages below: staff with the second factor of this session see
    their own passkeys; anyone else's are not there (404)."""
    try:
        check_may_manage_passkeys(request.user)
    except PasskeyRefused as refusal:
        if not needs_second_factor(request.user):
            raise Http404 from refusal
        raise PermissionDenied(str(refusal)) from refusal
    return WebAuthnCredential.objects.filter(user=request.user)


@login_required
@require_http_methods(["GET"])
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    passkeys = _passkeys_of(request).order_by("created_at", "pk")
    recovery = StaticDevice.objects.filter(user=request.user).first()
    return render(
        request,
        "registration/security.html",
        {
            "passkeys": passkeys,
            "recovery_codes_left": recovery.token_set.count() if recovery else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    passkey = get_object_or_404(_passkeys_of(request), pk=pk)
    if request.method == "POST":
        passkey.delete()
        messages.success(
            request, _("Der Passkey „%(name)s“ ist entfernt.") % {"name": passkey.name}
        )
        return redirect("second_factor_security")
    return render(
        request,
        "registration/passkey_remove.html",
        {
            "passkey": passkey,
            # Removing the passkey this session was verified with asks for a factor again.
            "used_for_this_session": request.session.get(DEVICE_ID_SESSION_KEY)
            == passkey.persistent_id,
        },
    )
