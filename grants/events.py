"""In-process subscribers to domain events.

``grants.lifecycle.record`` publishes each ``DomainEvent`` right after writing it, inside the
caller's transaction, so a subscriber that writes rows (the mail outbox) commits or rolls back
together with the change. Subscribers register in their ``AppConfig.ready()``.
"""

from collections.abc import Callable

from grants.models import DomainEvent

Subscriber = Callable[[DomainEvent], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(event: DomainEvent) -> None:
    for subscriber in _subscribers:
        subscriber(event)
