"""The payout forms inside a table (cancel in the case file, mark paid on the batch page) answer
bad input as every other staff form does: the page again with status 422, a summary at the top
linking to the row's field (focused by the page's script), the input as typed, nothing changed
(issue 13)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Payout, StatusChange
from grants.services.payouts import payout_certify, payout_plan
from reporting import services
from tests.reporting.conftest import ordered_payout, running_application


def _summary(page: str) -> str:
    match = re.search(r"<div[^>]*data-error-summary.*?</ul>", page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


@pytest.fixture
def planned(world):
    app = running_application(world)
    return payout_plan(
        application=app,
        actor=world.case_worker,
        amount=Decimal("100.00"),
        due_date=timezone.localdate(),
    )


def test_a_cancel_without_reason_shows_the_file_with_a_summary(client, world, planned):
    client.force_login(world.case_worker)

    response = client.post(
        reverse("casework:payout", args=[planned.pk, "stornieren"]), {"reason": "   "}
    )

    assert response.status_code == 422
    page = response.content.decode()
    field = f"stornieren-{planned.pk}-reason"
    assert f'href="#{field}"' in _summary(page)
    assert "Bitte geben Sie den Grund der Stornierung an." in _summary(page)
    assert f'id="{field}"' in page
    assert "Haushaltsjahr 2.0" not in page  # a year, not a number with a thousands dot
    assert f'aria-describedby="{field}_error"' in page
    planned.refresh_from_db()
    assert planned.state == Payout.State.PLANNED
    assert not StatusChange.objects.filter(payout=planned, transition="cancel").exists()


def test_a_cancel_with_reason_goes_back_to_the_payouts(client, world, planned):
    client.force_login(world.case_worker)

    response = client.post(
        reverse("casework:payout", args=[planned.pk, "stornieren"]),
        {"reason": "Doppelt geplant"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#auszahlungen")
    planned.refresh_from_db()
    assert planned.state == Payout.State.CANCELLED


def test_ordering_ones_own_certification_is_said_in_the_summary(client, world, planned):
    payout_certify(payout=planned, actor=world.case_worker)
    client.force_login(world.case_worker)

    response = client.post(reverse("casework:payout", args=[planned.pk, "anordnen"]), {})

    assert response.status_code == 403
    assert "Vier-Augen-Prinzip" in _summary(response.content.decode())
    planned.refresh_from_db()
    assert planned.state == Payout.State.CERTIFIED


@pytest.fixture
def exported(world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    batch = services.payout_orders_export(actor=world.finance)
    payout.refresh_from_db()
    return payout, batch


def test_a_paid_date_in_the_future_shows_the_batch_with_a_summary(client, world, exported):
    payout, batch = exported
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(world.finance)

    response = client.post(
        reverse("reporting:payout_paid", args=[payout.pk]),
        {"paid_on": tomorrow, "batch": batch.pk},
    )

    assert response.status_code == 422
    page = response.content.decode()
    field = f"ausgezahlt-{payout.pk}-paid_on"
    assert f'href="#{field}"' in _summary(page)
    assert "Das Zahlungsdatum darf nicht in der Zukunft liegen." in _summary(page)
    assert re.search(rf'<input[^>]*id="{field}"[^>]*>', page).group(0).count(tomorrow) == 1
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED


def test_a_paid_date_without_batch_finds_the_payouts_batch(client, world, exported):
    payout, batch = exported
    client.force_login(world.finance)

    response = client.post(reverse("reporting:payout_paid", args=[payout.pk]), {"paid_on": ""})

    assert response.status_code == 422
    assert batch.reference in response.content.decode()
    assert f'href="#ausgezahlt-{payout.pk}-paid_on"' in _summary(response.content.decode())


def test_a_batch_paid_in_the_future_keeps_the_batch_open_with_a_summary(client, world, exported):
    payout, batch = exported
    client.force_login(world.finance)

    response = client.post(
        reverse("reporting:batch_paid", args=[batch.pk]), {"paid_on": "31.02.2026"}
    )

    assert response.status_code == 422
    assert 'href="#id_paid_on"' in _summary(response.content.decode())
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED


def test_a_payout_paid_twice_is_refused_in_the_summary(client, world, exported):
    payout, batch = exported
    client.force_login(world.finance)
    today = timezone.localdate().isoformat()
    url = reverse("reporting:payout_paid", args=[payout.pk])
    assert client.post(url, {"paid_on": today, "batch": batch.pk}).status_code == 302

    response = client.post(url, {"paid_on": today, "batch": batch.pk})

    assert response.status_code == 422
    _summary(response.content.decode())
    assert StatusChange.objects.filter(payout=payout, transition="mark_paid").count() == 1
