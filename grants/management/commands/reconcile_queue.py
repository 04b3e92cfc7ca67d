"""Checks (and repairs) the figures the work queue keeps on each application.

    python manage.py reconcile_queue            # daily, as the scheduler's job "reconcile_queue"
    python manage.py reconcile_queue --check    # report only

``requested_amount`` and ``next_deadline`` are written by the services that change the plan and
the state (grants/services/queue.py). A difference means a path that forgot them: it is logged
at ERROR (the monitoring's alert) and repaired, so the queue shows the truth again.
"""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand

from grants.services.queue import queue_figures_reconcile

logger = logging.getLogger("grants.reconciliation")


class Command(BaseCommand):
    help = "Check and repair the stored figures of the work queue."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="report only, repair nothing")

    def handle(self, *args, check: bool = False, **options) -> None:
        drift = queue_figures_reconcile(repair=not check)
        for figure, count in drift.items():
            if count:
                logger.error("%s applications had a stale %s", count, figure)
        self.stdout.write(
            " ".join(f"{figure}={count}" for figure, count in drift.items())
            + (" (checked only)" if check else "")
        )
