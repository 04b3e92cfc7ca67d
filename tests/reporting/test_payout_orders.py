import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from python_calamine import CalamineWorkbook

from grants.errors import NotPermitted, RuleViolated
from grants.models import DomainEvent, Payout, StatusChange
from grants.services.payouts import payout_mark_exported
from reporting import services
from reporting.models import ExportBatch, ExportBatchItem
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
    assert [row[6] for row in rows[1:3]] == [app.file_number, app.file_number]
    assert rows[3][0] == "Summe"


def test_a_payout_is_exported_only_once(world):
    app = running_application(world)
    ordered_payout(app, world, Decimal("100.00"))
    services.payout_orders_export(actor=world.finance)

    with pytest.raises(RuleViolated):
        services.payout_orders_export(actor=world.finance)
    assert ExportBatch.objects.count() == 1


def test_the_database_refuses_a_second_first_export(world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    first = services.payout_orders_export(actor=world.finance)
    other = ExportBatch.objects.create(created_by=world.finance)

    with pytest.raises(IntegrityError), transaction.atomic():
        ExportBatchItem.objects.create(batch=other, payout=payout, first_export=True)
    assert list(ExportBatchItem.objects.filter(payout=payout).values_list("batch", flat=True)) == [
        first.pk
    ]


def test_the_database_refuses_a_reexport_without_reason(world):
    app = running_application(world)
    ordered_payout(app, world, Decimal("100.00"))
    first = services.payout_orders_export(actor=world.finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportBatch.objects.create(
            created_by=world.finance, kind=ExportBatch.Kind.REEXPORT, original=first
        )


def test_reexport_puts_the_payouts_in_a_second_batch_explicitly(world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    first = services.payout_orders_export(actor=world.finance)

    with pytest.raises(RuleViolated):
        services.payout_orders_reexport(actor=world.finance, batch=first, reason="  ")
    again = services.payout_orders_reexport(
        actor=world.finance, batch=first, reason="Kasse hat die Datei verloren"
    )

    assert again.kind == ExportBatch.Kind.REEXPORT
    assert (again.original, again.row_count, again.total_amount) == (first, 1, Decimal("100.00"))
    items = ExportBatchItem.objects.filter(payout=payout).order_by("pk")
    assert [(i.batch_id, i.first_export) for i in items] == [(first.pk, True), (again.pk, False)]
    change = StatusChange.objects.get(payout=payout, transition="reexport")
    assert (change.source_state, change.target_state) == ("exported", "exported")
    assert change.reason == "Kasse hat die Datei verloren"
    assert change.data["original_batch"] == first.reference
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED


def test_only_finance_of_the_programme_may_export(world, two_programmes):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    for actor in (world.case_worker, world.second_case_worker, world.owner, world.outsider):
        with pytest.raises(NotPermitted):
            services.payout_orders_export(actor=actor)
    with pytest.raises(NotPermitted):
        services.payout_orders_export(actor=two_programmes.a.finance, programme=world.programme)
    payout.refresh_from_db()
    assert payout.state == Payout.State.ORDERED


def test_finance_exports_only_its_own_programmes(two_programmes):
    a, b = two_programmes.a, two_programmes.b
    payout_a = ordered_payout(running_application(a), a, Decimal("100.00"))
    payout_b = ordered_payout(running_application(b), b, Decimal("200.00"))

    batch = services.payout_orders_export(actor=a.finance)

    assert list(batch.items.values_list("payout", flat=True)) == [payout_a.pk]
    assert list(batch.programmes.all()) == [a.programme]
    payout_b.refresh_from_db()
    assert payout_b.state == Payout.State.ORDERED


def test_fiscal_year_filter(world):
    app = running_application(world)
    this_year = ordered_payout(app, world, Decimal("100.00"))
    with pytest.raises(RuleViolated):
        services.payout_orders_export(actor=world.finance, fiscal_year=this_year.fiscal_year + 1)
    batch = services.payout_orders_export(actor=world.finance, fiscal_year=this_year.fiscal_year)
    assert batch.row_count == 1


def test_set_wise_audit_matches_the_per_payout_service(world):
    """The export writes what grants.services.payout_mark_exported would write."""
    app = running_application(world)
    by_service = ordered_payout(app, world, Decimal("100.00"))
    payout_mark_exported(payout=by_service, actor=world.finance, batch_reference="X")
    set_wise = ordered_payout(app, world, Decimal("100.00"))
    services.payout_orders_export(actor=world.finance)

    fields = [
        "application_id",
        "lifecycle",
        "transition",
        "source_state",
        "target_state",
        "actor_id",
        "reason",
        "repayment_claim_id",
    ]
    expected = (
        StatusChange.objects.filter(payout=by_service, transition="mark_exported")
        .values(*fields)
        .get()
    )
    actual = (
        StatusChange.objects.filter(payout=set_wise, transition="mark_exported")
        .values(*fields)
        .get()
    )
    assert actual == expected
    event_fields = ["name", "application_id", "actor_id", "announce"]
    assert DomainEvent.objects.filter(
        status_change__payout=set_wise, name="payout.mark_exported"
    ).values(*event_fields).get() == (
        DomainEvent.objects.filter(status_change__payout=by_service, name="payout.mark_exported")
        .values(*event_fields)
        .get()
    )
    by_service.refresh_from_db()
    set_wise.refresh_from_db()
    assert by_service.state == set_wise.state == Payout.State.EXPORTED
    assert set_wise.exported_at is not None


def _bulk_ordered(world, app, n: int) -> None:
    """Many ordered payouts at once (only the export is under test here)."""
    now = timezone.now()
    Payout.objects.bulk_create(
        Payout(
            application=app,
            programme_id=app.programme_id,
            state=Payout.State.ORDERED,
            amount=Decimal("10.01"),
            fiscal_year=now.year,
            due_date=now.date(),
            payment_reference=f"{app.file_number} Abschlag",
            requested_by=world.case_worker,
            certified_by=world.case_worker,
            certified_at=now,
            ordered_by=world.second_case_worker,
            ordered_at=now,
        )
        for _ in range(n)
    )


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_query_count_does_not_grow_with_the_number_of_payouts(world, file_format):
    app = running_application(world)
    counts = []
    for n in (3, 60):
        _bulk_ordered(world, app, n)
        with CaptureQueriesContext(connection) as queries:
            batch = services.payout_orders_export(actor=world.finance, file_format=file_format)
        assert batch.row_count == n
        assert batch.total_amount == Decimal("10.01") * n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_export_query_budget(world, django_assert_max_num_queries):
    app = running_application(world)
    _bulk_ordered(world, app, 50)
    with django_assert_max_num_queries(20):
        services.payout_orders_export(actor=world.finance)
