"""The message thread of an application: writing a message (with attachments), read receipts,
and answering the items of a request for missing items one by one.

Who writes for which side is decided here: the programme's case workers write as the funding
office, the members of the applicant as the applicant; nobody else writes. Each message is
announced by a domain event in its own transaction, so the mail to the other side (the outbox,
notifications/subscribers.py) is written with it or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Membership, User
from applicants.uploads import check_upload
from grants import events
from grants.errors import NotPermitted, RuleViolated
from grants.models import (
    Application,
    ApplicationState,
    DocumentType,
    DomainEvent,
    RequestItem,
    StatusChange,
    ThreadAttachment,
    ThreadMessage,
    ThreadRead,
)
from grants.permissions import is_case_worker_of
from grants.selectors.correspondence import open_request

logger = logging.getLogger(__name__)

S = ApplicationState
MAX_ATTACHMENTS = 5
MAX_BODY = 5000


def thread_side(application: Application, user: User) -> bool:
    """True if ``user`` writes as the funding office, False as the applicant; refused for
    anyone else and, before submission, for everyone (staff do not see drafts)."""
    if application.state == S.DRAFT:
        raise RuleViolated(
            _("Nachrichten an die Förderstelle sind möglich, sobald der Antrag eingereicht ist.")
        )
    if is_case_worker_of(user, application.programme_id):
        return True
    if Membership.objects.filter(user=user, applicant_id=application.applicant_id).exists():
        return False
    raise NotPermitted(
        _("Nur die Antragsteller*in und die Sachbearbeitung des Programms schreiben hier.")
    )


def _checked(uploads: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(uploads) > MAX_ATTACHMENTS:
        raise RuleViolated(_("Höchstens %(n)s Dateien je Nachricht.") % {"n": MAX_ATTACHMENTS})
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as exc:
            raise RuleViolated([f"{upload.name}: {message}" for message in exc.messages]) from exc
    return checked


@transaction.atomic
def thread_message_create(
    *,
    application: Application,
    actor: User,
    body: str,
    uploads: Sequence[UploadedFile] = (),
) -> ThreadMessage:
    """A message to the other side, with its files; the author has read it, the other side
    is told by mail."""
    from_staff = thread_side(application, actor)
    body = (body or "").strip()
    if not body:
        raise RuleViolated(_("Bitte schreiben Sie eine Nachricht."))
    if len(body) > MAX_BODY:
        raise RuleViolated(
            _("Die Nachricht ist zu lang (höchstens %(n)s Zeichen).") % {"n": MAX_BODY}
        )
    checked = _checked(uploads)
    message = ThreadMessage.objects.create(
        application=application, author=actor, from_staff=from_staff, body=body
    )
    for upload, content_type in checked:
        ThreadAttachment.objects.create(
            message=message,
            file=upload,
            original_name=(upload.name or "anhang")[:255],
            content_type=content_type,
            size=upload.size or 0,
        )
    ThreadRead.objects.create(message=message, user=actor)
    event = DomainEvent.objects.create(
        name="message.post",
        application=application,
        actor=actor,
        payload={"message_id": message.pk, "from_staff": from_staff},
    )
    events.publish(event)
    logger.info(
        "message posted",
        extra={
            "application_id": application.pk,
            "message_id": message.pk,
            "actor_id": actor.pk,
            "from_staff": from_staff,
            "attachments": len(checked),
        },
    )
    return message


def thread_mark_read(
    *, application: Application, user: User, thread: list[ThreadMessage] | None = None
) -> int:
    """Read receipts for every message ``user`` has not yet seen; the first reading counts.

    Given the ``thread`` as ``thread_of`` loaded it (with its receipts), the unread messages
    are known without asking again, and the new receipts join the messages' ``readers`` so
    that the page shows them as if they had been there before it was loaded."""
    if thread is None:
        unread = list(
            application.thread_messages.exclude(reads__user=user).values_list("pk", flat=True)
        )
    else:
        unread = [m.pk for m in thread if all(r.user_id != user.pk for r in m.reads.all())]
    receipts = {pk: ThreadRead(message_id=pk, user=user) for pk in unread}
    ThreadRead.objects.bulk_create(list(receipts.values()), ignore_conflicts=True)
    for message in thread or []:
        if message.pk in receipts and message.author_id != user.pk:
            message.readers.append(receipts[message.pk])  # type: ignore[attr-defined]
    return len(unread)


def _named_document_type(text: str, types: Sequence[DocumentType]) -> DocumentType | None:
    """The document type an item asks for: the one whose name the item's text begins with, as
    a whole word ("Satzung", "Satzung in der aktuellen Fassung", not "Satzungsänderung"); the
    longest name wins ("Satzung" and "Satzung des Trägervereins")."""
    words = text.strip().casefold()
    for document_type in sorted(types, key=lambda t: -len(t.name)):
        name = document_type.name.strip().casefold()
        rest = words[len(name) :]
        if name and words.startswith(name) and not rest[:1].isalnum():
            return document_type
    return None


def request_items_create(*, request: StatusChange, items: Sequence[str]) -> list[RequestItem]:
    """The items of a request for missing items, each to be answered on its own. Called by
    the requesting services inside their transaction."""
    application = Application.objects.get(pk=request.application_id)
    types = list(application.programme.document_types.all())
    return RequestItem.objects.bulk_create(
        RequestItem(
            application_id=request.application_id,
            request=request,
            position=position,
            text=text[:500],
            document_type=_named_document_type(text, types),
        )
        for position, text in enumerate(items, 1)
    )


@transaction.atomic
def request_item_answer(
    *,
    item: RequestItem,
    actor: User,
    text: str,
    uploads: Sequence[UploadedFile] = (),
) -> ThreadMessage:
    """The applicant's answer to one item: a message of the thread with the text and the
    files. An item is answered once; a second answer (another member, a second tab) is
    refused and changes nothing."""
    application = Application.objects.select_for_update().get(pk=item.application_id)
    if thread_side(application, actor):
        raise NotPermitted(_("Nur die Antragsteller*in beantwortet eine Nachforderung."))
    request = open_request(application)
    if request is None or request.pk != item.request_id:
        raise RuleViolated(_("Diese Nachforderung ist nicht mehr offen."))
    if not (text or "").strip():
        raise RuleViolated(_("Bitte schreiben Sie eine Antwort zu diesem Punkt."))
    message = thread_message_create(
        application=application,
        actor=actor,
        body=text,
        uploads=uploads,
    )
    claimed = RequestItem.objects.filter(pk=item.pk, answer__isnull=True).update(answer=message)
    if not claimed:
        raise RuleViolated(_("Dieser Punkt ist schon beantwortet."))
    return message
