"""Finance forms: errors in a summary on the page as sent, years typed as four digits, and
exports that say while they run and when the file is ready (issue 13, items 9 and 12)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ExportBatch, ReportRun
from tests.factories import PASSWORD
from tests.reporting.conftest import ordered_payout, running_application


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_an_export_with_a_wrong_year_answers_with_a_summary_and_exports_nothing(client, world):
    app = running_application(world)
    ordered_payout(app, world, Decimal("100.00"))

    response = login(client, world.finance).post(
        reverse("reporting:payouts_export"), {"fiscal_year": "2.026", "file_format": "xlsx"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'href="#id_fiscal_year"' in page
    assert "Bitte geben Sie ein Jahr mit vier Ziffern an" in page
    assert 'value="2.026"' in page
    assert not ExportBatch.objects.exists()


def test_a_reexport_without_reason_answers_with_a_summary(client, world):
    app = running_application(world)
    ordered_payout(app, world, Decimal("100.00"))
    batch = services.payout_orders_export(actor=world.finance)

    response = login(client, world.finance).post(
        reverse("reporting:batch_reexport", args=[batch.pk]), {"reason": "", "file_format": "csv"}
    )

    assert response.status_code == 422
    assert 'href="#id_reason"' in response.content.decode()
    assert ExportBatch.objects.count() == 1


def test_years_are_text_boxes_for_four_digits(client, world):
    page = login(client, world.finance).get(reverse("reporting:reports")).content.decode()

    years = re.findall(r'<input[^>]*name="year"[^>]*>', page)
    assert len(years) == 3
    for year in years:
        assert 'type="text"' in year
        assert 'inputmode="numeric"' in year
    assert 'type="number"' not in page


def test_report_forms_say_while_the_file_is_made_and_when_it_is_ready(client, world):
    page = login(client, world.finance).get(reverse("reporting:reports")).content.decode()

    forms = re.findall(r"<form[^>]*>", page)
    downloads = [form for form in forms if "data-download" in form]
    assert len(downloads) == 3
    for form in downloads:
        assert 'data-busy="Die Datei wird erstellt …"' in form
        assert "data-ready=" in form
    assert page.count('role="status" data-busy-status') == 3
    assert "js/staff" in page


@pytest.fixture
def long_exports(settings):
    settings.REPORTING_BACKGROUND_ROWS = 1


def test_a_finished_background_run_offers_its_file_for_download(client, world, long_exports):
    running_application(world)
    login(client, world.finance).get(reverse("reporting:report_download", args=["register"]))
    run = ReportRun.objects.get()
    waiting = client.get(reverse("reporting:run", args=[run.pk])).content.decode()
    assert "data-download-ready" not in waiting

    ReportRun.objects.filter(pk=run.pk).update(state=ReportRun.State.DONE, rows_done=1)
    polled = client.get(reverse("reporting:run", args=[run.pk]), HTTP_HX_REQUEST="true")

    assert "data-download-ready" in polled.content.decode()
    assert "Die Datei ist fertig" in polled.content.decode()
