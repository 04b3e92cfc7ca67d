from django.urls import path

from grants.views import casework as views

app_name = "casework"

urlpatterns = [
    path("", views.start, name="start"),
    path("antraege/", views.queue_view, name="queue"),
    path("antraege/<int:pk>/", views.application_file, name="file"),
    path("antraege/<int:pk>/vermerk/", views.add_note, name="note"),
    path("antraege/<int:pk>/budget/", views.budget_preview, name="budget"),
    path("antraege/<int:pk>/schreiben/<int:letter_id>/", views.letter_download, name="letter"),
    path("antraege/<int:pk>/<slug:slug>/", views.step_view, name="step"),
    path("auszahlungen/<int:payout_id>/<slug:slug>/", views.payout_step, name="payout"),
    path("rueckforderungen/<int:claim_id>/erstattung/", views.repayment_view, name="repayment"),
    path("rueckforderungen/<int:claim_id>/zinsen/", views.interest_preview, name="interest"),
    path("sitzungen/", views.meetings, name="meetings"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("sitzungen/<int:pk>/<str:kind>.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("sitzungen/<int:pk>/<slug:slug>/", views.meeting_step, name="meeting_step"),
    path("vorlagen/", views.templates_list, name="templates"),
    path(
        "vorlagen/<int:programme_id>/<slug:kind>/<slug:language>/",
        views.template_edit,
        name="template",
    ),
]
