from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("auszahlungen/", views.payouts, name="payouts"),
    path("auszahlungen/export/", views.payouts_export, name="payouts_export"),
    path("auszahlungen/<int:payout_id>/ausgezahlt/", views.payout_mark_paid, name="payout_paid"),
    path("stapel/", views.batches, name="batches"),
    path("stapel/<int:batch_id>/", views.batch_detail, name="batch"),
    path("stapel/<int:batch_id>/datei/", views.batch_download, name="batch_download"),
    path("stapel/<int:batch_id>/erneut/", views.batch_reexport, name="batch_reexport"),
    path("stapel/<int:batch_id>/ausgezahlt/", views.batch_mark_paid, name="batch_paid"),
    path("berichte/", views.report_list, name="reports"),
    path("berichte/<slug:name>/", views.report_download, name="report_download"),
    path("auftraege/<int:run_id>/", views.run_detail, name="run"),
    path("auftraege/<int:run_id>/datei/", views.run_download, name="run_download"),
]
