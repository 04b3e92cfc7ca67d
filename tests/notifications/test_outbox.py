"""The sender: after commit, with retries, exactly once, and never twice by two workers."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationState
from notifications import outbox
from notifications.models import Kind, Message
from notifications.services import Recipient, message_create
from tests.factories import UserFactory, advance, build_world, draft
from tests.notifications import backends

S = ApplicationState
FLAKY = "tests.notifications.backends.FlakyBackend"


def make_messages(count: int) -> list[Message]:
    return [
        message_create(
            kind=Kind.INVITATION,
            recipient=Recipient(email=f"person-{n}@example.org", language="de"),
            context={
                "applicant_name": "Verein",
                "inviter_name": "Alex",
                "accept_url": "https://x.example/a",
            },
            send=False,
        )
        for n in range(count)
    ]


class Clock:
    """Moves ``timezone.now`` forward without sleeping."""

    def __init__(self, monkeypatch) -> None:
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


@pytest.mark.django_db
def test_it_sends_due_messages_and_keeps_the_providers_id(world):
    app = advance(draft(world), world, S.SUBMITTED)

    assert outbox.flush() == 3

    messages = Message.objects.filter(application=app)
    assert {m.state for m in messages} == {Message.State.SENT}
    assert all(m.sent_at and m.attempts == 1 and m.provider_message_id != "" for m in messages)
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {m.to for m in messages}
    html = dict((mimetype, body) for body, mimetype in sent[world.owner.email].alternatives)
    assert app.file_number in html["text/html"]
    assert sent[world.owner.email].metadata == {
        "outbox_id": str(messages.get(to=world.owner.email).pk)
    }
    assert outbox.flush() == 0


@pytest.mark.django_db
def test_after_commit_the_worker_is_asked_to_send_the_new_messages(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    app = draft(world)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        advance(app, world, S.SUBMITTED)

    # The worker's enqueueing, and the submission's PDF of record.
    assert len(callbacks) == 2
    assert Message.objects.filter(application=app, state=Message.State.SENT).count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_what_was_enqueued(settings):
    # Real commits: the worker checks its connection between tasks, which a test wrapped in
    # one transaction would not survive on PostgreSQL.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = build_world()
    app = advance(draft(world), world, S.SUBMITTED)
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert Message.objects.filter(application=app, state=Message.State.SENT).count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_failed_send_is_retried_later_with_growing_delay(settings, monkeypatch):
    settings.EMAIL_BACKEND = FLAKY
    backends.reset(failures=2)
    clock = Clock(monkeypatch)
    (message,) = make_messages(1)

    assert outbox.flush() == 0
    message.refresh_from_db()
    assert message.state == Message.State.READY
    assert message.attempts == 1
    assert "503" in message.last_error
    assert message.next_attempt_at == clock.now + dt.timedelta(seconds=60)

    clock.advance(dt.timedelta(seconds=59))
    assert outbox.flush() == 0, "not due yet"
    clock.advance(dt.timedelta(seconds=1))
    assert outbox.flush() == 0
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == clock.now + dt.timedelta(seconds=120)

    clock.advance(dt.timedelta(seconds=120))
    assert outbox.flush() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENT, 3)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_every_message_is_delivered_exactly_once_after_an_outage(world, settings, monkeypatch):
    settings.EMAIL_BACKEND = FLAKY
    messages = make_messages(5)
    backends.reset(failures=7)  # all five fail once, two of them twice
    clock = Clock(monkeypatch)

    for _round in range(settings.NOTIFICATIONS_MAX_ATTEMPTS):
        outbox.flush()
        clock.advance(dt.timedelta(hours=1))

    assert Counter(m.to[0] for m in mail.outbox) == Counter(m.to for m in messages)
    assert set(Message.objects.values_list("state", flat=True)) == {Message.State.SENT}
    assert backends.state["calls"] == 5 + 7


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_is_failed_and_staff_can_resend_it(
    settings, monkeypatch, client
):
    settings.EMAIL_BACKEND = FLAKY
    backends.reset(failures=settings.NOTIFICATIONS_MAX_ATTEMPTS)
    clock = Clock(monkeypatch)
    (message,) = make_messages(1)

    for _round in range(settings.NOTIFICATIONS_MAX_ATTEMPTS + 2):
        outbox.flush()
        clock.advance(dt.timedelta(days=1))

    message.refresh_from_db()
    assert message.state == Message.State.FAILED
    assert message.attempts == settings.NOTIFICATIONS_MAX_ATTEMPTS
    assert mail.outbox == []

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:notifications_message_changelist")
    assert message.subject in client.get(changelist + "?state__exact=failed").content.decode()
    response = client.post(
        changelist, {"action": "resend", "_selected_action": [message.pk]}, follow=True
    )
    assert response.status_code == 200

    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.READY, 0)
    assert outbox.flush() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_refused_address_is_not_retried(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    (message,) = make_messages(1)

    outbox.flush()

    message.refresh_from_db()
    assert message.state == Message.State.FAILED
    assert message.attempts == 1
    assert message.delivery_status == Message.Delivery.REJECTED


@pytest.mark.django_db
def test_a_message_left_sending_by_a_dead_worker_is_given_back(monkeypatch):
    clock = Clock(monkeypatch)
    (message,) = make_messages(1)
    (claimed,) = outbox.claim()  # the worker dies here, before sending

    assert outbox.release_stale() == 0
    clock.advance(outbox.STALE_AFTER + dt.timedelta(seconds=1))
    assert outbox.release_stale() == 1

    assert outbox.flush() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENT, 2)
    # The dead worker's late report does not overwrite the new owner's record.
    outbox.deliver(claimed)
    message.refresh_from_db()
    assert message.attempts == 2 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_claimed_message_cannot_be_claimed_again():
    (message,) = make_messages(1)

    first = outbox.claim()
    second = outbox.claim()

    assert [m.pk for m in first] == [message.pk]
    assert second == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message(settings):
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip(
            "needs PostgreSQL: SQLite serialises all writers, so workers cannot race "
            "(the conditional UPDATE is tested on both in test_a_claimed_message_cannot_…)"
        )
    settings.EMAIL_BACKEND = FLAKY
    backends.reset(delay=0.01)
    messages = make_messages(40)
    barrier = threading.Barrier(3)
    sent_by: dict[str, int] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            barrier.wait()
            total = 0
            while True:
                # Small batches so that the workers interleave many times.
                batch = outbox.claim(limit=3)
                if not batch:
                    break
                total += sum(outbox.deliver(m) == Message.State.SENT for m in batch)
            sent_by[name] = total
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(sent_by.values()) == 40
    assert len([v for v in sent_by.values() if v]) >= 2, "the workers should have overlapped"
    assert Counter(m.to[0] for m in mail.outbox) == Counter(m.to for m in messages)
    assert set(Message.objects.values_list("state", flat=True)) == {Message.State.SENT}
