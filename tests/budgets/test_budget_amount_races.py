"""Lowering a budget in the admin while an approval books on it, for real: threads with their
own connections on PostgreSQL. The admin's save locks the budget row, so whichever comes second
sees what the first committed: a lowering below the new commitment is refused with the German
message (nothing stored), an approval that no longer fits is refused by the budget service; the
database never has to refuse the row (500) and no booking is lost."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from grants.errors import ActionRefused
from grants.models import ApplicationState, Budget, BudgetEntry
from grants.services.decisions import decision_confirm, decision_propose
from tests.budgets.test_budget_amount import _post
from tests.conftest import StaffClient
from tests.factories import advance, build_world, draft

D = Decimal

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks make no difference on SQLite; CI runs this file on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def _proposed(world, amount="8000.00"):
    """An application whose approval of ``amount`` binds next year's budget (10,000 €)."""
    Budget.objects.filter(pk=world.next_budget.pk).update(amount=D("10000.00"))
    app = advance(draft(world), world, ApplicationState.IN_REVIEW)
    year = timezone.localdate().year + 1
    decision_propose(
        application=app,
        actor=world.case_worker,
        amount=D(amount),
        funding_start=dt.date(year, 1, 1),
        funding_end=dt.date(year, 3, 31),
        purpose="Sprachcafé",
    )
    return app


def _in_thread(job, results, key):
    def run():
        try:
            results[key] = job()
        except Exception as exc:
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _ledger(budget: Budget) -> Decimal:
    return sum(BudgetEntry.objects.filter(budget=budget).values_list("amount", flat=True), D(0))


def test_lowering_while_an_approval_is_booking_is_refused_with_the_message():
    world = build_world()
    app = _proposed(world)
    budget = Budget.objects.get(pk=world.next_budget.pk)
    versions = budget.history.count()
    booked = threading.Event()
    results: dict = {}

    def approve():
        with transaction.atomic():
            decision_confirm(application=app, actor=world.second_case_worker)
            booked.set()
            time.sleep(1.5)  # the admin's save arrives while the booking is not yet committed

    def lower():
        booked.wait(10)
        return _post(StaffClient(), budget, "5000.00")

    threads = [_in_thread(approve, results, "approve"), _in_thread(lower, results, "lower")]
    for thread in threads:
        thread.join()

    assert results["approve"] is None
    response = results["lower"]
    assert response.status_code == 200
    assert "nicht unter den bereits gebundenen Betrag gesenkt werden" in response.content.decode()
    budget.refresh_from_db()
    assert (budget.amount, budget.committed) == (D("10000.00"), D("8000.00"))
    assert _ledger(budget) == budget.committed
    assert budget.history.count() == versions


def test_an_approval_after_the_lowering_was_checked_waits_and_is_refused(monkeypatch):
    world = build_world()
    app = _proposed(world)
    budget = Budget.objects.get(pk=world.next_budget.pk)
    checked, approved = threading.Event(), threading.Event()
    results: dict = {}
    clean = Budget.clean

    def clean_then_let_the_approval_in(self):
        clean(self)
        checked.set()
        # Without the lock the approval commits here, between the admin's check and its save.
        approved.wait(2)

    monkeypatch.setattr(Budget, "clean", clean_then_let_the_approval_in)

    def approve():
        checked.wait(10)
        try:
            return decision_confirm(application=app, actor=world.second_case_worker)
        finally:
            approved.set()

    threads = [
        _in_thread(lambda: _post(StaffClient(), budget, "5000.00"), results, "lower"),
        _in_thread(approve, results, "approve"),
    ]
    for thread in threads:
        thread.join()

    assert results["lower"].status_code == 302
    assert isinstance(results["approve"], ActionRefused)
    assert "reicht nicht aus" in str(results["approve"])
    budget.refresh_from_db()
    assert (budget.amount, budget.committed) == (D("5000.00"), D("0.00"))
    assert _ledger(budget) == budget.committed
