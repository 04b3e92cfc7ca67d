"""The applicant sees which account each payout is or was paid to (issue 10): in the list on the
application page the IBAN is masked to its last four digits, on the call-for-funds page, where a
member checks the account before calling money, it is shown in full."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.services import applicant_update
from grants.models import ApplicationState
from grants.services.payouts import payout_plan
from tests.factories import advance, draft

OLD_IBAN = "DE89370400440532013000"
NEW_IBAN = "DE02120300000000202051"


@pytest.fixture
def granted(world):
    return advance(draft(world), world, ApplicationState.FINAL)


def _detail(client, user, app) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:detail", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_application_page_shows_each_payouts_account_masked(client, world, granted):
    payout_plan(
        application=granted,
        actor=world.case_worker,
        amount=D("1000"),
        due_date=timezone.localdate(),
    )
    page = _detail(client, world.colleague, granted)
    assert world.applicant.account_holder in page
    assert "DE** **** **** **** **30 00" in page
    assert "IBAN endet auf 3000" in page
    assert "3704" not in page and "0532 0130" not in page


def test_a_paid_payout_keeps_showing_the_account_it_went_to_after_a_bank_change(
    client, world, granted
):
    payout_plan(
        application=granted,
        actor=world.case_worker,
        amount=D("1000"),
        due_date=timezone.localdate(),
    )
    granted.payouts.update(state="paid", paid_on=timezone.localdate())
    applicant_update(
        applicant=world.applicant,
        actor=world.owner,
        data={"iban": NEW_IBAN, "bic": "", "account_holder": "Neues Konto e. V."},
    )
    page = _detail(client, world.owner, granted)
    assert "IBAN endet auf 3000" in page
    assert "IBAN endet auf 2051" not in page
    assert "Neues Konto e. V." not in page


def test_the_call_for_funds_page_shows_the_full_account_it_will_be_paid_to(client, world, granted):
    client.force_login(world.owner)
    page = client.get(reverse("portal:payout", args=[granted.pk])).content.decode()
    assert "DE89 3704 0044 0532 0130 00" in page
    assert world.applicant.account_holder in page


def test_outsiders_see_no_account(client, world, granted):
    client.force_login(world.outsider)
    assert client.get(reverse("portal:detail", args=[granted.pk])).status_code == 404
    assert client.get(reverse("portal:payout", args=[granted.pk])).status_code == 404
