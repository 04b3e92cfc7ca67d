"""The recipient's proof of use: a draft that flags deviations, receipts, submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from grants.models import (
    ApplicationState,
)
from tests.factories import advance

S = ApplicationState


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
