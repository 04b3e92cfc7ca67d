from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from applicants import passkeys, second_factor
from applicants import views as applicant_views
from config import views
from notifications import views as notification_views
from privacy import views as privacy_views

# The admin is a staff page like any other: besides SecondFactorMiddleware, the site itself
# refuses a session without a verified second factor (django-otp's documented switch).
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
    path("datenschutz/", privacy_views.privacy_notice, name="privacy_notice"),
    path("impressum/", privacy_views.imprint, name="imprint"),
    # Login by e-mail, rate-limited, pages in the account's language (applicants.views).
    path("anmelden/", applicant_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    # Second factor for staff (applicants.second_factor); the admin uses the same login.
    path("anmelden/zweiter-faktor/", second_factor.verify, name="second_factor"),
    path("anmelden/zweiter-faktor/einrichten/", second_factor.enrol, name="second_factor_enrol"),
    path(
        "anmelden/wiederherstellungscodes/",
        second_factor.recovery_codes,
        name="second_factor_codes",
    ),
    # Passkeys (applicants.passkeys): the security page, and the library's ceremonies behind
    # our rules for who may take part.
    path("konto/sicherheit/", passkeys.security, name="second_factor_security"),
    path(
        "konto/sicherheit/passkeys/<int:pk>/entfernen/",
        passkeys.passkey_remove,
        name="passkey_remove",
    ),
    path("anmelden/passkey/", include("applicants.passkey_urls", namespace="otp_webauthn")),
    path("admin/login/", applicant_views.admin_login, name="admin_login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("finanzen/", include("reporting.urls")),
    path("sachbearbeitung/", include("grants.urls.casework")),
    # The configured ESP's delivery webhook only (basic auth: WEBHOOK_SECRET), e.g.
    # /anymail/postmark/tracking/; other providers' URLs are 404.
    path("anymail/<slug:esp>/<slug:kind>/", notification_views.mail_webhook, name="mail_webhook"),
    path("benachrichtigungen/", include("notifications.urls")),
    # Applicant portal: accounts and profiles, programmes, applications (German paths).
    path("", include("applicants.urls")),
    path("", include("grants.urls.applicant")),
]
