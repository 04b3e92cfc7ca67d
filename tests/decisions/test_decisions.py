import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants.errors import NotPermitted, RuleViolated
from grants.models import (
    ApplicationState,
    Budget,
    BudgetEntry,
    Call,
    Decision,
    FinancingType,
    StatusChange,
)
from grants.services.applications import (
    application_request_changes,
    application_resubmit,
    application_withdraw,
    run_deadlines,
)
from grants.services.assessment import application_record_own_share_justification
from grants.services.decisions import (
    application_waive_appeal,
    decision_confirm,
    decision_propose,
    decision_propose_rejection,
    decision_return,
)
from tests.factories import BudgetFactory, advance, draft, refer, vote, year_split

S = ApplicationState


def propose(app, actor, amount=None, **kwargs):
    start = kwargs.pop("funding_start", app.start_date)
    end = kwargs.pop("funding_end", start + dt.timedelta(days=100))
    amount = app.plan.requested_amount if amount is None else amount
    decision = decision_propose(
        application=app,
        actor=actor,
        amount=amount,
        funding_start=start,
        funding_end=end,
        purpose="Sprachcafé für Nachbar*innen",
        year_amounts=kwargs.pop("year_amounts", year_split(amount, start, end)),
        **kwargs,
    )
    # The service works on the row it locked; the test's copy catches up.
    app.refresh_from_db()
    return decision


@pytest.fixture
def in_review(world):
    return advance(draft(world), world, S.IN_REVIEW)


def test_approval_needs_a_second_person(world, in_review):
    propose(in_review, world.case_worker)
    with pytest.raises(NotPermitted, match="Vier-Augen-Prinzip"):
        decision_confirm(application=in_review, actor=world.case_worker)
    in_review.refresh_from_db()
    assert in_review.state == S.DECISION_PROPOSED
    assert not BudgetEntry.objects.exists()


def test_case_worker_of_another_programme_cannot_confirm(world, in_review):
    propose(in_review, world.case_worker)
    with pytest.raises(NotPermitted, match="zuständige Sachbearbeitung"):
        decision_confirm(application=in_review, actor=world.foreign_case_worker)


def test_applicant_cannot_propose(world, in_review):
    with pytest.raises(NotPermitted):
        propose(in_review, world.owner)
    assert not Decision.objects.exists()


def test_confirmed_approval_commits_the_budget(world, in_review):
    decision = propose(in_review, world.case_worker)
    decision_confirm(application=in_review, actor=world.second_case_worker)
    in_review.refresh_from_db()
    decision.refresh_from_db()
    assert in_review.state == S.APPROVED
    assert in_review.approved_amount == Decimal("8000.00")
    assert in_review.appeal_deadline > timezone.localdate()
    assert decision.status == Decision.Status.CONFIRMED
    assert decision.confirmed_by == world.second_case_worker
    committed = sum(b.committed for b in Budget.objects.filter(programme=world.programme))
    assert committed == Decimal("8000.00")
    assert set(BudgetEntry.objects.values_list("kind", flat=True)) == {"commitment"}
    assert StatusChange.objects.filter(application=in_review, transition="approve").exists()


def test_financing_type_suggested_by_the_programme_rules(world, in_review):
    # 8,000 EUR with 20 % own share: Festbetrag is allowed up to 10,000 EUR.
    assert propose(in_review, world.case_worker).financing_type == FinancingType.FIXED_AMOUNT


def test_financing_type_falls_back_without_enough_own_share(world):
    app = draft(world, own=Decimal("1000.00"))
    app.own_share_justification = "Kleiner Verein ohne Rücklagen."
    app.save()
    app = advance(app, world, S.IN_REVIEW)
    assert propose(app, world.case_worker).financing_type == FinancingType.PROPORTIONAL


def test_own_share_below_minimum_needs_a_justification(world):
    app = advance(draft(world, own=Decimal("1000.00")), world, S.IN_REVIEW)
    with pytest.raises(RuleViolated, match="Eigenanteil"):
        propose(app, world.case_worker)
    application_record_own_share_justification(
        application=app, actor=world.case_worker, justification="Ehrenamtlicher Verein."
    )
    assert propose(app, world.case_worker).outcome == Decision.Outcome.APPROVE


def test_more_than_requested_cannot_be_approved(world, in_review):
    with pytest.raises(RuleViolated, match="höchstens die beantragte"):
        propose(in_review, world.case_worker, amount=Decimal("8000.01"))


def test_year_split_must_add_up(world, in_review):
    start = dt.date(timezone.localdate().year + 1, 11, 1)
    with pytest.raises(RuleViolated, match="Jahresanteile ergeben"):
        propose(
            in_review,
            world.case_worker,
            funding_start=start,
            funding_end=start + dt.timedelta(days=90),
            year_amounts={start.year: Decimal("4000"), start.year + 1: Decimal("3000")},
        )


def test_multi_year_grant_is_committed_per_year(world, in_review):
    year = timezone.localdate().year + 1
    BudgetFactory(programme=world.programme, fiscal_year=year + 1)
    start = dt.date(year, 11, 1)
    propose(
        in_review,
        world.case_worker,
        funding_start=start,
        funding_end=start + dt.timedelta(days=90),
        year_amounts={year: Decimal("3000"), year + 1: Decimal("5000")},
    )
    decision_confirm(application=in_review, actor=world.second_case_worker)
    committed = dict(
        Budget.objects.filter(programme=world.programme).values_list("fiscal_year", "committed")
    )
    assert committed[year] == Decimal("3000.00")
    assert committed[year + 1] == Decimal("5000.00")


def test_approval_refused_when_budget_is_short_changes_nothing(world, in_review):
    Budget.objects.filter(programme=world.programme).update(amount=Decimal("3999.99"))
    propose(in_review, world.case_worker)
    with pytest.raises(RuleViolated, match="reicht nicht aus"):
        decision_confirm(application=in_review, actor=world.second_case_worker)
    in_review.refresh_from_db()
    assert in_review.state == S.DECISION_PROPOSED
    assert in_review.pending_decision.status == Decision.Status.PROPOSED
    assert not BudgetEntry.objects.exists()
    assert not StatusChange.objects.filter(transition="approve").exists()


def test_database_refuses_an_over_commit_even_without_the_service(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=world.budget.pk).update(committed=Decimal("250000.01"))


def test_database_refuses_a_decision_confirmed_by_its_proposer(world, in_review):
    decision = propose(in_review, world.case_worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(confirmed_by=world.case_worker)


def test_rejection_is_proposed_and_confirmed(world, in_review):
    decision_propose_rejection(
        application=in_review, actor=world.case_worker, reasons="Kein Bezug zu den Zielen."
    )
    decision_confirm(application=in_review, actor=world.second_case_worker)
    in_review.refresh_from_db()
    assert in_review.state == S.REJECTED
    assert not BudgetEntry.objects.exists()


def test_rejection_needs_reasons(world, in_review):
    with pytest.raises(RuleViolated, match="Begründung"):
        decision_propose_rejection(application=in_review, actor=world.case_worker, reasons="  ")


def test_second_person_can_return_the_proposal(world, in_review):
    decision = propose(in_review, world.case_worker)
    decision_return(application=in_review, actor=world.second_case_worker, reason="Betrag prüfen")
    in_review.refresh_from_db()
    decision.refresh_from_db()
    assert in_review.state == S.IN_REVIEW
    assert decision.status == Decision.Status.RETURNED
    propose(in_review, world.case_worker)


def test_committee_vote_required_above_the_administrative_limit(world):
    world.programme.administrative_decision_limit = Decimal("5000.00")
    world.programme.save()
    app = advance(draft(world), world, S.IN_REVIEW)
    with pytest.raises(RuleViolated, match="Gremium"):
        propose(app, world.case_worker)
    vote(refer(app, world, body="Vergabeausschuss", members=6), world, yes=5, no=1)
    app.refresh_from_db()
    assert app.state == S.VOTED
    propose(app, world.case_worker)
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED


def test_no_committee_referral_for_an_administrative_decision(world, in_review):
    world.call.decision_track = Call.DecisionTrack.ADMINISTRATION
    world.call.save()
    with pytest.raises(RuleViolated, match="kein Gremiumsvotum"):
        refer(in_review, world, body="X")


def test_request_changes_and_resubmit(world):
    app = advance(draft(world), world, S.SUBMITTED)
    due = timezone.localdate() + dt.timedelta(days=14)
    application_request_changes(
        application=app, actor=world.case_worker, items=["Satzung", "Kostenplan"], due_date=due
    )
    app.refresh_from_db()
    assert app.state == S.CHANGES_REQUESTED
    assert app.response_due_date == due
    change = StatusChange.objects.get(application=app, transition="request_changes")
    assert change.data["items"] == ["Satzung", "Kostenplan"]
    application_resubmit(application=app, actor=world.owner)
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert app.response_due_date is None


def test_request_changes_needs_items_and_a_future_deadline(world):
    app = advance(draft(world), world, S.SUBMITTED)
    with pytest.raises(RuleViolated, match="mindestens eine"):
        application_request_changes(
            application=app, actor=world.case_worker, items=[" "], due_date=timezone.localdate()
        )
    with pytest.raises(RuleViolated, match="Zukunft"):
        application_request_changes(
            application=app,
            actor=world.case_worker,
            items=["Satzung"],
            due_date=timezone.localdate(),
        )


def test_withdrawal_before_the_notice(world, in_review):
    propose(in_review, world.case_worker)
    application_withdraw(application=in_review, actor=world.owner, reason="Projekt entfällt")
    in_review.refresh_from_db()
    assert in_review.state == S.WITHDRAWN
    assert in_review.pending_decision is None


def test_waiver_of_appeal_makes_the_notice_final(world):
    app = advance(draft(world), world, S.APPROVED)
    with pytest.raises(NotPermitted):
        application_waive_appeal(application=app, actor=world.case_worker)
    application_waive_appeal(application=app, actor=world.owner)
    app.refresh_from_db()
    assert app.state == S.FINAL


def test_deadline_job_makes_notices_final_and_is_safe_to_run_twice(world):
    app = advance(draft(world), world, S.APPROVED)
    # A notice whose appeal period has not ended stays approved.
    assert run_deadlines()["final"] == 0
    type(app).objects.filter(pk=app.pk).update(
        appeal_deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert run_deadlines()["final"] == 1
    assert run_deadlines()["final"] == 0
    app.refresh_from_db()
    assert app.state == S.FINAL
    change = StatusChange.objects.get(application=app, transition="expire_appeal_period")
    assert change.actor is None
