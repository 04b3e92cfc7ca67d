import io
from decimal import Decimal

from python_calamine import CalamineWorkbook

from grants.models import DomainEvent, Payout, StatusChange
from reporting import services
from tests.reporting.conftest import ordered_payout, running_application


def test_it_exports_ordered_payouts_and_marks_them_exported(world):
    app = running_application(world)
    first = ordered_payout(app, world, Decimal("1000.10"))
    second = ordered_payout(app, world, Decimal("2000.25"))

    batch = services.payout_orders_export(actor=world.finance)

    assert batch.row_count == 2
    assert batch.total_amount == Decimal("3000.35")
    for payout in (first, second):
        payout.refresh_from_db()
        assert payout.state == Payout.State.EXPORTED
        assert payout.exported_at == batch.created_at
        change = StatusChange.objects.get(payout=payout, transition="mark_exported")
        assert (change.source_state, change.target_state) == ("ordered", "exported")
        assert change.actor == world.finance
        assert change.data == {"batch": batch.reference, "batch_id": batch.pk}
        event = DomainEvent.objects.get(status_change=change)
        assert event.name == "payout.mark_exported"
        assert event.announce is False
        assert event.payload["object_id"] == payout.pk
    book = CalamineWorkbook.from_filelike(io.BytesIO(batch.file.read()))
    assert book.sheet_names == ["Auszahlungsanordnung", "Protokoll"]
    rows = book.get_sheet_by_name("Auszahlungsanordnung").to_python()
    print(rows)
    print(book.get_sheet_by_name("Protokoll").to_python())
