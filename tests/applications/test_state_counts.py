"""The counts per state that the work queue and the finance overview show: kept by every
transition, right under concurrent transitions, repaired by the daily reconciliation."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from grants.errors import ActionRefused
from grants.models import Application, ApplicationState, StateCount
from grants.services.applications import application_start_review
from grants.services.queue import queue_figures_reconcile
from tests.factories import advance, build_world, draft

S = ApplicationState
QUEUE = "/sachbearbeitung/antraege/"


def _kept(world) -> dict[str, int]:
    rows = StateCount.objects.filter(programme=world.programme, n__gt=0)
    return dict(rows.values_list("state", "n"))


def _counted(world) -> dict[str, int]:
    rows = (
        Application.objects.filter(programme=world.programme)
        .exclude(state=S.DRAFT)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by()
    )
    return dict(rows)


def test_every_transition_moves_one_application_between_the_counts(world):
    first = advance(draft(world), world, S.SUBMITTED)
    draft(world)  # drafts are not counted
    assert _kept(world) == {S.SUBMITTED: 1}
    second = advance(draft(world), world, S.IN_REVIEW)
    assert _kept(world) == {S.SUBMITTED: 1, S.IN_REVIEW: 1}
    advance(first, world, S.APPROVED)
    advance(second, world, S.RUNNING)
    assert _kept(world) == _counted(world) == {S.APPROVED: 1, S.RUNNING: 1}


def test_the_queue_and_the_finance_overview_show_the_kept_counts(client, world):
    advance(draft(world), world, S.SUBMITTED)
    advance(draft(world), world, S.SUBMITTED)
    # A count the transitions did not keep would show: the pages read the kept rows.
    StateCount.objects.filter(state=S.SUBMITTED).update(n=7)
    client.force_login(world.case_worker)
    counts = client.get(QUEUE).context["counts"]
    assert [(row["state"], row["n"]) for row in counts] == [(S.SUBMITTED, 7)]
    # Narrowed by programme and state, the page still reads the kept rows.
    by_state = client.get(QUEUE, {"state": S.SUBMITTED, "programme": world.programme.pk})
    assert [(row["state"], row["n"]) for row in by_state.context["counts"]] == [(S.SUBMITTED, 7)]
    assert client.get(QUEUE, {"state": S.IN_REVIEW}).context["counts"] == []
    # Any other filter counts the filtered applications themselves.
    filtered = client.get(QUEUE, {"assigned": "none"}).context["counts"]
    assert [(row["state"], row["n"]) for row in filtered] == [(S.SUBMITTED, 2)]
    client.force_login(world.finance)
    assert [row["n"] for row in client.get("/finanzen/").context["by_state"]] == [7]


def test_the_reconciliation_repairs_a_drifted_count(world):
    advance(draft(world), world, S.IN_REVIEW)
    StateCount.objects.filter(state=S.IN_REVIEW).update(n=5)
    StateCount.objects.create(programme=world.programme, state=S.CLOSED, n=2)
    assert queue_figures_reconcile(repair=False)["state_counts"] == 2
    call_command("reconcile_queue")
    assert _kept(world) == _counted(world) == {S.IN_REVIEW: 1}
    assert queue_figures_reconcile(repair=False)["state_counts"] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_keep_the_counts_right():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    world = build_world()
    apps = [advance(draft(world), world, S.SUBMITTED) for _ in range(6)]
    # Each of two case workers starts the review of every application at the same moment:
    # each application moves once, whoever wins it, and the counts see each move once.
    workers = [world.case_worker, world.second_case_worker]
    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = []

    def review(worker) -> None:
        try:
            barrier.wait()
            for app in apps:
                try:
                    application_start_review(
                        application=Application.objects.get(pk=app.pk), actor=worker
                    )
                    outcomes.append("moved")
                except ActionRefused:  # the other was first: changed meanwhile or too late
                    outcomes.append("lost")
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("moved") == 6
    assert _kept(world) == _counted(world) == {S.IN_REVIEW: 6}
