"""Invitations others can send, and mail texts staff edit in the admin."""

from __future__ import annotations

import pytest
from django.core import mail

from grants.models import ApplicationState
from notifications import outbox
from notifications.models import Kind, Message, MessageTemplate
from notifications.services import notify_invitation
from tests.factories import UserFactory, advance, draft

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/notifications/messagetemplate/add/"


def test_an_invitation_goes_to_a_new_address_in_the_inviters_language(world):
    notify_invitation(
        email=" Neu@Example.org ",
        applicant=world.applicant,
        invited_by=world.owner,
        accept_url="https://portal.example/einladung/abc",
        language="en",
    )

    message = Message.objects.get(kind=Kind.INVITATION)
    assert (message.to, message.language, message.user) == ("neu@example.org", "en", None)
    assert world.applicant.name in message.subject
    assert "https://portal.example/einladung/abc" in message.body_text
    assert outbox.flush() == 1
    assert mail.outbox[0].to == ["neu@example.org"]


def test_an_invited_account_reads_the_invitation_in_its_own_language(world):
    notify_invitation(
        email=world.outsider.email,
        applicant=world.applicant,
        invited_by=world.owner,
        accept_url="https://portal.example/einladung/abc",
        language="en",
    )

    message = Message.objects.get(kind=Kind.INVITATION)
    assert (message.language, message.user) == ("de", world.outsider)
    assert message.subject.startswith("Einladung")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_start_an_edited_template_from_the_shipped_text(admin_client):
    response = admin_client.post(
        ADD_URL, {"kind": Kind.RECEIPT, "language": "en", "subject": "", "body": ""}
    )

    assert response.status_code == 302
    template = MessageTemplate.objects.get()
    assert template.subject == "Receipt: your application {{ file_number }}"
    assert "Your file number is" in template.body
    assert template.programme is None


def test_a_template_with_a_syntax_error_is_refused(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "kind": Kind.RECEIPT,
            "language": "de",
            "subject": "Antrag {{ file_number }}",
            "body": "{% if x %}nie geschlossen",
        },
    )

    assert response.status_code == 200
    assert "Fehler in der Vorlage" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_a_staff_text_that_fails_while_rendering_falls_back_to_the_shipped_one(world):
    MessageTemplate.objects.create(
        kind=Kind.RECEIPT,
        language="de",
        subject="Antrag {{ file_number }}",
        body="{% include 'gibt-es-nicht.txt' %}",
    )

    app = advance(draft(world), world, ApplicationState.SUBMITTED)

    message = Message.objects.get(kind=Kind.RECEIPT, to=world.owner.email)
    assert message.subject == f"Eingangsbestätigung: Ihr Antrag {app.file_number}"


def test_an_invalid_contact_address_is_skipped_not_fatal(world):
    world.applicant.contact_email = "kein-at-zeichen"
    world.applicant.save(update_fields=["contact_email"])

    advance(draft(world), world, ApplicationState.SUBMITTED)

    assert set(Message.objects.values_list("to", flat=True)) == {
        world.owner.email,
        world.colleague.email,
    }
