"""The work queue: stored figures and their reconciliation, sorting on the page, "mir zuweisen",
saved filters and the count of overdue deadlines."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from grants.models import (
    Application,
    ApplicationState,
    CostCategory,
    FinancingCategory,
    FinancingKind,
    SavedQueueFilter,
)
from grants.services.applications import PlanLine, application_replace_plan
from grants.services.queue import queue_figures_reconcile
from tests.factories import advance, draft

S = ApplicationState
QUEUE = "/sachbearbeitung/antraege/"


def test_the_plan_service_stores_the_requested_grant(world):
    app = draft(world)
    categories = {c.kind: c.pk for c in FinancingCategory.objects.filter(programme=world.programme)}
    cost = CostCategory.objects.filter(programme=world.programme).first()
    app = application_replace_plan(
        application=app,
        actor=world.owner,
        costs=[PlanLine(cost.pk, "Honorare", Decimal("5000.00"))],
        financing=[
            PlanLine(categories[FinancingKind.OWN_FUNDS], "Eigenmittel", Decimal("1000.00")),
            PlanLine(categories[FinancingKind.GRANT], "Zuwendung", Decimal("4000.00")),
        ],
    )
    assert app.requested_amount == Decimal("4000.00")
    app.refresh_from_db()
    assert app.requested_amount == Decimal("4000.00")


def test_each_transition_stores_the_next_deadline(world):
    app = advance(draft(world), world, S.IN_REVIEW)
    assert app.next_deadline is None
    app = advance(app, world, S.APPROVED)
    assert app.next_deadline == app.appeal_deadline
    app = advance(app, world, S.RUNNING)
    assert app.next_deadline == app.proof_due_date


def test_the_reconciliation_finds_and_repairs_stale_figures(world):
    app = advance(draft(world), world, S.APPROVED)
    assert queue_figures_reconcile() == {
        "requested_amount": 0,
        "next_deadline": 0,
        "state_counts": 0,
    }
    Application.objects.filter(pk=app.pk).update(requested_amount=1, next_deadline=None)
    assert queue_figures_reconcile(repair=False) == {
        "requested_amount": 1,
        "next_deadline": 1,
        "state_counts": 0,
    }
    call_command("reconcile_queue")
    app.refresh_from_db()
    assert app.next_deadline == app.appeal_deadline
    assert app.requested_amount == app.plan.requested_amount
    assert queue_figures_reconcile(repair=False) == {
        "requested_amount": 0,
        "next_deadline": 0,
        "state_counts": 0,
    }


def test_column_headers_sort_and_say_how(client, world):
    cheap = advance(
        draft(world, costs=Decimal("3000.00"), own=Decimal("1000.00")), world, S.SUBMITTED
    )
    dear = advance(
        draft(world, costs=Decimal("9000.00"), own=Decimal("1000.00")), world, S.SUBMITTED
    )
    client.force_login(world.case_worker)
    page = client.get(QUEUE, {"sort": "requested"}).content.decode()
    assert page.index(cheap.file_number) < page.index(dear.file_number)
    assert 'aria-sort="ascending"><a class="kern-link" href="?sort=-requested"' in page
    page = client.get(QUEUE, {"sort": "-requested"}).content.decode()
    assert page.index(dear.file_number) < page.index(cheap.file_number)
    assert 'aria-sort="descending"' in page


def test_the_queue_pages_fifty_at_a_time(client, world):
    from bench.fill import fill

    fill(60, programmes=[world.programme], files=False)
    client.force_login(world.case_worker)
    response = client.get(QUEUE)
    total = Application.objects.exclude(state=S.DRAFT).count()
    assert response.context["page"].paginator.count == total
    assert len(response.context["page"].object_list) == 50
    second = client.get(QUEUE, {"seite": 2}).context["page"]
    assert len(second.object_list) == total - 50
    assert not {a["pk"] for a in second.object_list} & {
        a["pk"] for a in response.context["page"].object_list
    }


def test_a_case_worker_takes_a_file_from_the_queue(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.case_worker)
    assert "mir zuweisen" in client.get(QUEUE).content.decode()
    response = client.post(
        f"{QUEUE}{app.pk}/mir-zuweisen/", {"shown": "", "query": "state=submitted&seite=3"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?state=submitted"
    app.refresh_from_db()
    assert app.assigned_to == world.case_worker
    assert app.assignment_changes.count() == 1


def test_taking_a_file_that_a_colleague_took_meanwhile_changes_nothing(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(assigned_to=world.second_case_worker)
    client.force_login(world.case_worker)
    response = client.post(f"{QUEUE}{app.pk}/mir-zuweisen/", {"shown": ""}, follow=True)
    assert "inzwischen jemand anderem zugewiesen" in response.content.decode()
    app.refresh_from_db()
    assert app.assigned_to == world.second_case_worker


def test_a_foreign_case_worker_cannot_take_a_file(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.foreign_case_worker)
    response = client.post(f"{QUEUE}{app.pk}/mir-zuweisen/", {"shown": ""})
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.assigned_to is None


def test_a_filter_is_saved_listed_and_deleted(client, world):
    client.force_login(world.case_worker)
    response = client.post(
        f"{QUEUE}filter/",
        {"name": "  Meine   Nachforderungen ", "query": "state=changes_requested&seite=4&evil=1"},
    )
    assert response.status_code == 302
    saved = SavedQueueFilter.objects.get(user=world.case_worker)
    assert (saved.name, saved.query) == ("Meine Nachforderungen", "state=changes_requested")
    page = client.get(QUEUE).content.decode()
    assert 'href="?state=changes_requested"' in page
    assert "Meine Nachforderungen" in page
    client.force_login(world.second_case_worker)
    assert client.post(f"{QUEUE}filter/{saved.pk}/loeschen/").status_code == 404
    client.force_login(world.case_worker)
    client.post(f"{QUEUE}filter/{saved.pk}/loeschen/")
    assert not SavedQueueFilter.objects.exists()


def test_a_filter_without_a_name_or_twice_the_same_name_is_refused(client, world):
    client.force_login(world.case_worker)
    response = client.post(f"{QUEUE}filter/", {"name": "  ", "query": "q=x"}, follow=True)
    assert "Bitte geben Sie dem Filter einen Namen." in response.content.decode()
    client.post(f"{QUEUE}filter/", {"name": "A", "query": "q=x"})
    response = client.post(f"{QUEUE}filter/", {"name": "A", "query": "q=y"}, follow=True)
    assert "Es gibt schon einen Filter „A“" in response.content.decode()
    assert list(SavedQueueFilter.objects.values_list("query", flat=True)) == ["q=x"]


def test_the_queue_counts_what_is_overdue(client, world):
    app = advance(draft(world), world, S.APPROVED)
    client.force_login(world.case_worker)
    assert "Keine Frist überschritten." in client.get(QUEUE).content.decode()
    Application.objects.filter(pk=app.pk).update(
        next_deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    page = client.get(QUEUE).content.decode()
    assert "1 Frist überschritten" in page
    assert 'href="?deadline=overdue"' in page
