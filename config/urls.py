from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from config.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
    path(
        "anmelden/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("finanzen/", include("reporting.urls")),
    path("sachbearbeitung/", include("grants.urls.casework")),
    # ESP delivery webhooks (basic auth: WEBHOOK_SECRET), e.g. /anymail/postmark/tracking/
    path("anymail/", include("anymail.urls")),
    path("benachrichtigungen/", include("notifications.urls")),
]
