"""Racing early-start requests and decisions, for real: threads with their own connections on
PostgreSQL (row locks make no difference on SQLite, which serialises writers anyway)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from grants.errors import ActionRefused
from grants.models import ApplicationState, EarlyStart, StatusChange
from grants.services.early_start import early_start_decide, early_start_request
from tests.budgets.test_concurrency import race
from tests.factories import advance, build_world, draft

S = ApplicationState
RACERS = 10

needs_row_locks = pytest.mark.skipif(
    not connection.features.has_select_for_update,
    reason="thread races need row locks; CI runs this file on PostgreSQL",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_racing_requests_leave_one_open_request():
    world = build_world()
    app = advance(draft(world), world, S.SUBMITTED)
    day = timezone.localdate() + dt.timedelta(days=3)
    users = [world.owner, world.colleague] * (RACERS // 2)
    results = race(
        [
            lambda user=user: early_start_request(
                application=app, actor=user, requested_start=day, reason="Ferien."
            )
            for user in users
        ]
    )
    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert len(refused) == RACERS - 1
    assert all("bereits ein Antrag auf vorzeitigen Beginn" in str(r) for r in refused)
    assert EarlyStart.objects.count() == 1
    assert StatusChange.objects.filter(lifecycle="early_start").count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_case_workers_deciding_at_once_decide_once():
    world = build_world()
    app = advance(draft(world), world, S.SUBMITTED)
    early_start_request(
        application=app,
        actor=world.owner,
        requested_start=timezone.localdate(),
        reason="Ferien.",
    )
    results = race(
        [
            lambda: early_start_decide(
                application=app,
                actor=world.case_worker,
                consent=True,
                allowed_from=timezone.localdate(),
            ),
            lambda: early_start_decide(
                application=app, actor=world.second_case_worker, consent=False, note="Nein."
            ),
        ]
    )
    assert len([r for r in results if isinstance(r, ActionRefused)]) == 1
    early = EarlyStart.objects.get()
    assert early.state in (EarlyStart.State.CONSENTED, EarlyStart.State.REFUSED)
    assert StatusChange.objects.filter(lifecycle="early_start").count() == 2
