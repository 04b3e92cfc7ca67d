"""Links in mails lead to the configured public address of the portal (PORTAL_BASE_URL) and to
the page the mail is about, never to the start page of 127.0.0.1:8000 (issue 13, item 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applicants.models import User
from grants.models import ApplicationState
from grants.services.applications import application_request_changes, application_resubmit
from notifications.models import Kind, Message
from tests.factories import PASSWORD, advance, draft

S = ApplicationState
BASE = "https://foerderportal.example.org"
pytestmark = pytest.mark.django_db


def test_the_applicants_mail_links_their_application(world):
    app = advance(draft(world), world, S.SUBMITTED)

    receipt = Message.objects.filter(kind=Kind.RECEIPT, to=world.owner.email).get()

    assert f"{BASE}/antraege/{app.pk}/" in receipt.body_text
    assert "127.0.0.1" not in receipt.body_text


def test_a_case_worker_is_sent_to_the_file(world):
    app = advance(draft(world), world, S.SUBMITTED)
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )

    application_resubmit(application=app, actor=world.owner)

    message = Message.objects.filter(kind=Kind.RESUBMITTED, to=world.case_worker.email).get()
    assert f"{BASE}/sachbearbeitung/antraege/{app.pk}/" in message.body_text


def test_the_digest_links_every_file_and_case_work(world):
    app = advance(draft(world), world, S.SUBMITTED)
    mail.outbox.clear()

    call_command("run_periodic")

    digest = Message.objects.get(kind=Kind.DIGEST, to=world.case_worker.email)
    assert f"{BASE}/sachbearbeitung/antraege/{app.pk}/" in digest.body_text
    assert f"{BASE}/sachbearbeitung/\n" in digest.body_text + "\n"


def test_the_address_follows_the_setting(world, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8106"

    app = advance(draft(world), world, S.SUBMITTED)

    receipt = Message.objects.filter(kind=Kind.RECEIPT, to=world.owner.email).get()
    assert f"http://127.0.0.1:8106/antraege/{app.pk}/" in receipt.body_text


def test_account_mails_ignore_the_host_the_request_named(client, world, settings):
    # An allowed second name (e.g. the internal one behind the proxy) must not leak into mails.
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    User.objects.create_user(email="sam@example.org", password=PASSWORD)

    client.post(
        reverse("applicants:password_reset"),
        {"email": "sam@example.org"},
        HTTP_HOST="evil.example",
    )

    message = Message.objects.get(kind=Kind.PASSWORD_RESET, to="sam@example.org")
    assert f"{BASE}/" in message.body_text
    assert "evil.example" not in message.body_text
