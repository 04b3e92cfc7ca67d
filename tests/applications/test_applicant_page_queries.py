"""The applicant's dashboard and application page, the two portal pages of the load benchmark:
their query counts are pinned, and neither grows with the applications, payouts or messages
shown.

Measured on 26.11.2026 (PostgreSQL, 100,000 applications, bench/page_profile.py): dashboard 8
queries before, 6 now (the money paid or on its way no longer asked per running application,
the standard documents of all the person's applicants in one query); application page (in
review) 21 before, 8 now: the programme, its funder, the applicant and the case worker read with
the application; the plan's totals no longer computed for nothing; the notice looked for only
after the decision, letters with it, payouts, their totals (one query), claims and changes only
once approved; the early starts and the change requests read once for the list and the question
whether a new one may be asked; the unread messages found in the thread as loaded. The tests'
sessions live in the database: one query more than in production, where they are cached.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import ApplicationState, ThreadRead
from grants.services.correspondence import thread_message_create
from tests.factories import advance, draft, pay

S = ApplicationState


def _queries(client, url: str) -> int:
    client.get(url)  # warm: the site's one-off reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_dashboard_asks_the_same_whatever_the_applications_show(client, world):
    draft(world)
    client.force_login(world.owner)
    one = _queries(client, "/antraege/")
    # Each state's next step reads other fields of the row (DASHBOARD_FIELDS).
    for state in [S.SUBMITTED, S.APPROVED, S.PROOF_DUE, S.PROOF_ACCEPTED, S.RUNNING, S.RUNNING]:
        app = advance(draft(world), world, state)
    pay(app, world, Decimal("1000.00"))
    assert _queries(client, "/antraege/") == one == 7
    # What the row says comes from the totals read with the application.
    assert "Mittel abrufen, wenn Sie sie brauchen" in client.get("/antraege/").content.decode()


@pytest.mark.parametrize(
    ("state", "pinned"),
    [(S.DRAFT, 8), (S.SUBMITTED, 9), (S.IN_REVIEW, 9), (S.APPROVED, 14), (S.RUNNING, 13)],
)
def test_the_application_page_asks_what_its_state_shows(client, world, state, pinned):
    app = advance(draft(world), world, state)
    client.force_login(world.owner)
    assert _queries(client, f"/antraege/{app.pk}/") == pinned


def test_payouts_and_messages_add_no_queries(client, world):
    app = advance(draft(world), world, S.RUNNING)
    client.force_login(world.owner)
    url = f"/antraege/{app.pk}/"
    before = _queries(client, url)
    pay(app, world, Decimal("1000.00"))
    pay(app, world, Decimal("500.00"))
    for _ in range(3):
        thread_message_create(application=app, actor=world.case_worker, body="Eine Frage.")
    # Messages add the files and receipts read with them (two), however many there are.
    assert _queries(client, url) == before + 2


def test_the_first_reading_is_shown_on_the_page_that_recorded_it(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    message = thread_message_create(application=app, actor=world.case_worker, body="Eine Frage.")
    client.force_login(world.colleague)
    page = client.get(f"/antraege/{app.pk}/").content.decode()
    read = ThreadRead.objects.get(message=message, user=world.colleague)
    assert read.read_at is not None
    assert "Gelesen von" in page and world.colleague.get_full_name() in page
