"""Two clerks pressing "export" at the same moment: every payout lands in exactly one batch."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from grants.errors import RuleViolated
from grants.models import Payout, StaffRole
from reporting import services
from reporting.models import ExportBatchItem
from tests.factories import build_world, staff
from tests.reporting.conftest import ordered_payout, running_application


@pytest.mark.django_db(transaction=True)
def test_concurrent_exports_never_take_the_same_payout():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    world = build_world()
    app = running_application(world, costs=Decimal("10000.00"), own=Decimal("2000.00"))
    for _ in range(4):
        ordered_payout(app, world, Decimal("100.00"))
    clerks = [world.finance, staff(world.programme, StaffRole.Role.FINANCE)]
    barrier = threading.Barrier(len(clerks))
    outcomes: list[str] = []

    def export(clerk) -> None:
        try:
            barrier.wait()
            batch = services.payout_orders_export(actor=clerk)
            outcomes.append(f"batch:{batch.row_count}")
        except RuleViolated:
            outcomes.append("nothing left")
        finally:
            connection.close()

    threads = [threading.Thread(target=export, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["batch:4", "nothing left"]
    assert ExportBatchItem.objects.filter(first_export=True).count() == 4
    assert Payout.objects.filter(state=Payout.State.EXPORTED).count() == 4
