"""What an applicant submitted, as submitted: one row per submission and resubmission, with
the declarations given and the PDF of every answer, the plan and the attachments. The PDF is
the version of record; the application's rows may change later (a request for items unlocks
them), the submission's PDF never does. The file number a first submission gets comes from
the counter per programme and year below."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.programmes import Programme


def submission_path(instance: Submission, filename: str) -> str:
    return f"applications/{instance.application_id}/submissions/{uuid.uuid4().hex}.pdf"


class Submission(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(
        _("Fassung"), help_text=_("1 = Einreichung, 2 und mehr = erneute Einreichungen")
    )
    submitted_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The answers to the declarations (Erklärungen) as given, with their wording.
    declarations = models.JSONField(_("Erklärungen"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=submission_path, blank=True)

    class Meta:
        verbose_name = _("Einreichung")
        verbose_name_plural = _("Einreichungen")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="submission_number_unique"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="submission_number_1"),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.number})"

    @property
    def filename(self) -> str:
        number = self.application.file_number or str(self.application_id)
        return f"Antrag-{number}-Fassung-{self.number}.pdf"


class FileNumberSequence(models.Model):
    """Last file number given per programme and year; locked row-wise on submission."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="file_number_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.year}: {self.last_number}"
