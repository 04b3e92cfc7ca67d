from django.urls import path

from grants.views.casework import (
    answers,
    correspondence,
    file,
    letters,
    meetings,
    payouts,
    proof,
    queue,
)

app_name = "casework"

urlpatterns = [
    path("", queue.start, name="start"),
    path("antraege/", queue.queue_view, name="queue"),
    path("antraege/filter/", queue.saved_filter_save, name="filter_save"),
    path(
        "antraege/filter/<int:filter_id>/loeschen/", queue.saved_filter_remove, name="filter_delete"
    ),
    path("antraege/<int:pk>/mir-zuweisen/", queue.assign_to_me, name="assign_me"),
    path("antraege/<int:pk>/", file.application_file, name="file"),
    path("antraege/<int:pk>/vermerk/", file.add_note, name="note"),
    path("antraege/<int:pk>/budget/", file.budget_preview, name="budget"),
    # Before the step route, whose slug would take "nachrichten".
    path("antraege/<int:pk>/nachrichten/", correspondence.message_post, name="messages"),
    path("antraege/<int:pk>/belegliste.xlsx", proof.receipts_xlsx, name="receipts_xlsx"),
    path("antraege/<int:pk>/schreiben/<int:letter_id>/", letters.letter_download, name="letter"),
    path("antraege/<int:pk>/schreiben/", letters.letters_fragment, name="letters"),
    # Before the steps' route, which would take "antrag" for a step's slug.
    path("antraege/<int:pk>/antrag/", answers.answers, name="answers"),
    path(
        "antraege/<int:pk>/fassungen/<int:number>/",
        answers.submission_download,
        name="submission_pdf",
    ),
    path("antraege/<int:pk>/<slug:slug>/", file.step_view, name="step"),
    path("auszahlungen/<int:payout_id>/<slug:slug>/", payouts.payout_step, name="payout"),
    path("rueckforderungen/<int:claim_id>/erstattung/", payouts.repayment_view, name="repayment"),
    path("rueckforderungen/<int:claim_id>/zinsen/", payouts.interest_preview, name="interest"),
    path("sitzungen/", meetings.meetings, name="meetings"),
    path("sitzungen/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("sitzungen/<int:pk>/<str:kind>.pdf", meetings.meeting_pdf, name="meeting_pdf"),
    path("sitzungen/<int:pk>/<slug:slug>/", meetings.meeting_step, name="meeting_step"),
    path("vorlagen/", letters.templates_list, name="templates"),
    path(
        "vorlagen/<int:programme_id>/<slug:kind>/<slug:language>/",
        letters.template_edit,
        name="template",
    ),
]
