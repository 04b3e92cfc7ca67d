"""The periodic-job process of production (compose service ``scheduler``): every tick it
reports its own heartbeat, asks the worker for one, and runs the jobs that are due.

Several may run (one per machine): each job is claimed in the shared cache before it runs, so
one scheduler runs it at a time (operations.jobs.job_run_if_due).
"""

from __future__ import annotations

import signal
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from operations import tasks
from operations.jobs import JOBS, job_run_if_due
from operations.models import Heartbeat


class Command(BaseCommand):
    help = "Runs the periodic jobs on their schedule until stopped (SIGTERM finishes the tick)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one tick and stop.")

    def handle(self, *args, once: bool = False, **options) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self.running:
            self.tick()
            if once:
                return
            # Like a request's end: a connection that broke or aged out is not reused.
            close_old_connections()
            # Sleep in short steps so that a stop request is honoured within a second.
            for _ in range(settings.SCHEDULE_TICK_SECONDS):
                if not self.running:
                    return
                time.sleep(1)

    def tick(self) -> None:
        Heartbeat.beat("scheduler")
        tasks.heartbeat.enqueue()
        for job in JOBS.values():
            run = job_run_if_due(job=job)
            if run is not None:
                self.stdout.write(f"{job.name}: {run.outcome}")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
