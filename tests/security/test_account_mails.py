"""Account mails (confirmation, "account exists", password reset) go through the outbox like
every other mail: a provider outage delays them instead of answering 500 or losing them. The
registration takes as long for a known address as for a new one."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from applicants.models import User
from notifications import outbox
from notifications.models import Kind, Message
from tests.factories import PASSWORD
from tests.notifications import backends

FLAKY = "tests.notifications.backends.FlakyBackend"
NEW_PASSWORD = "ein-langes-Test-Passwort-2026"


def _register(client, email):
    return client.post(
        reverse("applicants:register"),
        {
            "email": email,
            "first_name": "Ayşe",
            "last_name": "Yılmaz",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "de",
            "privacy": "on",
        },
    )


@pytest.fixture
def provider_down(settings):
    settings.EMAIL_BACKEND = FLAKY
    settings.ANYMAIL = {}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    backends.reset(failures=1)
    yield
    backends.reset()


def test_registration_during_a_provider_outage_keeps_the_mail(
    client, db, provider_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, "ayse@verein.example")

    assert response.status_code == 302
    message = Message.objects.get(kind=Kind.VERIFY_EMAIL, to="ayse@verein.example")
    assert message.state == Message.State.READY
    assert message.attempts == 1
    assert mail.outbox == []

    Message.objects.update(next_attempt_at=message.created_at)
    outbox.flush()

    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert "/registrieren/bestaetigen/" in mail.outbox[0].body


def test_password_reset_mail_waits_in_the_outbox(
    client, db, provider_down, django_capture_on_commit_callbacks
):
    User.objects.create_user(email="sam@example.org", password=PASSWORD, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applicants:password_reset"), {"email": "sam@example.org"})

    assert response.status_code == 302
    message = Message.objects.get(kind=Kind.PASSWORD_RESET)
    assert message.state == Message.State.READY
    assert message.language == "en"
    assert "/passwort-neu/" in message.body_text
    assert message.subject == "New password for the funding portal"


def test_known_and_new_addresses_cost_the_same_hashing(client, db, monkeypatch, settings):
    User.objects.create_user(email="known@example.org", password=PASSWORD)
    calls = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)

    known = _register(client, "known@example.org")
    hashed_for_known = len(calls)
    calls.clear()
    new = _register(client, "new@example.org")

    assert known["Location"] == new["Location"] == reverse("applicants:register_done")
    assert hashed_for_known == len(calls) == 1
    assert Message.objects.filter(kind=Kind.ACCOUNT_EXISTS).count() == 1
    assert Message.objects.filter(kind=Kind.VERIFY_EMAIL).count() == 1
