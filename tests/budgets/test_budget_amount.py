"""A budget cannot be lowered below what approvals have bound: refused with a German message on
the model and in the admin form (before, the database refused the row and the admin answered
500), and allowed down to exactly the committed amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applicants.models import User
from core.formatting import eur
from grants.models import ApplicationState, Budget
from tests.factories import advance, draft

D = Decimal


@pytest.fixture
def committed(world):
    advance(draft(world), world, ApplicationState.APPROVED)
    # The approval binds 8,000 € (split over two years when the period crosses New Year).
    budget = Budget.objects.filter(programme=world.programme).order_by("-committed").first()
    assert budget.committed > 0
    return budget


def test_the_model_refuses_an_amount_below_the_committed(committed):
    bound = committed.committed
    committed.amount = bound - D("0.01")
    with pytest.raises(ValidationError) as refused:
        committed.full_clean()
    assert refused.value.message_dict["amount"] == [
        "Der Ansatz kann nicht unter den bereits gebundenen Betrag gesenkt werden: gebunden "
        f"sind {eur(bound)}, eingegeben wurden {eur(bound - D('0.01'))}. Geben Sie zuerst "
        "Mittel frei (Minderung oder Widerruf) oder wählen Sie einen Ansatz von mindestens "
        f"{eur(bound)}."
    ]
    committed.amount = bound
    committed.full_clean()


def test_the_clean_reads_the_committed_amount_afresh(committed):
    stale = Budget.objects.get(pk=committed.pk)
    stale.committed = D("0.00")  # a copy loaded before the approval
    stale.amount = D("100.00")
    with pytest.raises(ValidationError):
        stale.full_clean()


def _post(client, budget, amount):
    client.force_login(User.objects.create_superuser("root@example.org", "x"))
    url = reverse("admin:grants_budget_change", args=[budget.pk])
    entries = budget.entries.count()
    return client.post(
        url,
        {
            "programme": budget.programme_id,
            "fiscal_year": budget.fiscal_year,
            "funding_area": "",
            "amount": amount,
            "note": "",
            "entries-TOTAL_FORMS": entries,
            "entries-INITIAL_FORMS": entries,
            "entries-MIN_NUM_FORMS": 0,
            "entries-MAX_NUM_FORMS": 1000,
        },
    )


def test_the_admin_refuses_lowering_below_the_committed_with_a_message(client, committed):
    response = _post(client, committed, str(committed.committed - D("1.00")))
    assert response.status_code == 200
    assert "nicht unter den bereits gebundenen Betrag gesenkt werden" in response.content.decode()
    committed.refresh_from_db()
    assert committed.amount == D("250000.00")


def test_the_admin_lowers_a_budget_to_the_committed_amount(client, committed):
    response = _post(client, committed, str(committed.committed))
    assert response.status_code == 302
    committed.refresh_from_db()
    assert committed.amount == committed.committed
    assert committed.available == D("0.00")
