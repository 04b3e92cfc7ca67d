"""The paid totals the finance overview reads: kept by marking payouts paid, right under
concurrent payments, repaired by the daily reconciliation."""

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from grants.models import PaidTotal, Payout
from grants.services.payouts import payout_mark_exported, payout_mark_paid
from reporting import selectors
from tests.factories import build_world
from tests.reporting.conftest import ordered_payout, running_application


def _exported(app, world, amount: Decimal) -> Payout:
    payout = ordered_payout(app, world, amount)
    payout_mark_exported(payout=payout, actor=world.finance)
    return payout


def _paid_line(world) -> Decimal:
    lines = selectors.budget_totals(selectors.budget_lines([world.programme.pk]))
    return sum((line.paid for line in lines), Decimal("0.00"))


def test_marking_a_payout_paid_adds_it_to_its_years_total(world):
    app = running_application(world, costs=Decimal("10000.00"), own=Decimal("2000.00"))
    first = _exported(app, world, Decimal("100.10"))
    second = _exported(app, world, Decimal("200.20"))
    assert _paid_line(world) == Decimal("0.00")

    payout_mark_paid(payout=first, actor=world.finance, paid_on=timezone.localdate())
    payout_mark_paid(payout=second, actor=world.finance, paid_on=timezone.localdate())

    total = PaidTotal.objects.get(programme=world.programme, fiscal_year=first.fiscal_year)
    assert total.amount == Decimal("300.30")
    assert _paid_line(world) == Decimal("300.30")
    assert first.programme_id == world.programme.pk  # copied when the payout was made


def test_the_reconciliation_repairs_a_drifted_total_and_alerts(world, caplog):
    app = running_application(world, costs=Decimal("10000.00"), own=Decimal("2000.00"))
    payout = _exported(app, world, Decimal("500.00"))
    payout_mark_paid(payout=payout, actor=world.finance, paid_on=timezone.localdate())
    PaidTotal.objects.update(amount=Decimal("1.00"))

    with pytest.raises(CommandError, match="1 paid total"):
        call_command("reconcile_budgets")

    assert PaidTotal.objects.get().amount == Decimal("500.00")
    assert "Paid total of programme" in caplog.text
    call_command("reconcile_budgets")  # nothing left to repair


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_each_count_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    world = build_world()
    app = running_application(world, costs=Decimal("10000.00"), own=Decimal("2000.00"))
    payouts = [_exported(app, world, Decimal("10.01") * (i + 1)) for i in range(4)]
    barrier = threading.Barrier(len(payouts))
    errors: list[Exception] = []

    def pay(payout: Payout) -> None:
        try:
            barrier.wait()
            payout_mark_paid(payout=payout, actor=world.finance, paid_on=timezone.localdate())
        except Exception as exc:  # the assertion below names it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(p,)) for p in payouts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert PaidTotal.objects.get().amount == Decimal("100.10")  # 10.01 × (1 + 2 + 3 + 4)
