"""The sender: claims due messages, sends them through Django's mail API, retries with backoff.

A message is claimed by one conditional UPDATE (READY → SENDING with a fresh claim token,
``WHERE state = 'ready'``), so two workers never both own it, on SQLite as on PostgreSQL. On
PostgreSQL the candidates are first locked with ``SKIP LOCKED`` so that workers do not queue
behind each other. A worker killed between claiming and recording leaves a SENDING row; the
periodic command gives it back after ``STALE_AFTER`` (the one case where a mail could go out
twice: sent, but not recorded as sent).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from grants.models import Decision, RepaymentClaim
from grants.services.decisions import decision_letter_create
from grants.services.recovery import recovery_notice_create
from notifications.models import Message
from notifications.tasks import send_messages

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
STALE_AFTER = dt.timedelta(minutes=15)
REFUSED_STATUSES = {"rejected", "invalid"}


def max_attempts() -> int:
    return settings.NOTIFICATIONS_MAX_ATTEMPTS


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … times the base delay after the 1st, 2nd, 3rd … failed attempt."""
    return dt.timedelta(seconds=settings.NOTIFICATIONS_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def claim(ids: Iterable[int] | None = None, limit: int = BATCH_SIZE) -> list[Message]:
    """Takes up to ``limit`` due READY messages (of ``ids`` if given) for this worker."""
    now = timezone.now()
    token = get_random_string(32)
    with transaction.atomic():
        due = Message.objects.filter(state=Message.State.READY, next_attempt_at__lte=now)
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(
            due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        # The state condition is what makes the claim safe; the lock above only saves waiting.
        Message.objects.filter(pk__in=candidates, state=Message.State.READY).update(
            state=Message.State.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return list(Message.objects.filter(claim_token=token, state=Message.State.SENDING))


def decision_letter_attachment(decision: Decision) -> dict[str, Any]:
    """The attachment of a decision's mail: names the decision, not a file, because the letter
    is made only after the decision's transaction commits."""
    return {"decision_id": decision.pk, "mimetype": "application/pdf"}


def recovery_notice_attachment(claim: RepaymentClaim) -> dict[str, Any]:
    """The attachment of a repayment claim's mail: its recovery notice, made after the claim's
    commit (or here, by the sender, if that step never ran)."""
    return {"claim_id": claim.pk, "mimetype": "application/pdf"}


def resolve_attachments(message: Message) -> list[dict[str, str]]:
    """The files to send: stored files as they are; a decision's letter as it is on file, made
    now if the step after the decision's commit did not make it (the process died, say), so
    that no decision mail goes out without its notice."""
    files = []
    for attachment in message.attachments:
        if "decision_id" in attachment:
            decision = Decision.objects.select_related("application").get(
                pk=attachment["decision_id"]
            )
            letter = decision_letter_create(decision=decision)
            attachment = {
                "name": letter.file.name,
                "filename": letter.filename,
                "mimetype": attachment["mimetype"],
            }
        elif "claim_id" in attachment:
            claim = RepaymentClaim.objects.select_related("application").get(
                pk=attachment["claim_id"]
            )
            letter = recovery_notice_create(claim=claim)
            attachment = {
                "name": letter.file.name,
                "filename": letter.filename,
                "mimetype": attachment["mimetype"],
            }
        files.append(attachment)
    return files


def build_email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in resolve_attachments(message):
        with default_storage.open(attachment["name"], "rb") as handle:
            email.attach(
                attachment.get("filename") or attachment["name"].rsplit("/", 1)[-1],
                handle.read(),
                attachment.get("mimetype") or "application/octet-stream",
            )
    # Anymail sends these to the ESP; its webhooks give the metadata back, which finds the
    # message even where the ESP's id is not known yet. Other backends ignore them.
    email.metadata = {"outbox_id": str(message.pk)}
    email.tags = [message.kind]
    return email


def deliver(message: Message) -> str:
    """Sends one claimed message and records the outcome; returns the new state."""
    try:
        email = build_email(message)
        email.send()
    except AnymailRecipientsRefused as exc:
        # The ESP refused the address itself: trying again cannot help.
        return _finish(
            message,
            state=Message.State.FAILED,
            last_error=str(exc),
            delivery_status=Message.Delivery.REJECTED,
        )
    except Exception as exc:  # any provider or network error is retried
        logger.warning(
            "Sending message %s failed (attempt %s): %s", message.pk, message.attempts, exc
        )
        return _fail(message, f"{type(exc).__name__}: {exc}")
    status = getattr(email, "anymail_status", None)
    fields: dict = {"provider_message_id": ""}
    if status is not None:
        fields["provider_message_id"] = (
            "" if status.message_id is None else str(status.message_id)[:255]
        )
        if status.status and status.status <= REFUSED_STATUSES:
            fields["delivery_status"] = Message.Delivery.REJECTED
    return _finish(message, state=Message.State.SENT, sent_at=timezone.now(), **fields)


def _fail(message: Message, error: str) -> str:
    if message.attempts >= max_attempts():
        return _finish(message, state=Message.State.FAILED, last_error=error)
    next_attempt_at = timezone.now() + retry_delay(message.attempts)
    state = _finish(
        message, state=Message.State.READY, last_error=error, next_attempt_at=next_attempt_at
    )
    _schedule_retry(message.pk, next_attempt_at)
    return state


def _finish(message: Message, *, state: str, **fields) -> str:
    if "delivery_status" in fields:
        fields["delivery_status_at"] = timezone.now()
    updated = Message.objects.filter(
        pk=message.pk, state=Message.State.SENDING, claim_token=message.claim_token
    ).update(state=state, claim_token="", **fields)
    if not updated:
        # Released as stale while we were sending: the row is no longer ours to record.
        logger.error("Message %s was taken from this worker while it was sending", message.pk)
    return state


def _schedule_retry(message_id: int, run_after: dt.datetime) -> None:
    """Asks the task backend to come back then; where it cannot defer, the periodic flush
    finds the message once it is due."""
    task = send_messages
    try:
        if task.get_backend().supports_defer:
            task.using(run_after=run_after).enqueue(message_ids=[message_id])
    except Exception:
        logger.exception("Could not schedule the retry of message %s", message_id)


def send(ids: Iterable[int]) -> int:
    """Sends those of ``ids`` that are due and not owned by another worker."""
    return sum(1 for message in claim(ids) if deliver(message) == Message.State.SENT)


def flush(limit: int | None = None) -> int:
    """Sends every due message, batch by batch; returns how many were sent."""
    sent = 0
    handled = 0
    while limit is None or handled < limit:
        batch = claim(limit=BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - handled))
        if not batch:
            break
        for message in batch:
            handled += 1
            if deliver(message) == Message.State.SENT:
                sent += 1
    return sent


def release_stale(now: dt.datetime | None = None) -> int:
    """Gives messages of workers that died while sending back to the queue."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = Message.objects.filter(state=Message.State.SENDING, claimed_at__lt=cutoff)
    failed = stale.filter(attempts__gte=max_attempts()).update(
        state=Message.State.FAILED, claim_token="", last_error="Worker stopped while sending"
    )
    released = stale.filter(~Q(attempts__gte=max_attempts())).update(
        state=Message.State.READY, claim_token="", next_attempt_at=timezone.now()
    )
    return failed + released
