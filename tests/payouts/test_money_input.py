"""Case workers type amounts as everyone else does: in the notation of the page's language."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from grants.models import Application, ApplicationState, Payout
from grants.services.base import application_seen
from tests.factories import advance, draft

S = ApplicationState


def _plan_payout(client, app, amount: str):
    return client.post(
        f"/sachbearbeitung/antraege/{app.pk}/auszahlung/",
        {
            "seen": application_seen(Application.objects.get(pk=app.pk)),
            "amount": amount,
            "due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
            "kind": Payout.Kind.INSTALMENT,
        },
    )


def test_the_payout_amount_is_a_text_box_with_the_decimal_keypad(client, world):
    app = advance(draft(world), world, S.FINAL)
    client.force_login(world.case_worker)

    html = client.get(f"/sachbearbeitung/antraege/{app.pk}/auszahlung/").content.decode()

    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html


def test_a_german_amount_plans_the_payout(client, world):
    app = advance(draft(world), world, S.FINAL)
    client.force_login(world.case_worker)

    response = _plan_payout(client, app, "1.500,50")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Payout.objects.get(application=app).amount == Decimal("1500.50")


def test_an_ambiguous_amount_on_a_german_page_is_refused_and_plans_nothing(client, world):
    app = advance(draft(world), world, S.FINAL)
    client.force_login(world.case_worker)

    response = _plan_payout(client, app, "1500.50")

    assert response.status_code == 422
    assert "Betrag in Euro an, zum Beispiel 1.250,00" in response.content.decode()
    assert not Payout.objects.filter(application=app).exists()


def test_an_english_page_reads_english_notation(client, world):
    app = advance(draft(world), world, S.FINAL)
    client.force_login(world.case_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = _plan_payout(client, app, "1,500.50")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Payout.objects.get(application=app).amount == Decimal("1500.50")


def test_the_budget_preview_reads_the_form_in_german_notation(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)
    start = timezone.localdate()

    html = client.get(
        f"/sachbearbeitung/antraege/{app.pk}/budget/",
        {"amount": "12.345,67", "funding_start": start.isoformat()},
    ).content.decode()

    assert "12.345,67 €" in html
