"""Tasks for the worker (django-tasks). The scheduler enqueues ``heartbeat`` on every tick, so
a fresh worker heartbeat proves that the worker really takes tasks from the queue."""

from __future__ import annotations

from django_tasks import task

from operations.models import Heartbeat


@task()
def heartbeat() -> None:
    Heartbeat.beat("worker")
