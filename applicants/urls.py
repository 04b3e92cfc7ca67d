from django.urls import path

from applicants import views

app_name = "applicants"
urlpatterns = [
    path("registrieren/", views.register, name="register"),
    path("registrieren/gesendet/", views.register_done, name="register_done"),
    path("registrieren/bestaetigen/<str:uidb64>/<str:token>/", views.verify, name="verify"),
    path("registrieren/neuer-link/", views.resend_verification, name="resend"),
    path("passwort-vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort-vergessen/gesendet/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konto/", views.account, name="account"),
    path("konto/passwort/", views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/daten/", views.account_export, name="account_export"),
    path("konto/loeschen/", views.account_delete, name="account_delete"),
    path("profil/", views.profile, name="profile"),
    path("profil/neu/", views.applicant_create, name="applicant_create"),
    path("profil/<int:pk>/", views.applicant_detail, name="applicant"),
    path("profil/<int:pk>/bearbeiten/", views.applicant_edit, name="applicant_edit"),
    path("profil/<int:pk>/dokumente/neu/", views.document_add, name="document_add"),
    path("profil/dokumente/<int:doc_pk>/", views.document_download, name="document"),
    path("profil/dokumente/<int:doc_pk>/loeschen/", views.document_delete, name="document_delete"),
    path("profil/<int:pk>/einladen/", views.invite, name="invite"),
    path(
        "profil/<int:pk>/einladungen/<int:invitation_pk>/zuruecknehmen/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "profil/<int:pk>/mitglieder/<int:membership_pk>/entfernen/",
        views.member_remove,
        name="member_remove",
    ),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
]
