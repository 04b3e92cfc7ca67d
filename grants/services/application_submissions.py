"""The version of record of each submission: the row written in the submitting transaction,
and its PDF (every answer, the plan, the attachments, the declarations) made after the commit,
as the decision letter is, so that no PDF is rendered while the application's row is locked.
The download makes the PDF if the step after the commit never ran."""

from __future__ import annotations

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
    transaction.on_commit(partial(_pdf_after_commit, submission.pk), robust=True)
    return submission


def _pdf_after_commit(submission_id: int) -> None:
    submission = Submission.objects.filter(pk=submission_id, pdf="").first()
    if submission is not None:
        submission_pdf(submission)


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
