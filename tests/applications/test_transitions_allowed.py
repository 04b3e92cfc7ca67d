"""Transitions that start from several states, fired from each of them through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.errors import RuleViolated
from grants.models import ApplicationState, Payout, RepaymentClaim
from grants.services.applications import application_request_changes, application_withdraw
from grants.services.decisions import application_revoke, decision_propose_rejection
from grants.services.payouts import (
    payout_cancel,
    payout_certify,
    payout_order,
    payout_plan,
    payout_request,
)
from grants.services.proof import (
    application_close,
    application_extend_proof_deadline,
    application_request_proof_changes,
    application_submit_proof,
    repayment_claim_correct,
    repayment_claim_create,
    repayment_claim_settle,
)
from tests.factories import advance, draft, pay, refer
from tests.factories import vote as vote_on

S = ApplicationState
SOON = dt.timedelta(days=14)


def vote(app, world):
    world.programme.administrative_decision_limit = Decimal("1000.00")
    world.programme.save()
    vote_on(refer(app, world), world, yes=1, no=4)
    app.refresh_from_db()
    assert app.state == S.VOTED


def test_changes_can_be_requested_during_the_assessment(world):
    app = advance(draft(world), world, S.IN_REVIEW)
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Finanzplan"],
        due_date=timezone.localdate() + SOON,
    )
    app.refresh_from_db()
    assert app.state == S.CHANGES_REQUESTED


@pytest.mark.parametrize("state", [S.SUBMITTED, S.IN_REVIEW, S.VOTED])
def test_rejection_can_be_proposed_from(world, state):
    app = advance(draft(world), world, S.SUBMITTED if state == S.SUBMITTED else S.IN_REVIEW)
    if state == S.VOTED:
        vote(app, world)
    decision_propose_rejection(
        application=app, actor=world.case_worker, reasons="Nicht förderfähig."
    )
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED


@pytest.mark.parametrize(
    "state",
    [S.SUBMITTED, S.CHANGES_REQUESTED, S.IN_REVIEW, S.AWAITING_VOTE, S.VOTED, S.DECISION_PROPOSED],
)
def test_applicant_withdraws_before_the_notice_from(world, state):
    app = advance(draft(world), world, S.SUBMITTED)
    if state == S.CHANGES_REQUESTED:
        application_request_changes(
            application=app,
            actor=world.case_worker,
            items=["x"],
            due_date=timezone.localdate() + SOON,
        )
    elif state != S.SUBMITTED:
        advance(app, world, S.IN_REVIEW)
        if state in (S.AWAITING_VOTE, S.VOTED):
            world.programme.administrative_decision_limit = Decimal("1000.00")
            world.programme.save()
            item = refer(app, world, body="Jury")
            if state == S.VOTED:
                vote_on(item, world, yes=3, no=0)
        elif state == S.DECISION_PROPOSED:
            advance(app, world, S.DECISION_PROPOSED)
    app.refresh_from_db()
    assert app.state == state
    application_withdraw(application=app, actor=world.colleague, reason="Verein löst sich auf")
    app.refresh_from_db()
    assert app.state == S.WITHDRAWN


@pytest.mark.parametrize(
    "state", [S.APPROVED, S.FINAL, S.RUNNING, S.PROOF_DUE, S.PROOF_SUBMITTED, S.PROOF_ACCEPTED]
)
def test_notice_can_be_revoked_from(world, state):
    app = advance(draft(world), world, state)
    application_revoke(application=app, actor=world.case_worker, reason="Auflage verletzt")
    app.refresh_from_db()
    assert app.state == S.REVOKED


def test_notice_can_be_revoked_while_proof_changes_are_requested(world):
    app = advance(draft(world), world, S.PROOF_SUBMITTED)
    application_request_proof_changes(
        application=app,
        actor=world.case_worker,
        items=["Belege"],
        due_date=timezone.localdate() + SOON,
    )
    application_revoke(application=app, actor=world.case_worker, reason="Keine Belege")
    app.refresh_from_db()
    assert app.state == S.REVOKED


def test_revoked_file_without_payments_is_closed(world):
    app = advance(draft(world), world, S.FINAL)
    application_revoke(application=app, actor=world.case_worker, reason="Verzicht")
    with pytest.raises(RuleViolated, match="nichts ausgezahlt"):
        repayment_claim_create(
            application=app, actor=world.case_worker, reason="x", due_date=timezone.localdate()
        )
    application_close(application=app, actor=world.case_worker)
    app.refresh_from_db()
    assert app.state == S.CLOSED


@pytest.mark.parametrize("state", [S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED])
def test_proof_deadline_can_be_extended_in(world, state):
    app = advance(draft(world), world, S.RUNNING if state == S.RUNNING else S.PROOF_DUE)
    if state == S.PROOF_CHANGES_REQUESTED:
        advance(app, world, S.PROOF_SUBMITTED)
        application_request_proof_changes(
            application=app,
            actor=world.case_worker,
            items=["Belege"],
            due_date=timezone.localdate() + SOON,
        )
    app.refresh_from_db()
    old = app.proof_due_date
    with pytest.raises(RuleViolated, match="nach der bisherigen"):
        application_extend_proof_deadline(
            application=app, actor=world.case_worker, due_date=old, reason="Krankheit"
        )
    application_extend_proof_deadline(
        application=app,
        actor=world.case_worker,
        due_date=old + dt.timedelta(days=60),
        reason="Krankheit der Projektleitung",
    )
    app.refresh_from_db()
    assert (app.state, app.proof_due_date) == (state, old + dt.timedelta(days=60))
    assert app.status_changes.filter(transition="extend_proof_deadline").get().data["previous"]


def test_proof_can_be_submitted_while_the_project_runs(world):
    app = advance(draft(world), world, S.RUNNING)
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Früher fertig",
        actual_costs={line.pk: line.amount for line in app.cost_lines.all()},
        actual_financing={
            line.pk: line.amount for line in app.financing_lines.exclude(category__kind="grant")
        },
    )
    app.refresh_from_db()
    assert app.state == S.PROOF_SUBMITTED
    assert app.proof_report == "Früher fertig"


@pytest.mark.parametrize("step", ["planned", "requested", "certified", "ordered"])
def test_payout_can_be_cancelled_before_it_leaves(world, step):
    app = advance(draft(world), world, S.FINAL)
    if step == "requested":
        payout = payout_request(
            application=app,
            actor=world.owner,
            amount=Decimal("100"),
            needed_on=timezone.localdate(),
        )
    else:
        payout = payout_plan(
            application=app,
            actor=world.case_worker,
            amount=Decimal("100"),
            due_date=timezone.localdate(),
        )
    if step in ("certified", "ordered"):
        payout_certify(payout=payout, actor=world.case_worker)
    if step == "ordered":
        payout_order(payout=payout, actor=world.second_case_worker)
    payout_cancel(payout=payout, actor=world.case_worker, reason="Falscher Betrag")
    payout.refresh_from_db()
    assert payout.state == Payout.State.CANCELLED


def test_wrong_repayment_claim_is_replaced_not_overwritten(world):
    app = advance(draft(world), world, S.FINAL)
    pay(app, world, Decimal("3000.00"))
    application_revoke(application=app, actor=world.case_worker, reason="Zweck verfehlt")
    claim = repayment_claim_create(
        application=app, actor=world.case_worker, reason="Widerruf", due_date=timezone.localdate()
    )
    with pytest.raises(RuleViolated, match="zwischen"):
        repayment_claim_correct(
            claim=claim, actor=world.case_worker, principal=Decimal("3000.01"), reason="Tippfehler"
        )
    corrected = repayment_claim_correct(
        claim=claim,
        actor=world.case_worker,
        principal=Decimal("2500.00"),
        reason="Teilbetrag zweckentsprechend verwendet",
    )
    claim.refresh_from_db()
    assert claim.state == RepaymentClaim.State.CANCELLED
    assert claim.principal == Decimal("3000.00")
    assert corrected.principal == Decimal("2500.00")
    repayment_claim_settle(
        claim=corrected,
        actor=world.case_worker,
        repaid_on=timezone.localdate(),
        interest=Decimal("12.34"),
    )
    app.refresh_from_db()
    corrected.refresh_from_db()
    assert app.state == S.REPAID
    assert corrected.interest == Decimal("12.34")
    assert app.justified_amount == Decimal("500.00")
    assert app.repayable_amount == Decimal("0.00")
    application_close(application=app, actor=world.case_worker)
    app.refresh_from_db()
    assert app.state == S.CLOSED
