"""The periodic command: reminders and digests once, however often it runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from grants.models import Application, ApplicationState
from grants.services.applications import application_request_changes, run_deadlines
from grants.services.proof import application_extend_proof_deadline
from notifications.models import Digest, Kind, Message, Reminder
from notifications.periodic import proof_reminder_kind
from notifications.services import preference_update
from tests.factories import advance, draft

S = ApplicationState
pytestmark = pytest.mark.django_db


def run(today: dt.date | None = None) -> str:
    out = StringIO()
    args = ["--today", today.isoformat()] if today else []
    call_command("run_periodic", *args, stdout=out)
    return out.getvalue()


def proof_due_on(world, due: dt.date) -> Application:
    app = advance(draft(world), world, S.FINAL)
    today = timezone.localdate()
    Application.objects.filter(pk=app.pk).update(
        funding_start=today - dt.timedelta(days=200), funding_end=today - dt.timedelta(days=1)
    )
    run_deadlines()
    Application.objects.filter(pk=app.pk).update(proof_due_date=due)
    app.refresh_from_db()
    assert app.state == S.PROOF_DUE
    return app


def reminder_mails(app: Application, kind: str) -> list[str]:
    return [m.to[0] for m in mail.outbox if app.file_number in m.subject and m.tags == [kind]]


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [
        (40, None),
        (28, Reminder.Kind.PROOF_4W),
        (8, Reminder.Kind.PROOF_4W),
        (7, Reminder.Kind.PROOF_1W),
        (0, Reminder.Kind.PROOF_1W),
        (-1, Reminder.Kind.PROOF_OVERDUE),
    ],
)
def test_which_proof_reminder_is_due(days_left, kind):
    today = dt.date(2026, 5, 10)
    assert proof_reminder_kind(today + dt.timedelta(days=days_left), today) == kind


def test_running_twice_sends_each_proof_reminder_once(world):
    today = timezone.localdate()
    app = proof_due_on(world, today + dt.timedelta(days=20))
    mail.outbox.clear()

    run()
    run()

    assert len(reminder_mails(app, Kind.PROOF_REMINDER_4W)) == 3
    assert Reminder.objects.filter(application=app).count() == 1

    # A week before, the second reminder; the day after the deadline, the overdue notice.
    run(today + dt.timedelta(days=14))
    run(today + dt.timedelta(days=14))
    run(today + dt.timedelta(days=21))
    run(today + dt.timedelta(days=22))

    assert len(reminder_mails(app, Kind.PROOF_REMINDER_1W)) == 3
    assert len(reminder_mails(app, Kind.PROOF_OVERDUE)) == 3
    assert set(Reminder.objects.filter(application=app).values_list("kind", flat=True)) == {
        Reminder.Kind.PROOF_4W,
        Reminder.Kind.PROOF_1W,
        Reminder.Kind.PROOF_OVERDUE,
    }


def test_an_extended_deadline_is_reminded_again(world):
    today = timezone.localdate()
    app = proof_due_on(world, today + dt.timedelta(days=5))
    run()
    application_extend_proof_deadline(
        application=app,
        actor=world.case_worker,
        due_date=today + dt.timedelta(days=6),
        reason="Krankheit",
    )

    run()

    assert Reminder.objects.filter(application=app, kind=Reminder.Kind.PROOF_1W).count() == 2


def test_requested_items_are_reminded_once_shortly_before_the_deadline(world):
    today = timezone.localdate()
    app = advance(draft(world), world, S.SUBMITTED)
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=today + dt.timedelta(days=10),
    )
    mail.outbox.clear()

    run()
    assert reminder_mails(app, Kind.RESPONSE_REMINDER) == []

    run(today + dt.timedelta(days=8))
    run(today + dt.timedelta(days=9))

    assert sorted(reminder_mails(app, Kind.RESPONSE_REMINDER)) == sorted(
        [world.owner.email, world.colleague.email, world.applicant.contact_email]
    )


def test_case_workers_get_one_digest_a_day_of_new_and_overdue_work(world):
    new = advance(draft(world), world, S.SUBMITTED)
    late = advance(draft(world), world, S.SUBMITTED)
    application_request_changes(
        application=late,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    Application.objects.filter(pk=late.pk).update(
        response_due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    preference_update(user=world.second_case_worker, digest=False)
    mail.outbox.clear()

    run()
    run()

    digests = [m for m in mail.outbox if m.tags == [Kind.DIGEST]]
    assert [m.to for m in digests] == [[world.case_worker.email]]
    assert new.file_number in digests[0].body
    assert late.file_number in digests[0].body
    assert Digest.objects.filter(user=world.case_worker).count() == 1
    assert world.foreign_case_worker.email not in {m.to[0] for m in mail.outbox}


def test_no_digest_when_there_is_nothing_to_report(world):
    run()

    assert not Message.objects.filter(kind=Kind.DIGEST).exists()


def test_it_moves_deadlines_and_sends_what_they_announce(world):
    app = advance(draft(world), world, S.APPROVED)
    Application.objects.filter(pk=app.pk).update(
        appeal_deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    mail.outbox.clear()

    output = run()

    app.refresh_from_db()
    assert app.state == S.FINAL
    assert "deadlines: {'final': 1" in output
    assert len([m for m in mail.outbox if m.tags == [Kind.NOTICE_FINAL]]) == 3
    assert not Message.objects.exclude(state=Message.State.SENT).exists()
