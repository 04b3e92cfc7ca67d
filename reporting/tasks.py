"""Background tasks (django-tasks, database backend): long exports with a progress page.

The run row, not the task, is the record: the task only says "run #id now". A repeated task
finds the run claimed and does nothing; a failed one leaves the run FAILED with its message.

The services import this task to enqueue it; the task imports the services only when it runs,
so the two modules do not import each other at load time.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_report(run_id: int) -> str:
    from reporting import services

    return services.report_run_execute(run_id=run_id)
