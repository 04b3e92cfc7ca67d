"""Delivery status from the ESP's tracking webhooks (``anymail.urls``).

Anymail checks the webhook's basic auth (``ANYMAIL["WEBHOOK_SECRET"]``) and refuses a forged
call with 400 before any signal is sent. Here each event is stored once under a key; an ESP
that repeats a call (they retry on timeouts) finds the key taken and changes nothing.
"""

from __future__ import annotations

import hashlib
import logging

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import BouncedAddress, DeliveryEvent, Message

logger = logging.getLogger(__name__)

DELIVERED = {EventType.DELIVERED, EventType.OPENED, EventType.CLICKED}
BOUNCED = {EventType.BOUNCED}
REJECTED = {EventType.REJECTED, EventType.FAILED}
# A later "delivered" does not undo a bounce the ESP already reported for this message.
FINAL = {Message.Delivery.BOUNCED, Message.Delivery.REJECTED}


def connect() -> None:
    tracking.connect(on_tracking, dispatch_uid="notifications.on_tracking")


def on_tracking(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    delivery_event_record(event=event, esp_name=esp_name)


def event_key(event: AnymailTrackingEvent, esp_name: str) -> str:
    if event.event_id:
        return f"{esp_name}:{event.event_id}"[:200]
    # Without an id from the ESP the content itself identifies a repeated call.
    raw = "|".join(
        str(part or "")
        for part in (
            esp_name,
            event.event_type,
            event.message_id,
            event.recipient,
            event.timestamp.isoformat() if event.timestamp else "",
            event.mta_response,
        )
    )
    return f"{esp_name}:sha256:{hashlib.sha256(raw.encode()).hexdigest()}"


def _find_message(event: AnymailTrackingEvent) -> Message | None:
    outbox_id = (event.metadata or {}).get("outbox_id")
    if outbox_id and str(outbox_id).isdigit():
        message = Message.objects.filter(pk=int(outbox_id)).first()
        if message is not None:
            return message
    if event.message_id:
        return (
            Message.objects.filter(provider_message_id=str(event.message_id))
            .order_by("-id")
            .first()
        )
    return None


@transaction.atomic
def delivery_event_record(*, event: AnymailTrackingEvent, esp_name: str) -> DeliveryEvent | None:
    """Stores the event and applies it; ``None`` when it had been processed before."""
    message = _find_message(event)
    try:
        with transaction.atomic():
            stored = DeliveryEvent.objects.create(
                key=event_key(event, esp_name),
                esp=esp_name[:40],
                event_type=str(event.event_type)[:30],
                provider_message_id=str(event.message_id or "")[:255],
                recipient=(event.recipient or "")[:254],
                message=message,
                occurred_at=event.timestamp,
                detail=event.mta_response or event.description or "",
            )
    except IntegrityError:
        return None
    status = _status_for(event.event_type)
    occurred = event.timestamp or timezone.now()
    if message is not None and status:
        changed = Message.objects.filter(pk=message.pk)
        if status not in FINAL:
            changed = changed.exclude(delivery_status__in=FINAL)
        changed.update(
            delivery_status=status, delivery_status_at=occurred, delivery_detail=stored.detail
        )
    address = (event.recipient or (message.to if message else "")).lower()
    if address and status in FINAL:
        _flag_bounced(address, stored.detail or str(event.reject_reason or ""), occurred)
    elif address and status == Message.Delivery.DELIVERED:
        # The address works again (or was fixed at the ESP): drop the flag.
        BouncedAddress.objects.filter(email=address, last_bounced_at__lte=occurred).delete()
    return stored


def _status_for(event_type: str) -> str:
    if event_type in DELIVERED:
        return Message.Delivery.DELIVERED
    if event_type in BOUNCED:
        return Message.Delivery.BOUNCED
    if event_type in REJECTED:
        return Message.Delivery.REJECTED
    return ""


def _flag_bounced(address: str, reason: str, occurred) -> None:
    flagged, created = BouncedAddress.objects.get_or_create(
        email=address,
        defaults={"reason": reason, "first_bounced_at": occurred, "last_bounced_at": occurred},
    )
    if not created:
        BouncedAddress.objects.filter(pk=flagged.pk).update(
            bounces=F("bounces") + 1, reason=reason, last_bounced_at=occurred
        )
