"""The version of record of each submission: the row written in the submitting transaction,
and its PDF (every answer, the plan, the attachments, the declarations) made by a background
task enqueued after the commit, as the decision letter is: no PDF is rendered while the
application's row is locked, and a submission in a deadline rush costs the web worker tens of
milliseconds instead of the PDF's few hundred (bench/load.py --mode rush). The application
stays locked after its submission until the case worker asks for more, so the worker renders
what was submitted; the download makes the PDF if the task never ran."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applicants.models import User
from grants.models import Application, Submission
from grants.selectors.applications import application_answers
from grants.services.letters import html_to_pdf, letter_language
from grants.tasks import make_submission_pdf

logger = logging.getLogger(__name__)


def submission_create(
    *, application: Application, actor: User, declarations: dict[str, Any] | None
) -> Submission:
    """Records the submission just made; called inside the submitting transaction."""
    last = application.submissions.aggregate(last=Max("number"))["last"] or 0
    submission = Submission.objects.create(
        application=application,
        number=last + 1,
        submitted_by=actor,
        declarations=declarations or {},
    )
    transaction.on_commit(partial(_enqueue_pdf, submission.pk), robust=True)
    return submission


def _enqueue_pdf(submission_id: int) -> None:
    try:
        make_submission_pdf.enqueue(submission_id=submission_id)
    except Exception:
        logger.exception(
            "Could not enqueue the PDF of submission %s; its first download makes it",
            submission_id,
        )


def submission_pdf_make(*, submission_id: int) -> bool:
    """The background step after a submission: makes its PDF unless it exists already."""
    submission = Submission.objects.filter(pk=submission_id, pdf="").first()
    if submission is None:
        return False
    submission_pdf(submission)
    return True


def submission_pdf(submission: Submission) -> bytes:
    """The PDF of the submission, made once and kept with it."""
    if submission.pdf:
        with submission.pdf.open("rb") as stored:
            return stored.read()
    application = submission.application
    with translation.override(letter_language(application)):
        html = render_to_string(
            "grants/applicant/pdf/answers.html",
            {
                "submission": submission,
                "answers": application_answers(application),
                "today": timezone.localdate(),
            },
        )
    pdf = html_to_pdf(html)
    # Another request may have made it meanwhile: keep the first, so the record never changes.
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.pdf:
            locked.pdf.save(submission.filename, ContentFile(pdf), save=True)
        submission.pdf = locked.pdf
    return pdf
