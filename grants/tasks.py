"""Background tasks of the grant procedure (django-tasks; the database backend in development
and production).

A task only says which record to work on; whether the work is still to be done is decided by
the records themselves, so a lost or repeated task neither loses nor doubles anything. Services
import these tasks to enqueue them; a task imports its service only when it runs.
"""

from __future__ import annotations

from django_tasks import task


@task()
def make_decision_letter(decision_id: int) -> bool:
    from grants.services.decisions import decision_letter_make

    return decision_letter_make(decision_id=decision_id) is not None


@task()
def make_submission_pdf(submission_id: int) -> bool:
    from grants.services.application_submissions import submission_pdf_make

    return submission_pdf_make(submission_id=submission_id)
