import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from operations import jobs
from operations.models import Heartbeat, JobRun

pytestmark = pytest.mark.django_db


def test_a_scheduler_tick_beats_asks_the_worker_and_runs_due_jobs_once():
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert Heartbeat.objects.filter(name="scheduler").exists()
    # The worker's heartbeat is a task in the queue: it proves the worker takes tasks.
    assert DBTaskResult.objects.filter(task_path="operations.tasks.heartbeat").count() == 1
    assert sorted(JobRun.objects.values_list("job", "outcome")) == [
        ("periodic", "succeeded"),
        ("prune_tasks", "succeeded"),
        ("reconcile_queue", "succeeded"),
        ("retention", "succeeded"),
    ]
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert JobRun.objects.count() == 4, "nothing was due on the second tick"


def test_the_worker_runs_the_heartbeat_task():
    from operations.tasks import heartbeat

    heartbeat.call()
    assert Heartbeat.objects.get(name="worker").beat_at is not None


def test_a_failing_job_is_recorded_and_logged_not_raised(monkeypatch, caplog):
    def broken(job_run) -> str:
        raise RuntimeError("kaputt")

    job = jobs.Job("broken", every=jobs.JOBS["periodic"].every, run=broken)
    run = jobs.job_run(job=job)
    run.refresh_from_db()
    assert run.outcome == JobRun.Outcome.FAILED
    assert run.output == "RuntimeError: kaputt"
    assert run.finished_at is not None
    assert any(r.message == "job failed" and r.job == "broken" for r in caplog.records)


def test_run_job_exits_non_zero_when_the_job_fails(monkeypatch):
    def broken(job_run) -> str:
        raise RuntimeError("kaputt")

    monkeypatch.setitem(
        jobs.JOBS, "periodic", jobs.Job("periodic", every=jobs.JOBS["periodic"].every, run=broken)
    )
    with pytest.raises(CommandError, match="periodic failed"):
        call_command("run_job", "periodic", stdout=io.StringIO())


def test_only_the_retention_job_has_a_dry_run():
    with pytest.raises(CommandError, match="no dry run"):
        call_command("run_job", "periodic", "--dry-run", stdout=io.StringIO())
    call_command("run_job", "retention", "--dry-run", stdout=io.StringIO())
    assert JobRun.objects.get().dry_run is True


def test_the_admin_lists_the_last_runs(admin_client):
    jobs.job_run(job=jobs.JOBS["prune_tasks"])
    response = admin_client.get("/admin/operations/jobrun/")
    assert response.status_code == 200
    assert "prune_tasks" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_schedulers_on_several_machines_run_a_job_once():
    """Two schedulers reach the same due job at once: the claim in the shared cache lets one
    run it; the other finds it claimed, and afterwards no longer due."""
    import threading

    from django.db import connection

    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def slow(job_run):
        runs.append("ran")
        started.set()
        release.wait(10)
        return "done"

    job = jobs.Job("race", every=lambda: dt.timedelta(hours=1), run=slow)
    results: list = []

    def scheduler():
        try:
            results.append(jobs.job_run_if_due(job=job))
        finally:
            connection.close()

    first = threading.Thread(target=scheduler)
    first.start()
    started.wait(10)
    second = threading.Thread(target=scheduler)
    second.start()
    second.join(10)
    release.set()
    first.join(10)
    assert runs == ["ran"]
    assert sorted(r is None for r in results) == [False, True]
    assert jobs.job_run_if_due(job=job) is None, "ran an hour ago: not due"
    assert JobRun.objects.filter(job="race").count() == 1
