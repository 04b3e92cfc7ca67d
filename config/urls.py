from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from applicants import views as applicant_views
from config import views
from privacy import views as privacy_views

urlpatterns = [
    path("", views.home, name="home"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
    path("datenschutz/", privacy_views.privacy_notice, name="privacy_notice"),
    path("impressum/", privacy_views.imprint, name="imprint"),
    # Login by e-mail, rate-limited, pages in the account's language (applicants.views).
    path("anmelden/", applicant_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("finanzen/", include("reporting.urls")),
    path("sachbearbeitung/", include("grants.urls.casework")),
    # ESP delivery webhooks (basic auth: WEBHOOK_SECRET), e.g. /anymail/postmark/tracking/
    path("anymail/", include("anymail.urls")),
    path("benachrichtigungen/", include("notifications.urls")),
    # Applicant portal: accounts and profiles, programmes, applications (German paths).
    path("", include("applicants.urls")),
    path("", include("grants.urls.applicant")),
]
