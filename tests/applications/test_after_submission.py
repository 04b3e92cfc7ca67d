"""After submission: answering a request for items, withdrawal, the notice and its waiver, and
the timeline and dashboard the applicant sees."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from grants.models import (
    ApplicationState,
)
from grants.services.applications import application_request_changes
from tests.factories import DECLARATIONS, advance

S = ApplicationState


def test_request_for_items_is_shown_answered_and_resubmitted(client, world, app):
    advance(app, world, to=S.SUBMITTED)
    due = timezone.localdate() + dt.timedelta(days=14)
    application_request_changes(
        application=app, actor=world.case_worker, items=["Satzung fehlt"], due_date=due
    )
    client.force_login(world.owner)

    page = client.get(reverse("portal:detail", args=[app.pk])).content.decode()
    assert "Satzung fehlt" in page
    assert due.strftime("%d.%m.%Y") in page
    assert "Bitte Unterlagen nachreichen" in page

    response = client.post(
        reverse("portal:check", args=[app.pk]), {**DECLARATIONS, "note": "Satzung hochgeladen"}
    )

    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert response["Location"] == reverse("portal:receipt", args=[app.pk])
    assert app.status_changes.last().reason == "Satzung hochgeladen"


def test_withdrawal_needs_reason_and_confirmation(client, world, app):
    advance(app, world, to=S.SUBMITTED)
    client.force_login(world.owner)
    url = reverse("portal:withdraw", args=[app.pk])

    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason", "confirm"}
    app.refresh_from_db()
    assert app.state == S.SUBMITTED

    client.post(url, {"reason": "Projekt findet nicht statt", "confirm": "on"})
    app.refresh_from_db()
    assert app.state == S.WITHDRAWN


def test_waiver_makes_the_notice_final(client, world, app):
    advance(app, world, to=S.APPROVED)
    client.force_login(world.owner)

    page = client.get(reverse("portal:detail", args=[app.pk])).content.decode()
    assert "Ihr Bescheid" in page
    assert "Bescheid annehmen" in page

    client.post(reverse("portal:waive", args=[app.pk]), {})
    app.refresh_from_db()
    assert app.state == S.APPROVED  # no tick, no waiver

    client.post(reverse("portal:waive", args=[app.pk]), {"confirm": "on"})
    app.refresh_from_db()
    assert app.state == S.FINAL


def test_timeline_speaks_plainly_and_hides_internal_steps(client, world, app):
    advance(app, world, to=S.FINAL)
    client.force_login(world.owner)

    page = client.get(reverse("portal:detail", args=[app.pk])).content.decode()

    assert f"Er hat das Aktenzeichen {app.file_number}" in page
    assert "Ihr Antrag ist bewilligt: 8.000,00 €" in page
    assert "bestandskräftig" in page
    assert "propose" not in page
    assert "Bewilligt – Mittel können abgerufen werden" in page
    assert "Mittel abrufen" in page


def test_dashboard_says_what_to_do_next(client, world, app):
    advance(app, world, to=S.APPROVED)
    client.force_login(world.colleague)

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert "Bescheid lesen und annehmen" in page
    assert app.file_number in page
