"""Racing users, for real: threads with their own connections and transactions.

Row locks make no difference on SQLite, which serialises writers anyway, so the thread races
run on PostgreSQL (as CI does); the optimistic-locking test runs everywhere.
"""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from grants.errors import ActionRefused, ChangedMeanwhile
from grants.models import Application, ApplicationState, Budget, BudgetEntry, StatusChange
from grants.services.applications import (
    application_request_changes,
    application_start_review,
    application_submit,
)
from grants.services.decisions import decision_confirm, decision_propose
from tests.factories import advance, build_world, draft

S = ApplicationState
RACERS = 20

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="thread races need PostgreSQL row locks; CI runs this file on PostgreSQL",
)


def race(jobs):
    """Runs the callables at the same moment; returns their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_racing_submissions_get_unique_gap_free_file_numbers():
    world = build_world()
    apps = [draft(world) for _ in range(RACERS)]
    results = race(
        [lambda app=app: application_submit(application=app, actor=world.owner) for app in apps]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    numbers = sorted(Application.objects.values_list("file_number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"{world.programme.code}-{year}-{n:04d}" for n in range(1, RACERS + 1)]


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_racing_confirmations_never_over_commit_the_budget():
    world = build_world()
    year = timezone.localdate().year + 1
    fits = 5
    Budget.objects.filter(pk=world.next_budget.pk).update(amount=Decimal("8000.00") * fits)
    apps = []
    for _ in range(RACERS):
        app = advance(draft(world), world, S.IN_REVIEW)
        decision_propose(
            application=app,
            actor=world.case_worker,
            amount=Decimal("8000.00"),
            funding_start=dt.date(year, 1, 1),
            funding_end=dt.date(year, 3, 31),
            purpose="Sprachcafé",
        )
        apps.append(app)
    results = race(
        [
            lambda app=app: decision_confirm(application=app, actor=world.second_case_worker)
            for app in apps
        ]
    )
    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert len(refused) == RACERS - fits
    assert all("reicht nicht aus" in str(r) for r in refused)
    budget = Budget.objects.get(pk=world.next_budget.pk)
    assert budget.committed == budget.amount
    assert Application.objects.filter(state=S.APPROVED).count() == fits
    assert Application.objects.filter(state=S.DECISION_PROPOSED).count() == RACERS - fits
    assert sum(BudgetEntry.objects.values_list("amount", flat=True)) == budget.committed
    assert StatusChange.objects.filter(transition="approve").count() == fits


@pytest.mark.django_db(transaction=True)
def test_second_of_two_case_workers_acting_on_a_stale_application_is_told():
    world = build_world()
    app = advance(draft(world), world, S.SUBMITTED)
    seen_by_first = Application.objects.get(pk=app.pk)
    seen_by_second = Application.objects.get(pk=app.pk)
    application_start_review(application=seen_by_first, actor=world.case_worker)
    with pytest.raises(ChangedMeanwhile, match="Zwischenzeit"):
        application_request_changes(
            application=seen_by_second,
            actor=world.second_case_worker,
            items=["Satzung"],
            due_date=timezone.localdate() + dt.timedelta(days=7),
        )
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW
    assert not StatusChange.objects.filter(transition="request_changes").exists()


@pytest.mark.django_db(transaction=True)
def test_a_transition_on_a_stale_copy_keeps_what_others_changed_meanwhile():
    world = build_world()
    app = advance(draft(world), world, S.SUBMITTED)
    stale = Application.objects.get(pk=app.pk)
    Application.objects.filter(pk=app.pk).update(assigned_to=world.second_case_worker)
    application_start_review(application=stale, actor=world.case_worker)
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW
    assert app.assigned_to == world.second_case_worker
