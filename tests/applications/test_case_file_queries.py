"""The case file reads a person's staff roles once per request, and its query count is pinned.

Measured on 26.11.2026 (SQLite), queries of one file page, of them on staff roles:
submitted 35/9 before, 28/1 now; in review 60/12 before, 50/1 now; decision proposed 41/7
before, 36/1 now; running with a paid payout 36/7 before, 31/1 now. Since staff log in with a
second factor, django-otp reads the session's device once per request: one query more each.
The file lists the documents and the history shows who opened which: four queries more each
(openings, standard documents, files sent with messages, receipts); the message thread three
more (its messages, the unread ones to mark as read, the items of the last request for missing
items); after the merge of the proof checks (proof10) one more.

Since the early start (26.11.2026) each file reads its early starts once (one query more), and
the confirmation of a proposal checks the programme's rules on it (three more)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import ApplicationState
from tests.factories import advance, draft, pay

S = ApplicationState


def _file(client, app):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/sachbearbeitung/antraege/{app.pk}/")
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    ("state", "most"), [(S.SUBMITTED, 38), (S.IN_REVIEW, 59), (S.DECISION_PROPOSED, 48)]
)
def test_the_case_file_reads_the_staff_roles_once(client, world, state, most):
    app = advance(draft(world), world, state)
    client.force_login(world.second_case_worker)
    queries = _file(client, app)
    assert len([sql for sql in queries if "grants_staffrole" in sql]) == 1
    assert len(queries) <= most


def test_the_file_of_a_running_project_with_payouts(client, world):
    app = advance(draft(world), world, S.RUNNING)
    pay(app, world, Decimal("1000.00"))
    client.force_login(world.case_worker)
    queries = _file(client, app)
    assert len([sql for sql in queries if "grants_staffrole" in sql]) == 1
    assert len(queries) <= 41
