"""Background tasks (django-tasks; the database backend in development and production).

The task backend only wakes the sender up: whether a message is due, and whether it was
already sent, is decided by the outbox rows themselves. A lost or repeated task therefore
neither loses nor doubles a mail.
"""

from __future__ import annotations

from django_tasks import task

from notifications import outbox


@task()
def send_messages(message_ids: list[int]) -> int:
    return outbox.send(message_ids)


@task()
def flush_outbox() -> int:
    return outbox.flush()
