"""Background tasks (django-tasks; the database backend in development and production).

The task backend only wakes the sender up: whether a message is due, and whether it was
already sent, is decided by the outbox rows themselves. A lost or repeated task therefore
neither loses nor doubles a mail.

The sender imports these tasks to enqueue them; a task imports the sender only when it runs, so
the two modules do not import each other at load time.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_messages(message_ids: list[int]) -> int:
    from notifications import outbox

    return outbox.send(message_ids)


@task()
def flush_outbox() -> int:
    from notifications import outbox

    return outbox.flush()
