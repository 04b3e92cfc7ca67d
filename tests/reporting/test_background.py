"""Long exports run as a background task; their page shows progress and then the download."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Payout, StaffRole
from reporting import services
from reporting.models import ExportBatch, ReportRun
from tests.factories import PASSWORD
from tests.reporting.conftest import ordered_payout, running_application


@pytest.fixture
def long_exports(settings):
    settings.REPORTING_BACKGROUND_ROWS = 1


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_long_register_is_queued_then_runs_once(client, world, long_exports):
    running_application(world)
    client = login(client, world.finance)

    response = client.get(
        reverse("reporting:report_download", args=["register"]), {"format": "csv"}
    )

    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reporting:run", args=[run.pk])
    assert (run.state, run.rows_total, run.requested_by) == ("queued", 1, world.finance)
    page = client.get(response["Location"])
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert client.get(reverse("reporting:run_download", args=[run.pk])).status_code == 404

    assert services.report_run_execute(run_id=run.pk) == ReportRun.State.DONE
    assert services.report_run_execute(run_id=run.pk) == "not queued"
    run.refresh_from_db()
    assert (run.state, run.rows_done) == ("done", 1)

    status = client.get(response["Location"], headers={"HX-Request": "true"})
    assert status.status_code == 286  # htmx stops polling
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    content = b"".join(download.streaming_content)
    assert content.startswith(b"\xef\xbb\xbfAktenzeichen;")


def test_long_payout_export_runs_in_the_background(client, world, long_exports, immediate_tasks):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("10.00"))

    response = login(client, world.finance).post(
        reverse("reporting:payouts_export"), {"file_format": "xlsx"}
    )

    run = ReportRun.objects.get()
    assert run.state == ReportRun.State.DONE
    assert run.batch == ExportBatch.objects.get()
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED
    page = client.get(response["Location"]).content.decode()
    assert run.batch.reference in page
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    assert download["Location"] == reverse("reporting:batch_download", args=[run.batch.pk])


def test_a_run_is_only_for_the_one_who_asked(client, world, long_exports):
    running_application(world)
    login(client, world.finance).get(reverse("reporting:report_download", args=["register"]))
    run = ReportRun.objects.get()
    colleague = world.finance.__class__.objects.create_user(
        email="kollegin@example.org", password=PASSWORD
    )
    StaffRole.objects.create(user=colleague, programme=world.programme, role=StaffRole.Role.FINANCE)
    client.logout()
    assert login(client, colleague).get(reverse("reporting:run", args=[run.pk])).status_code == 404
    client.logout()
    assert (
        login(client, world.case_worker).get(reverse("reporting:run", args=[run.pk])).status_code
        == 403
    )


def test_a_run_fails_visibly_when_the_role_ended(world, long_exports):
    run = services.report_run_request(
        actor=world.finance, report="budget", file_format="xlsx", params={}, filter_labels={}
    )
    StaffRole.objects.filter(user=world.finance).delete()
    assert services.report_run_execute(run_id=run.pk) == ReportRun.State.FAILED
    run.refresh_from_db()
    assert "Finanzbuchhaltung" in run.error
    assert not run.file
