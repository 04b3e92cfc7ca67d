"""Runs one periodic job once, recorded like a scheduled run (for cron, or by hand)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations.jobs import JOBS, job_run
from operations.models import JobRun


class Command(BaseCommand):
    help = "Runs one periodic job (periodic, retention, prune_tasks) once and records the run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=sorted(JOBS))
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would change (retention)."
        )

    def handle(self, *args, job: str, dry_run: bool = False, **options) -> None:
        if dry_run and not JOBS[job].dry_run_supported:
            raise CommandError(f"{job} has no dry run")
        run = job_run(job=JOBS[job], dry_run=dry_run)
        self.stdout.write(run.output)
        if run.outcome == JobRun.Outcome.FAILED:
            raise CommandError(f"{job} failed (run {run.pk})")
