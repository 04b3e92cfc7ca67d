from django.urls import path

from grants.views import applicant as views

app_name = "portal"
urlpatterns = [
    path("foerderprogramme/", views.programmes, name="programmes"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("antraege/", views.dashboard, name="dashboard"),
    path("antraege/neu/<int:call_pk>/", views.start, name="start"),
    path("antraege/<int:pk>/", views.detail, name="detail"),
    path("antraege/<int:pk>/projekt/", views.project, name="project"),
    path("antraege/<int:pk>/zielgruppen/", views.classification, name="classification"),
    path("antraege/<int:pk>/finanzplan/", views.plan, name="plan"),
    path("antraege/<int:pk>/finanzplan/summen/", views.plan_summary, name="plan_summary"),
    path("antraege/<int:pk>/anlagen/", views.attachments, name="attachments"),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/loeschen/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("antraege/<int:pk>/bescheide/<int:letter_pk>/", views.letter_download, name="letter"),
    path("antraege/<int:pk>/pruefen/", views.check, name="check"),
    path("antraege/<int:pk>/eingegangen/", views.receipt, name="receipt"),
    path("antraege/<int:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("antraege/<int:pk>/rechtsbehelfsverzicht/", views.waive, name="waive"),
    path("antraege/<int:pk>/mittelabruf/", views.payout, name="payout"),
    path("antraege/<int:pk>/verwendungsnachweis/", views.proof, name="proof"),
    path(
        "antraege/<int:pk>/verwendungsnachweis/belege/",
        views.proof_receipt_add,
        name="proof_receipt_add",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/belege/<int:receipt_pk>/loeschen/",
        views.proof_receipt_delete,
        name="proof_receipt_delete",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/unterlagen/",
        views.proof_attachment_add,
        name="proof_attachment_add",
    ),
]
