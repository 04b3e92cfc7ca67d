"""The routes of django-otp-webauthn under its namespace (its template tags reverse them), with
our views in place of its four ceremonies (applicants.passkeys) and its script's translations."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from applicants import passkeys

app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registrierung/beginn/",
        passkeys.BeginRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registrierung/abschluss/",
        passkeys.CompleteRegistrationView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "bestaetigung/beginn/",
        passkeys.BeginAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "bestaetigung/abschluss/",
        passkeys.CompleteAuthenticationView.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
