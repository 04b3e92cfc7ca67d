from decimal import Decimal

import pytest
from django.utils import timezone

from grants.errors import RuleViolated
from grants.models import (
    ApplicationState,
    Budget,
    BudgetEntry,
    CostLine,
    FinancingKind,
    FinancingType,
    RepaymentClaim,
)
from grants.selectors.proof import justified_grant
from grants.services.budgets import committed_for
from grants.services.decisions import application_revoke
from grants.services.payouts import payout_request
from grants.services.proof import (
    application_close,
    application_request_proof_changes,
    application_submit_proof,
    proof_check_create,
    repayment_claim_create,
    repayment_claim_settle,
)
from tests.factories import advance, draft, pay

S = ApplicationState
D = Decimal


@pytest.mark.parametrize(
    ("financing_type", "actual_costs", "actual_other", "expected"),
    [
        # Fehlbedarf: approved 8,000 of 10,000 costs, 2,000 own funds.
        # Costs fall to 9,000, own funds stay: the gap is 7,000.
        (FinancingType.DEFICIT, "9000.00", "2000.00", "7000.00"),
        # Extra income of 500 reduces the gap further: 9,000 - 2,500 = 6,500.
        (FinancingType.DEFICIT, "9000.00", "2500.00", "6500.00"),
        # Costs rise: never more than approved.
        (FinancingType.DEFICIT, "12000.00", "2000.00", "8000.00"),
        # Anteil: 80 % of eligible costs; 9,000 × 0.8 = 7,200.
        (FinancingType.PROPORTIONAL, "9000.00", "2000.00", "7200.00"),
        # 8,333.33 × 0.8 = 6,666.664 → 6,666.66.
        (FinancingType.PROPORTIONAL, "8333.33", "2000.00", "6666.66"),
        # Festbetrag: stays 8,000 while costs are at least 8,000.
        (FinancingType.FIXED_AMOUNT, "8000.00", "0.00", "8000.00"),
        # … and falls to the costs below it.
        (FinancingType.FIXED_AMOUNT, "7500.00", "0.00", "7500.00"),
    ],
)
def test_justified_grant_by_financing_type(financing_type, actual_costs, actual_other, expected):
    assert justified_grant(
        financing_type=financing_type,
        approved=D("8000.00"),
        planned_costs=D("10000.00"),
        actual_costs=D(actual_costs),
        actual_other_financing=D(actual_other),
    ) == D(expected)


def committed(world):
    return sum(b.committed for b in Budget.objects.filter(programme=world.programme))


def submit_proof(app, world, cost_factor=1):
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Bericht",
        actual_costs={line.pk: line.amount * cost_factor for line in app.cost_lines.all()},
        actual_financing={
            line.pk: line.amount
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )


def test_proof_needs_report_and_every_actual_amount(world):
    app = advance(draft(world), world, S.PROOF_DUE)
    with pytest.raises(RuleViolated, match="Sachbericht"):
        application_submit_proof(
            application=app, actor=world.owner, report=" ", actual_costs={}, actual_financing={}
        )
    with pytest.raises(RuleViolated, match="fehlt der tatsächliche Betrag"):
        application_submit_proof(
            application=app,
            actor=world.owner,
            report="Bericht",
            actual_costs={},
            actual_financing={},
        )
    assert CostLine.objects.filter(actual_amount__isnull=False).count() == 0


def test_proof_changes_requested_and_resubmitted(world):
    app = advance(draft(world), world, S.PROOF_SUBMITTED)
    application_request_proof_changes(
        application=app,
        actor=world.case_worker,
        items=["Belegliste"],
        due_date=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    app.refresh_from_db()
    assert app.state == S.PROOF_CHANGES_REQUESTED
    submit_proof(app, world)
    app.refresh_from_db()
    assert app.state == S.PROOF_SUBMITTED


def test_full_cycle_with_repayment_books_the_budget_back(world):
    app = advance(draft(world), world, S.FINAL)
    pay(app, world, D("8000.00"))
    app = advance(app, world, S.PROOF_DUE)
    # Festbetrag of 8,000; actual costs only 7,000 → 1,000 paid too much.
    submit_proof(app, world, cost_factor=D("0.7"))
    proof_check_create(application=app, actor=world.case_worker, depth="quick", findings="Geprüft.")
    app.refresh_from_db()
    assert app.justified_amount == D("7000.00")
    assert committed(world) == D("8000.00"), "paid money stays bound until it comes back"
    with pytest.raises(RuleViolated, match="Erstattungsanspruch"):
        application_close(application=app, actor=world.case_worker)

    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="Minderausgaben",
        due_date=timezone.localdate(),
    )
    assert claim.principal == D("1000.00")
    repayment_claim_settle(claim=claim, actor=world.case_worker, repaid_on=timezone.localdate())
    app.refresh_from_db()
    assert app.state == S.REPAID
    assert committed(world) == D("7000.00")
    assert BudgetEntry.objects.filter(kind="repayment").get().amount == D("-1000.00")

    application_close(application=app, actor=world.case_worker)
    app.refresh_from_db()
    assert app.state == S.CLOSED
    assert committed(world) == D("7000.00")
    assert committed_for(app) == D("7000.00")


def test_unspent_commitment_is_released_on_acceptance_and_close(world):
    app = advance(draft(world), world, S.FINAL)
    pay(app, world, D("5000.00"))
    app = advance(app, world, S.PROOF_DUE)
    submit_proof(app, world)
    proof_check_create(application=app, actor=world.case_worker, depth="quick", findings="Geprüft.")
    app.refresh_from_db()
    assert app.justified_amount == D("8000.00")
    assert committed(world) == D("8000.00")
    with pytest.raises(RuleViolated, match="nichts ausgezahlt"):
        repayment_claim_create(
            application=app, actor=world.case_worker, reason="x", due_date=timezone.localdate()
        )
    application_close(application=app, actor=world.case_worker)
    assert committed(world) == D("5000.00"), "the never-called 3,000 go back to the budget"


def test_revocation_cancels_open_payouts_and_releases_the_rest(world):
    app = advance(draft(world), world, S.FINAL)
    pay(app, world, D("2000.00"))
    open_payout = payout_request(
        application=app, actor=world.owner, amount=D("1000.00"), needed_on=timezone.localdate()
    )
    application_revoke(application=app, actor=world.case_worker, reason="Zweck verfehlt")
    app.refresh_from_db()
    open_payout.refresh_from_db()
    assert app.state == S.REVOKED
    assert open_payout.state == "cancelled"
    assert committed(world) == D("2000.00")
    claim = repayment_claim_create(
        application=app, actor=world.case_worker, reason="Widerruf", due_date=timezone.localdate()
    )
    assert claim.principal == D("2000.00")
    repayment_claim_settle(claim=claim, actor=world.case_worker, repaid_on=timezone.localdate())
    application_close(application=app, actor=world.case_worker)
    app.refresh_from_db()
    assert app.state == S.CLOSED
    assert committed(world) == D("0.00")
    assert RepaymentClaim.objects.get().state == "settled"
