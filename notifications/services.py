"""Writing messages into the outbox, and the few things staff and users change.

Every function here writes rows only; sending happens after commit in a worker
(:mod:`notifications.outbox`), so a rolled-back change leaves no mail behind.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from applicants.models import Applicant, User
from core.formatting import eur
from grants.models import Application, DomainEvent, StaffRole
from notifications.models import Kind, Message, NotificationPreference
from notifications.rendering import render
from notifications.tasks import send_messages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str = ""
    user: User | None = None


def recipient_for_user(user: User) -> Recipient:
    return Recipient(
        email=user.email.lower(),
        language=user.language or settings.LANGUAGE_CODE,
        name=user.get_full_name(),
        user=user,
    )


def applicant_recipients(application: Application) -> list[Recipient]:
    """Everyone acting for the applicant, and its contact address if no account has it."""
    users = User.objects.filter(
        memberships__applicant_id=application.applicant_id, is_active=True
    ).order_by("id")
    recipients = [recipient_for_user(user) for user in users]
    applicant = application.applicant
    if applicant.contact_email:
        recipients.append(
            Recipient(
                email=applicant.contact_email.lower(),
                language=settings.LANGUAGE_CODE,
                name=applicant.contact_name,
            )
        )
    return _unique(recipients)


def staff_recipients(application: Application) -> list[Recipient]:
    """The assigned case worker, or all case workers of the programme while none is."""
    assigned = application.assigned_to
    if assigned is not None and assigned.is_active:
        return [recipient_for_user(assigned)]
    users = User.objects.filter(
        staff_roles__programme_id=application.programme_id,
        staff_roles__role=StaffRole.Role.CASE_WORKER,
        is_active=True,
    ).order_by("id")
    return _unique(recipient_for_user(user) for user in users)


def _unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    # An account wins over the bare contact address: it knows the language.
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        try:
            validate_email(recipient.email)
        except ValidationError:
            # A broken address must not block the step that announces it.
            logger.warning("Skipping invalid recipient address %r", recipient.email)
            continue
        if recipient.email not in seen:
            seen[recipient.email] = recipient
    return list(seen.values())


def format_date(value: dt.date | str | None) -> str:
    """In the active language: "3. März 2026" or "March 3, 2026"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return formats.date_format(value, "DATE_FORMAT")


def format_money(value: Decimal | str | int | None) -> str:
    return "" if value is None else eur(Decimal(str(value)))


def portal_link(path: str) -> str:
    """An absolute link for a mail: the configured public address, never the request's host."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def base_context(application: Application | None) -> dict[str, Any]:
    context: dict[str, Any] = {"portal_url": portal_link("")}
    if application is not None:
        programme = application.programme
        # The page the mail is about: the applicant's view of the application, and the file
        # for staff; the closing line of every mail links ``page_url``.
        application_url = portal_link(reverse("portal:detail", args=[application.pk]))
        context.update(
            application_url=application_url,
            file_url=portal_link(reverse("casework:file", args=[application.pk])),
            page_url=application_url,
            application=application,
            file_number=application.file_number or "",
            title=application.title,
            applicant_name=application.applicant.name,
            programme_name=programme.name,
            funder=programme.responsible_unit or programme.funding_body.name,
            funder_email=programme.contact_address,
        )
    return context


def message_create(
    *,
    kind: str,
    recipient: Recipient,
    context: dict[str, Any],
    application: Application | None = None,
    event: DomainEvent | None = None,
    attachments: Sequence[dict[str, str]] = (),
    send: bool = True,
) -> Message:
    """Renders ``kind`` in the recipient's language and writes it to the outbox.

    ``context`` may hold callables taking no argument; they are called with the recipient's
    language active, so dates and amounts are formatted for the reader.
    """
    with translation.override(recipient.language):
        values = {
            key: value() if callable(value) and not hasattr(value, "_meta") else value
            for key, value in context.items()
        }
        values.update(recipient_name=recipient.name, recipient_email=recipient.email)
        rendered = render(
            kind,
            recipient.language,
            values,
            programme_id=application.programme_id if application else None,
        )
    message = Message(
        kind=kind,
        to=recipient.email,
        user=recipient.user,
        language=recipient.language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        attachments=list(attachments),
        application=application,
        event=event,
        next_attempt_at=timezone.now(),
    )
    message.full_clean(exclude=["user", "application", "event"])
    message.save()
    if send:
        send_after_commit([message.pk])
    return message


def send_after_commit(message_ids: Sequence[int]) -> None:
    """Hands the messages to the worker once (and only if) the transaction commits. If the
    enqueue itself fails, the periodic flush still finds them READY."""
    if not message_ids:
        return
    ids = list(message_ids)

    def enqueue() -> None:
        try:
            send_messages.enqueue(message_ids=ids)
        except Exception:
            logger.exception("Could not enqueue messages %s; the periodic flush sends them", ids)

    transaction.on_commit(enqueue)


@transaction.atomic
def notify_invitation(
    *,
    email: str,
    applicant: Applicant,
    invited_by: User,
    accept_url: str,
    language: str | None = None,
) -> Message:
    """Invitation to act for ``applicant``; called by whoever creates the invitation, inside
    its transaction. An existing account's language wins over ``language``."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    recipient = (
        recipient_for_user(user)
        if user is not None
        else Recipient(email=email, language=language or settings.LANGUAGE_CODE)
    )
    return message_create(
        kind=Kind.INVITATION,
        recipient=recipient,
        context={
            **base_context(None),
            "applicant_name": applicant.name,
            "inviter_name": invited_by.get_full_name() or invited_by.email,
            "accept_url": accept_url,
        },
    )


@transaction.atomic
def message_resend(*, message: Message, actor: User) -> Message:
    """Staff send a failed message again: attempts start afresh, the sender picks it up."""
    updated = Message.objects.filter(pk=message.pk, state=Message.State.FAILED).update(
        state=Message.State.READY,
        attempts=0,
        next_attempt_at=timezone.now(),
        claim_token="",
        last_error=f"{message.last_error}\n[{timezone.now():%d.%m.%Y %H:%M}] erneut "
        f"angestoßen von {actor.email}".strip(),
    )
    if updated:
        send_after_commit([message.pk])
    message.refresh_from_db()
    return message


def preference_get(user: User) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def preference_update(*, user: User, digest: bool, language: str | None = None) -> None:
    NotificationPreference.objects.update_or_create(user=user, defaults={"digest": digest})
    if language is not None and language != user.language:
        if language not in dict(settings.LANGUAGES):
            raise ValueError(f"Unknown language {language!r}")
        user.language = language
        user.save(update_fields=["language"])
