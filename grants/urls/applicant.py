from django.urls import path

from grants.views import documents
from grants.views.applicant import (
    answers,
    autosave,
    correspondence,
    detail,
    early_start,
    eligibility,
    files,
    form,
    overview,
    proof,
)

app_name = "portal"
urlpatterns = [
    path("foerderprogramme/", overview.programmes, name="programmes"),
    path(
        "foerderprogramme/aufrufe/<int:call_pk>/passt-das/",
        eligibility.eligibility,
        name="eligibility",
    ),
    path("leichte-sprache/", overview.easy_language, name="easy_language"),
    path("antraege/", overview.dashboard, name="dashboard"),
    path("antraege/neu/<int:call_pk>/", form.start, name="start"),
    path("antraege/<int:pk>/", detail.detail, name="detail"),
    path("antraege/<int:pk>/projekt/", form.project, name="project"),
    path(
        "antraege/<int:pk>/projekt/automatisch/",
        autosave.project_autosave,
        name="project_autosave",
    ),
    path("antraege/<int:pk>/zielgruppen/", form.classification, name="classification"),
    path(
        "antraege/<int:pk>/zielgruppen/automatisch/",
        autosave.classification_autosave,
        name="classification_autosave",
    ),
    path("antraege/<int:pk>/finanzplan/", form.plan, name="plan"),
    path(
        "antraege/<int:pk>/finanzplan/automatisch/",
        autosave.plan_autosave,
        name="plan_autosave",
    ),
    path("antraege/<int:pk>/finanzplan/summen/", form.plan_summary, name="plan_summary"),
    path("antraege/<int:pk>/anlagen/", files.attachments, name="attachments"),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/",
        files.attachment_download,
        name="attachment",
    ),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/loeschen/",
        files.attachment_delete,
        name="attachment_delete",
    ),
    # Every file of the case (attachments, standard documents, message attachments), for the
    # applicant's members and the programme's staff: grants/views/documents.py.
    path(
        "antraege/<int:pk>/dokumente/<str:kind>/<int:document_pk>/",
        documents.document_open,
        name="document",
    ),
    path("antraege/<int:pk>/nachrichten/", correspondence.message_post, name="messages"),
    path(
        "antraege/<int:pk>/nachforderung/<int:item_pk>/",
        correspondence.request_item_answer_view,
        name="request_item_answer",
    ),
    path("antraege/<int:pk>/bescheide/<int:letter_pk>/", files.letter_download, name="letter"),
    path("antraege/<int:pk>/pruefen/", form.check, name="check"),
    path("antraege/<int:pk>/eingegangen/", form.receipt, name="receipt"),
    path("antraege/<int:pk>/antrag/", answers.answers, name="answers"),
    path(
        "antraege/<int:pk>/fassungen/<int:number>/",
        answers.submission_download,
        name="submission_pdf",
    ),
    path("antraege/<int:pk>/zurueckziehen/", detail.withdraw, name="withdraw"),
    path("antraege/<int:pk>/rechtsbehelfsverzicht/", detail.waive, name="waive"),
    path("antraege/<int:pk>/mittelabruf/", detail.payout, name="payout"),
    path("antraege/<int:pk>/aenderung/", detail.change_request, name="change_request"),
    path("antraege/<int:pk>/vorzeitiger-beginn/", early_start.early_start, name="early_start"),
    path("antraege/<int:pk>/verwendungsnachweis/", proof.proof, name="proof"),
    path(
        "antraege/<int:pk>/verwendungsnachweis/automatisch/",
        autosave.proof_autosave,
        name="proof_autosave",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/belege/",
        proof.proof_receipt_add,
        name="proof_receipt_add",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/belege/<int:receipt_pk>/loeschen/",
        proof.proof_receipt_delete,
        name="proof_receipt_delete",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/einnahmen/",
        proof.proof_income_add,
        name="proof_income_add",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/einnahmen/<int:income_pk>/loeschen/",
        proof.proof_income_delete,
        name="proof_income_delete",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweis/unterlagen/",
        proof.proof_attachment_add,
        name="proof_attachment_add",
    ),
]
