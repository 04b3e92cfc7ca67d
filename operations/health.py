"""``/health/`` for the proxy, the container and monitoring: JSON, 200 when every check
passes, 503 otherwise.

It is answered by a middleware in front of everything else, so that a probe on the container's
own address needs no session, no login, no allowed host name and no TLS redirect.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

HEALTH_PATH = "/health/"
Check = dict[str, Any]


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def check_migrations() -> Check:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {"ok": not pending, "pending": len(pending)}


def _age_check(name: str, max_minutes: int) -> Check:
    from operations.models import Heartbeat

    beat = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if beat is None:
        return {"ok": False, "last_beat": None, "max_age_minutes": max_minutes}
    age = timezone.now() - beat
    return {
        "ok": age <= dt.timedelta(minutes=max_minutes),
        "last_beat": beat.isoformat(),
        "age_seconds": int(age.total_seconds()),
        "max_age_minutes": max_minutes,
    }


def check_worker() -> Check:
    return _age_check("worker", settings.HEALTH_WORKER_MAX_AGE_MINUTES)


def check_scheduler() -> Check:
    return _age_check("scheduler", settings.HEALTH_SCHEDULER_MAX_AGE_MINUTES)


def check_mail() -> Check:
    from notifications.models import Message

    unsent = Message.objects.filter(state__in=[Message.State.READY, Message.State.SENDING])
    oldest = unsent.order_by("created_at").values_list("created_at", flat=True).first()
    max_minutes = settings.HEALTH_MAIL_MAX_AGE_MINUTES
    age = timezone.now() - oldest if oldest else None
    return {
        # A backlog is normal for a few minutes; an old unsent mail means the sender is stuck.
        "ok": age is None or age <= dt.timedelta(minutes=max_minutes),
        "unsent": unsent.count(),
        "failed": Message.objects.filter(state=Message.State.FAILED).count(),
        "oldest_unsent": oldest.isoformat() if oldest else None,
        "max_age_minutes": max_minutes,
    }


def check_disk() -> Check:
    root = settings.PRIVATE_MEDIA_ROOT
    root.mkdir(parents=True, exist_ok=True)
    usage = shutil.disk_usage(root)
    minimum = settings.HEALTH_MIN_FREE_MB * 1024 * 1024
    writable = os.access(root, os.W_OK)
    return {
        "ok": writable and usage.free >= minimum,
        "writable": writable,
        "free_mb": usage.free // (1024 * 1024),
        "min_free_mb": settings.HEALTH_MIN_FREE_MB,
    }


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
    "scheduler": check_scheduler,
    "mail": check_mail,
    "disk": check_disk,
}


DATABASE_CHECKS = ("migrations", "worker", "scheduler", "mail")


def health_report() -> tuple[bool, dict[str, Check]]:
    results: dict[str, Check] = {}
    for name, check in CHECKS.items():
        if name in DATABASE_CHECKS and not results["database"]["ok"]:
            # Each would wait for the same unreachable database again.
            results[name] = {"ok": False, "error": "database unavailable"}
            continue
        try:
            results[name] = check()
        except (DatabaseError, OSError) as exc:
            # The message may name hosts or paths: logged for the operators, not published.
            logger.warning("health check failed", extra={"check": name, "error": str(exc)})
            results[name] = {"ok": False, "error": type(exc).__name__}
    return all(result["ok"] for result in results.values()), results


def health(request: HttpRequest) -> HttpResponse:
    healthy, checks = health_report()
    response = JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks},
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
