"""Reads that other parts of the system show: the mails of an application, flagged addresses."""

from __future__ import annotations

from django.db.models import QuerySet

from grants.models import Application
from notifications.models import BouncedAddress, Kind, Message

# Mails about an application that go to staff, not to the applicant's side.
STAFF_KINDS = (Kind.RESUBMITTED, Kind.DIGEST)


def messages_for_application(
    application: Application, *, applicant_view: bool = False
) -> QuerySet[Message]:
    """For the application's timeline: what was sent to whom, and whether it arrived
    (``state``: ready/sending/sent/failed; ``delivery_status``: ""/delivered/bounced/rejected).
    ``applicant_view`` leaves out the mails that went to staff."""
    messages = Message.objects.filter(application=application)
    if applicant_view:
        messages = messages.exclude(kind__in=STAFF_KINDS)
    return messages.only(
        "id",
        "kind",
        "to",
        "user_id",
        "language",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "delivery_status",
        "delivery_status_at",
        "created_at",
        "application_id",
        "event_id",
    ).order_by("created_at", "id")


def failed_messages() -> QuerySet[Message]:
    return Message.objects.filter(state=Message.State.FAILED).order_by("-created_at")


def bounced_address(email: str) -> BouncedAddress | None:
    """The flag to show on a profile: the ESP could not deliver to this address."""
    return BouncedAddress.objects.filter(email=email.strip().lower()).first()


def messages_for_user(user) -> QuerySet[Message]:
    """The mails one person received, newest first (their own page)."""
    return Message.objects.filter(user=user).order_by("-created_at", "-id")
