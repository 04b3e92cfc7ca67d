import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants.errors import NotPermitted, RuleViolated
from grants.models import ApplicationState, Payout, StatusChange
from grants.services.payouts import (
    payout_cancel,
    payout_certify,
    payout_mark_exported,
    payout_mark_paid,
    payout_order,
    payout_plan,
    payout_request,
)
from tests.factories import advance, draft

S = ApplicationState


@pytest.fixture
def granted(world):
    return advance(draft(world), world, S.FINAL)


def request(app, actor, amount="3000.00", needed_on=None):
    return payout_request(
        application=app,
        actor=actor,
        amount=Decimal(amount),
        needed_on=needed_on or timezone.localdate() + dt.timedelta(days=14),
    )


def test_recipient_calls_funds(world, granted):
    payout = request(granted, world.owner)
    assert payout.state == Payout.State.REQUESTED
    assert payout.payment_reference.startswith(granted.file_number)
    assert len(payout.payment_reference) <= 140
    change = StatusChange.objects.get(payout=payout)
    assert (change.lifecycle, change.transition, change.target_state) == (
        "payout",
        "request",
        "requested",
    )


def test_funds_cannot_be_called_before_the_notice_is_final(world):
    app = advance(draft(world), world, S.APPROVED)
    with pytest.raises(RuleViolated, match="bestandskräftig"):
        request(app, world.owner)


def test_no_more_than_approved_can_be_called(world, granted):
    request(granted, world.owner, "5000.00")
    with pytest.raises(RuleViolated, match=re.escape("höchstens noch 3.000,00 €")):
        request(granted, world.owner, "3000.01")
    assert Payout.objects.count() == 1


def test_only_what_is_needed_within_two_months(world, granted):
    with pytest.raises(RuleViolated, match="innerhalb von 2 Monaten"):
        request(granted, world.owner, needed_on=timezone.localdate() + dt.timedelta(days=70))


def test_outsider_cannot_call_funds(world, granted):
    with pytest.raises(NotPermitted):
        request(granted, world.outsider)


def test_certify_and_order_by_two_people(world, granted):
    payout = request(granted, world.owner)
    payout_certify(payout=payout, actor=world.case_worker)
    with pytest.raises(NotPermitted, match="Vier-Augen-Prinzip"):
        payout_order(payout=payout, actor=world.case_worker)
    payout.refresh_from_db()
    assert payout.state == Payout.State.CERTIFIED
    payout_order(payout=payout, actor=world.second_case_worker)
    payout.refresh_from_db()
    assert payout.state == Payout.State.ORDERED
    assert (payout.certified_by, payout.ordered_by) == (world.case_worker, world.second_case_worker)


def test_database_refuses_certifier_as_orderer(world, granted):
    payout = request(granted, world.owner)
    payout_certify(payout=payout, actor=world.case_worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.filter(pk=payout.pk).update(ordered_by=world.case_worker)


def test_finance_exports_and_marks_paid(world, granted):
    payout = request(granted, world.owner)
    payout_certify(payout=payout, actor=world.case_worker)
    payout_order(payout=payout, actor=world.second_case_worker)
    with pytest.raises(NotPermitted):
        payout_mark_exported(payout=payout, actor=world.case_worker)
    payout_mark_exported(payout=payout, actor=world.finance)
    with pytest.raises(RuleViolated, match="Zukunft"):
        payout_mark_paid(
            payout=payout, actor=world.finance, paid_on=timezone.localdate() + dt.timedelta(days=1)
        )
    payout_mark_paid(payout=payout, actor=world.finance, paid_on=timezone.localdate())
    payout.refresh_from_db()
    assert payout.state == Payout.State.PAID
    granted.refresh_from_db()
    assert granted.paid_amount == Decimal("3000.00")
    transitions = list(
        StatusChange.objects.filter(payout=payout).values_list("transition", flat=True)
    )
    assert transitions == ["request", "certify", "order", "mark_exported", "mark_paid"]


def test_cancel_needs_a_reason_and_frees_the_amount(world, granted):
    payout = request(granted, world.owner, "8000.00")
    with pytest.raises(RuleViolated, match="Begründung"):
        payout_cancel(payout=payout, actor=world.case_worker, reason="")
    payout_cancel(payout=payout, actor=world.case_worker, reason="Doppelt abgerufen")
    assert request(granted, world.owner, "8000.00").state == Payout.State.REQUESTED


def test_case_worker_plans_instalments(world, granted):
    payout = payout_plan(
        application=granted,
        actor=world.case_worker,
        amount=Decimal("4000"),
        due_date=timezone.localdate(),
    )
    assert payout.state == Payout.State.PLANNED
    with pytest.raises(NotPermitted):
        payout_plan(
            application=granted,
            actor=world.owner,
            amount=Decimal("1"),
            due_date=timezone.localdate(),
        )
