"""Racing payouts on PostgreSQL: the fiscal year's share holds against calls for funds at the
same moment, and a bank change racing the export never lets an unchecked account through."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import timezone

from applicants.services import applicant_update
from grants.errors import ActionRefused
from grants.models import ApplicationState, Payout
from grants.services.payouts import payout_certify, payout_order, payout_plan, payout_request
from reporting.models import ExportBatchItem
from reporting.services import payout_orders_export
from tests.budgets.test_concurrency import race
from tests.factories import advance, build_world, draft
from tests.payouts.test_commitment_by_year import granted_over_two_years

S = ApplicationState
RACERS = 10

needs_row_locks = pytest.mark.skipif(
    not connection.features.has_select_for_update,
    reason="thread races need row locks; CI runs this file on PostgreSQL",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_racing_calls_for_funds_never_pay_a_year_more_than_its_share():
    world = build_world()
    app = granted_over_two_years(world, first="3000", second="5000")
    today = timezone.localdate()

    results = race(
        [
            lambda: payout_request(
                application=app, actor=world.owner, amount=D("1000"), needed_on=today
            )
            for _ in range(RACERS)
        ]
    )

    won = [r for r in results if isinstance(r, Payout)]
    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert (len(won), len(refused)) == (3, RACERS - 3), results
    assert all("Haushaltsjahr" in str(r.messages[0]) for r in refused)
    assert sum(p.amount for p in app.payouts.filter(fiscal_year=today.year)) == D("3000.00")


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_bank_change_racing_the_export_pays_the_certified_account_or_nothing():
    for _ in range(3):
        world = build_world()
        app = advance(draft(world), world, S.FINAL)
        payout = payout_plan(
            application=app,
            actor=world.case_worker,
            amount=D("1000"),
            due_date=timezone.localdate(),
        )
        payout_certify(payout=payout, actor=world.case_worker)
        payout_order(payout=payout, actor=world.second_case_worker)
        certified_iban = payout.payee_iban

        race(
            [
                lambda w=world: payout_orders_export(actor=w.finance, programme=w.programme),
                lambda w=world: applicant_update(
                    applicant=w.applicant,
                    actor=w.owner,
                    data={"iban": "DE02120300000000202051", "bic": ""},
                ),
            ]
        )

        payout.refresh_from_db()
        exported = ExportBatchItem.objects.filter(payout=payout).exists()
        if exported:
            # The export won: it paid the account two people certified.
            assert (payout.state, payout.payee_iban) == (Payout.State.EXPORTED, certified_iban)
        else:
            # The bank change won: nothing is paid until the new account is certified.
            assert payout.state == Payout.State.RETURNED
