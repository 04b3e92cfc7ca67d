"""Delivery status from the ESP's tracking webhook (Postmark's format, through anymail)."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from django.template import Context, Template
from django.utils import timezone

from grants.models import ApplicationState
from grants.services.applications import application_request_changes, application_resubmit
from notifications import outbox
from notifications.models import BouncedAddress, DeliveryEvent, Message
from notifications.selectors import bounced_address, messages_for_application
from tests.factories import advance, draft

URL = "/anymail/postmark/tracking/"
SECRET = "hook:s3cret-for-tests"  # see conftest.py
pytestmark = pytest.mark.django_db


def auth(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, payload: dict, secret: str | None = SECRET):
    headers = auth(secret) if secret is not None else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def delivered(message: Message, when: str = "2026-03-02T10:00:00Z") -> dict:
    return {
        "RecordType": "Delivery",
        "MessageID": message.provider_message_id,
        "Recipient": message.to,
        "DeliveredAt": when,
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": {"outbox_id": str(message.pk)},
    }


def bounced(message: Message, event_id: int = 4323372036854775807) -> dict:
    return {
        "RecordType": "Bounce",
        "ID": event_id,
        "Type": "HardBounce",
        "MessageID": message.provider_message_id,
        "Email": message.to,
        "BouncedAt": "2026-03-02T10:05:00Z",
        "Details": "smtp;550 5.1.1 user unknown",
        "Description": "The server was unable to deliver your message",
        "Metadata": {"outbox_id": str(message.pk)},
    }


@pytest.fixture
def sent(world) -> list[Message]:
    app = advance(draft(world), world, ApplicationState.SUBMITTED)
    outbox.flush()
    messages = list(Message.objects.filter(application=app).order_by("id"))
    for n, message in enumerate(messages):
        message.provider_message_id = f"pm-{n}-883953f4"
        message.save(update_fields=["provider_message_id"])
    return messages


def test_a_delivery_event_marks_the_message_delivered_once(client, sent):
    message = sent[0]

    assert post(client, delivered(message)).status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == Message.Delivery.DELIVERED
    first_seen = message.delivery_status_at

    # The ESP repeats the call (e.g. after a timeout): nothing changes.
    assert post(client, delivered(message)).status_code == 200
    message.refresh_from_db()
    assert message.delivery_status_at == first_seen
    assert DeliveryEvent.objects.filter(message=message).count() == 1


def test_a_message_is_found_by_the_providers_id_without_metadata(client, sent):
    payload = delivered(sent[1])
    del payload["Metadata"]

    post(client, payload)

    sent[1].refresh_from_db()
    assert sent[1].delivery_status == Message.Delivery.DELIVERED


def test_a_bounce_flags_the_address_once_and_is_not_undone_by_a_late_delivery(client, sent):
    message = sent[0]

    post(client, bounced(message))
    post(client, bounced(message))
    post(client, delivered(message, when="2026-03-02T09:00:00Z"))

    message.refresh_from_db()
    assert message.delivery_status == Message.Delivery.BOUNCED
    assert "user unknown" in message.delivery_detail
    flag = bounced_address(message.to.upper())
    assert flag is not None and flag.bounces == 1
    assert DeliveryEvent.objects.filter(message=message).count() == 2


def test_a_later_delivery_to_a_bounced_address_clears_the_flag(client, sent):
    post(client, bounced(sent[0]))
    later = sent[0]
    later.pk = None
    later.event = None  # a reminder, say: not from the same event
    later.provider_message_id = "pm-later"
    later.delivery_status = ""
    later.save()

    post(client, delivered(later, when="2026-03-05T10:00:00Z"))

    assert bounced_address(sent[0].to) is None


@pytest.mark.parametrize("secret", [None, "hook:wrong", "someone:s3cret-for-tests"])
def test_a_forged_webhook_is_refused_and_changes_nothing(client, sent, secret):
    response = post(client, bounced(sent[0]), secret=secret)

    assert response.status_code in (400, 401, 403)
    sent[0].refresh_from_db()
    assert sent[0].delivery_status == ""
    assert not DeliveryEvent.objects.exists()
    assert not BouncedAddress.objects.exists()


def test_the_timeline_selector_shows_what_was_sent_and_whether_it_arrived(client, sent, world):
    post(client, delivered(sent[0]))
    post(client, bounced(sent[1]))

    rows = list(messages_for_application(sent[0].application))

    assert [(m.to, m.state, m.delivery_status) for m in rows] == [
        (sent[0].to, Message.State.SENT, Message.Delivery.DELIVERED),
        (sent[1].to, Message.State.SENT, Message.Delivery.BOUNCED),
        (sent[2].to, Message.State.SENT, Message.Delivery.UNKNOWN),
    ]


def test_the_timeline_tag_shows_the_applicant_their_mails_and_staff_all(client, sent, world):
    app = sent[0].application
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )
    application_resubmit(application=app, actor=world.owner)
    post(client, delivered(sent[0]))
    template = Template(
        "{% load notifications_tags %}{% application_mails app applicant_view=view %}"
    )

    for_applicant = template.render(Context({"app": app, "view": True}))
    for_staff = template.render(Context({"app": app, "view": False}))

    assert sent[0].subject in for_applicant
    assert "zugestellt" in for_applicant
    assert world.case_worker.email not in for_applicant
    assert world.case_worker.email in for_staff
