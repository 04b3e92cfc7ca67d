"""After submission: answering a request for items, withdrawal, the notice and its waiver,
calls for funds under the two-month rule, the proof of use, and the timeline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationState, Payout
from grants.services.applications import application_request_changes
from tests.factories import advance, draft

S = ApplicationState


@pytest.fixture
def app(world):
    application = draft(world)
    application.target_groups.set(world.programme.target_groups.all())
    application.fields_of_action.set(world.programme.fields_of_action.all())
    application.areas.set(world.programme.areas.all())
    return application


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

    response = client.post(reverse("portal:check", args=[app.pk]), {"note": "Satzung hochgeladen"})

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


def test_call_for_funds_within_two_months(client, world, app):
    advance(app, world, to=S.FINAL)
    client.force_login(world.owner)
    url = reverse("portal:payout", args=[app.pk])
    today = timezone.localdate()

    too_late = client.post(
        url, {"amount": "1.000,00", "needed_on": (today + dt.timedelta(days=90)).isoformat()}
    )
    assert "nächsten 2 Monate" in " ".join(too_late.context["form"].errors["needed_on"])
    too_much = client.post(
        url, {"amount": "9.000,00", "needed_on": (today + dt.timedelta(days=10)).isoformat()}
    )
    assert "höchstens noch 8.000,00 €" in too_much.content.decode()
    assert not app.payouts.exists()

    client.post(
        url, {"amount": "3.000,00", "needed_on": (today + dt.timedelta(days=10)).isoformat()}
    )
    payout = app.payouts.get()
    assert payout.amount == Decimal("3000.00")
    assert payout.state == Payout.State.REQUESTED
    assert payout.requested_by == world.owner


def test_call_for_funds_before_final_is_refused(client, world, app):
    advance(app, world, to=S.APPROVED)
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:payout", args=[app.pk]),
        {"amount": "100", "needed_on": timezone.localdate().isoformat()},
    )

    assert "bestandskräftig" in response.content.decode()
    assert not app.payouts.exists()


def test_proof_of_use_draft_flags_deviations_and_submits(client, world, app):
    advance(app, world, to=S.PROOF_DUE)
    client.force_login(world.owner)
    url = reverse("portal:proof", args=[app.pk])
    line = app.cost_lines.get()
    own = app.financing_lines.get(category__kind="own_funds")

    response = client.post(
        url,
        {
            "report": "Zwanzig Treffen.",
            f"cost_{line.pk}": "13.000,00",
            f"financing_{own.pk}": "2.000,00",
            "action": "save",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.actual_amount == Decimal("13000.00")
    page = client.get(url).content.decode()
    assert "30,0 %" in page
    assert "bitte erklären" in page

    receipt = client.post(
        reverse("portal:proof_receipt_add", args=[app.pk]),
        {
            "cost_line": line.pk,
            "date": timezone.localdate().isoformat(),
            "payee": "Kursleiterin",
            "description": "Honorar",
            "amount": "500,00",
        },
    )
    assert receipt.status_code == 302
    assert app.receipts.get().number == 1

    client.post(
        url,
        {
            "report": "Zwanzig Treffen.",
            f"cost_{line.pk}": "10.000,00",
            f"financing_{own.pk}": "2.000,00",
            "action": "submit",
        },
    )
    app.refresh_from_db()
    assert app.state == S.PROOF_SUBMITTED
    assert app.proof_report == "Zwanzig Treffen."


def test_proof_without_report_is_refused(client, world, app):
    advance(app, world, to=S.PROOF_DUE)
    client.force_login(world.owner)
    line = app.cost_lines.get()

    response = client.post(
        reverse("portal:proof", args=[app.pk]),
        {"report": "", f"cost_{line.pk}": "-5", "action": "submit"},
    )

    assert response.status_code == 200
    app.refresh_from_db()
    assert app.state == S.PROOF_DUE


def test_receipt_in_the_future_is_refused(client, world, app):
    advance(app, world, to=S.PROOF_DUE)
    client.force_login(world.owner)

    client.post(
        reverse("portal:proof_receipt_add", args=[app.pk]),
        {
            "cost_line": app.cost_lines.get().pk,
            "date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "payee": "X",
            "description": "Y",
            "amount": "10",
        },
    )

    assert not app.receipts.exists()


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
