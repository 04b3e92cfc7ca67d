"""The admin lists early starts by programme, state and date and finds them by file number; it
shows each one with its recorded steps, and nothing of it can be changed there: consent and
refusal go through the case file's service, which checks and records them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationState, EarlyStart
from grants.services.early_start import early_start_decide, early_start_request
from tests.factories import advance, draft


@pytest.fixture
def early_start(world):
    app = advance(draft(world), world, ApplicationState.SUBMITTED)
    early_start_request(
        application=app,
        actor=world.owner,
        requested_start=timezone.localdate() + dt.timedelta(days=3),
        reason="Die Räume sind nur im Frühjahr frei.",
    )
    return early_start_decide(
        application=app,
        actor=world.case_worker,
        consent=False,
        note="Kein Grund für Eile erkennbar.",
    )


def test_the_list_answers_with_german_labels_filters_and_search(admin_client, early_start):
    url = reverse("admin:grants_earlystart_changelist")
    page = admin_client.get(url).content.decode()
    assert early_start.application.file_number in page
    for label in ("Förderprogramm", "Status", "Gewünschter Beginn", "Beantragt am"):
        assert label in page
    filtered = admin_client.get(
        url,
        {
            "state": "refused",
            "application__programme__id__exact": early_start.application.programme_id,
        },
    )
    assert filtered.status_code == 200
    assert early_start.application.file_number in filtered.content.decode()
    assert "0 Vorzeitige" in admin_client.get(url, {"state": "consented"}).content.decode()
    found = admin_client.get(url, {"q": early_start.application.file_number})
    assert early_start.application.file_number in found.content.decode()
    missing = admin_client.get(url, {"q": "WIR2-1999-9999"}).content.decode()
    assert "0 Vorzeitige" in missing


def test_the_page_shows_the_decision_and_its_steps_read_only(admin_client, early_start):
    url = reverse("admin:grants_earlystart_change", args=[early_start.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kein Grund für Eile erkennbar." in page
    assert 'name="state"' not in page
    assert 'name="allowed_from"' not in page
    assert "Antrag" in page and "Entschieden von" in page


def test_the_state_cannot_be_changed_by_posting(admin_client, early_start, world):
    url = reverse("admin:grants_earlystart_change", args=[early_start.pk])
    admin_client.post(
        url,
        {
            "state": EarlyStart.State.CONSENTED,
            "allowed_from": "2026-01-01",
            "decision_note": "Doch zugestimmt.",
        },
    )
    early_start.refresh_from_db()
    assert early_start.state == EarlyStart.State.REFUSED
    assert early_start.allowed_from is None
    assert early_start.decision_note == "Kein Grund für Eile erkennbar."
    assert early_start.status_changes.count() == 2


def test_early_starts_cannot_be_added_or_deleted_in_the_admin(admin_client, early_start):
    assert admin_client.get(reverse("admin:grants_earlystart_add")).status_code == 403
    delete = reverse("admin:grants_earlystart_delete", args=[early_start.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert EarlyStart.objects.filter(pk=early_start.pk).exists()
