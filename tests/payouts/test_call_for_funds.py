"""Calls for funds by the recipient under the two-month rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from grants.models import (
    ApplicationState,
    Payout,
)
from tests.factories import advance

S = ApplicationState


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
