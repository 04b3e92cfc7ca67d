"""The periodic jobs of the portal and how one run is recorded.

Production runs them with ``manage.py run_scheduler`` (one process; compose service
``scheduler``) or from cron with ``manage.py run_job NAME`` (docs/operations.md). Every job is
safe to run twice: its own rows (reminders, digests, anonymisation records) decide what is
left to do, not the schedule.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from operations.models import JobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: Callable[[], dt.timedelta]
    # Gets the run being recorded, returns a short report (counts only: it is stored and shown
    # in the admin).
    run: Callable[[JobRun], str]
    dry_run_supported: bool = False


def _command(*args: str) -> Callable[[JobRun], str]:
    def run(job_run: JobRun) -> str:
        out = io.StringIO()
        call_command(*args, stdout=out)
        return out.getvalue().strip()

    return run


def _retention(job_run: JobRun) -> str:
    # Imported here: privacy.retention imports operations.models (its records name the run).
    from privacy.retention import anonymise_expired

    return anonymise_expired(dry_run=job_run.dry_run, job_run=job_run).summary()


JOBS: dict[str, Job] = {
    job.name: job
    for job in [
        Job(
            "periodic",
            every=lambda: dt.timedelta(minutes=settings.SCHEDULE_PERIODIC_MINUTES),
            run=_command("run_periodic"),
        ),
        Job(
            "retention",
            every=lambda: dt.timedelta(hours=24),
            run=_retention,
            dry_run_supported=True,
        ),
        # The work queue's stored figures against plans and states (grants/services/queue.py).
        Job(
            "reconcile_queue",
            every=lambda: dt.timedelta(hours=24),
            run=_command("reconcile_queue"),
        ),
        # Finished task rows hold only message ids; a week is enough to look into a failure.
        Job(
            "prune_tasks",
            every=lambda: dt.timedelta(hours=24),
            run=_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "7"),
        ),
    ]
}


def job_is_due(job: Job, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    last = JobRun.objects.filter(job=job.name, dry_run=False).order_by("-started_at").first()
    return last is None or now - last.started_at >= job.every()


# How long a claim holds at most: longer than any job runs, so that a scheduler that died
# mid-run frees the job by itself.
JOB_CLAIM_SECONDS = 6 * 3600


def job_run_if_due(*, job: Job) -> JobRun | None:
    """Runs ``job`` if it is due and no other scheduler runs it right now. Schedulers on
    several machines claim each job by an atomic add to the shared cache (Redis in
    production): one runs it, the others see the claim, or, once it is released, the fresh
    run that makes the job no longer due. Returns None when there was nothing to do."""
    if not job_is_due(job):
        return None
    key = f"job-claim:{job.name}"
    if not cache.add(key, 1, timeout=JOB_CLAIM_SECONDS):
        logger.info("job claimed elsewhere", extra={"job": job.name})
        return None
    try:
        if not job_is_due(job):  # another scheduler finished it between the two checks
            return None
        return job_run(job=job)
    finally:
        cache.delete(key)


def job_run(*, job: Job, dry_run: bool = False) -> JobRun:
    """Runs ``job`` once and records the run; a failure is recorded and logged, not raised, so
    that one broken job does not stop the others."""
    if dry_run and not job.dry_run_supported:
        raise ValueError(f"Job {job.name} has no dry run")
    run = JobRun.objects.create(job=job.name, dry_run=dry_run)
    logger.info("job started", extra={"job": job.name, "dry_run": dry_run, "job_run": run.pk})
    try:
        run.output = job.run(run)
        run.outcome = JobRun.Outcome.SUCCEEDED
    except Exception as exc:
        logger.exception("job failed", extra={"job": job.name, "job_run": run.pk})
        run.output = f"{type(exc).__name__}: {exc}"
        run.outcome = JobRun.Outcome.FAILED
    run.finished_at = timezone.now()
    run.save(update_fields=["output", "outcome", "finished_at"])
    logger.info(
        "job finished",
        extra={
            "job": job.name,
            "job_run": run.pk,
            "outcome": run.outcome,
            "duration_ms": round((run.duration or 0) * 1000),
        },
    )
    return run
