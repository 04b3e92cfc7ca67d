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
the confirmation of a proposal checks the programme's rules on it (three more).

Issue 14 (26.11.2026, evening): what the rules of every step and the page read more than once
is loaded once (the plan's rows, the decisions, the history, the payouts and claims), the
application comes with its programme, call, applicant and the person responsible; claims and
the proof check are asked only once a proof check set the justified amount, letters only when
there are decisions or claims, agenda items and the items of a request only when the history
holds a referral or a request; the messages are marked as read only when one is new. The
pinned counts: submitted 38 → 21, in review 59 → 21, decision proposed 48 → 24, running with a
paid payout 41 → 23 (the benchmark's file on PostgreSQL: 41 → 22). The count does not grow with the rows of a file (it did: 64 queries with
one row of each kind, 72 with three)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applicants.models import StandardDocument
from grants.models import (
    AgendaItem,
    ApplicationState,
    Committee,
    DocumentOpening,
    InternalNote,
    Letter,
    Meeting,
    Payout,
    Receipt,
    Repayment,
    RepaymentClaim,
    RequestItem,
    StatusChange,
    ThreadAttachment,
    ThreadMessage,
    ThreadRead,
)
from tests.factories import advance, draft, pay

S = ApplicationState


def _file(client, app):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/sachbearbeitung/antraege/{app.pk}/")
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    ("state", "most"), [(S.SUBMITTED, 21), (S.IN_REVIEW, 21), (S.DECISION_PROPOSED, 24)]
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
    assert len(queries) <= 23


def _rows(app, world, n: int) -> None:
    """``n`` of every kind of row the file lists: notes, openings, messages with files and
    read receipts, payouts sent back for certification, claims with repayments, receipts with
    files, items of a request, standard documents, letters and agenda items (the request and
    the referral in the history, as their services record them)."""
    request, _referral = (
        StatusChange.objects.create(
            application=app,
            lifecycle="application",
            transition=transition,
            source_state=app.state,
            target_state=app.state,
        )
        for transition in ("request_changes", "refer_to_committee")
    )
    decision = app.decisions.get()
    committee = Committee.objects.filter(programme=world.programme).first()
    for i in range(n):
        meeting = Meeting.objects.create(
            committee=committee, date=timezone.localdate(), created_by=world.case_worker
        )
        InternalNote.objects.create(application=app, author=world.case_worker, text=f"V{i}")
        DocumentOpening.objects.create(
            application=app,
            actor=world.second_case_worker,
            kind="anlage",
            document_id=i + 1,
            file_name=f"{i}.pdf",
            inline=bool(i % 2),
        )
        message = ThreadMessage.objects.create(
            application=app, author=world.owner, from_staff=False, body=f"Nachricht {i}"
        )
        for j in range(2):
            ThreadAttachment.objects.create(
                message=message,
                file=f"x/{i}{j}.pdf",
                original_name=f"{i}{j}.pdf",
                content_type="application/pdf",
                size=10,
            )
        ThreadRead.objects.create(message=message, user=world.owner)
        ThreadRead.objects.create(message=message, user=world.second_case_worker)
        payout = Payout.objects.create(
            application=app,
            programme=world.programme,
            state=Payout.State.RETURNED,
            kind=Payout.objects.filter(application=app).first().kind,
            amount=Decimal("10.00"),
            fiscal_year=timezone.localdate().year,
            due_date=timezone.localdate(),
            payee_name="Verein",
            payee_iban="DE89370400440532013000",
            requested_by=world.case_worker,
        )
        StatusChange.objects.create(
            application=app,
            payout=payout,
            lifecycle="payout",
            transition="return_for_certification",
            source_state="certified",
            target_state="returned",
            reason="Neue Bankverbindung",
        )
        claim = RepaymentClaim.objects.create(
            application=app,
            principal=Decimal("100.00"),
            reason="Weniger Ausgaben",
            due_date=timezone.localdate(),
            created_by=world.case_worker,
        )
        for day in (1, 2):
            Repayment.objects.create(
                claim=claim,
                received_on=dt.date(2026, 1, day),
                amount=Decimal("10.00"),
                recorded_by=world.case_worker,
            )
        Letter.objects.create(
            application=app,
            claim=claim,
            kind="recovery",
            language="de",
            file=f"l/{i}.pdf",
            filename=f"{i}.pdf",
            created_by=world.case_worker,
        )
        Receipt.objects.create(
            application=app,
            cost_line=app.cost_lines.first(),
            number=100 + i,
            date=timezone.localdate(),
            payee="Druckerei",
            description="Flyer",
            amount=Decimal("1.00"),
            file=f"r/{i}.pdf",
            original_name=f"beleg{i}.pdf",
            content_type="application/pdf",
            size=3,
        )
        RequestItem.objects.create(
            application=app, request=request, position=i + 1, text=f"Punkt {i}"
        )
        StandardDocument.objects.create(
            applicant=app.applicant,
            kind="other",
            file=f"s/{i}.pdf",
            original_name=f"s{i}.pdf",
            content_type="application/pdf",
            size=5,
            uploaded_by=world.owner,
        )
        AgendaItem.objects.create(
            meeting=meeting, application=app, position=1, proposed_amount=decision.amount
        )


def test_the_file_asks_as_often_with_many_rows_as_with_one(client, world):
    one, many = (advance(draft(world), world, S.RUNNING) for _ in range(2))
    for app, n in [(one, 1), (many, 3)]:
        pay(app, world, Decimal("1000.00"))
        advance(app, world, S.PROOF_ACCEPTED)
        _rows(app, world, n)
    client.force_login(world.case_worker)
    _file(client, one), _file(client, many)  # the first visit marks the messages as read
    assert len(_file(client, many)) == len(_file(client, one))


def test_figures_read_from_the_loaded_rows_are_those_of_the_database(world):
    """The case file prefetches the rows its rules read; what they derive from them is what
    the database says."""
    from django.db.models import prefetch_related_objects

    from grants.services.base import application_seen

    app = advance(draft(world), world, S.RUNNING)
    pay(app, world, Decimal("1000.00"))
    advance(app, world, S.PROOF_ACCEPTED)
    RepaymentClaim.objects.create(
        application=app,
        principal=Decimal("100.00"),
        reason="Weniger Ausgaben",
        due_date=timezone.localdate(),
        created_by=world.case_worker,
    )
    fresh = type(app).objects.get(pk=app.pk)
    loaded = type(app).objects.get(pk=app.pk)
    prefetch_related_objects(
        [loaded],
        "cost_lines",
        "financing_lines__category",
        "decisions",
        "status_changes",
        "payouts",
        "repayment_claims",
    )
    with CaptureQueriesContext(connection) as queries:
        figures = (
            loaded.plan,
            loaded.pending_decision,
            loaded.paid_amount,
            loaded.repayable_amount,
            application_seen(loaded),
        )
    assert queries.captured_queries == []
    assert figures == (
        fresh.plan,
        fresh.pending_decision,
        fresh.paid_amount,
        fresh.repayable_amount,
        application_seen(fresh),
    )
