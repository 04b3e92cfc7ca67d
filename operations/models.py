"""What the operations team looks at: runs of the periodic jobs and the processes' heartbeats."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a scheduled job (``operations.jobs``), kept for the admin's list of runs."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("läuft")
        SUCCEEDED = "succeeded", _("erfolgreich")
        FAILED = "failed", _("fehlgeschlagen")

    job = models.CharField(_("Job"), max_length=40, db_index=True)
    dry_run = models.BooleanField(_("Probelauf"), default=False)
    started_at = models.DateTimeField(_("begonnen"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    outcome = models.CharField(
        _("Ergebnis"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    # What the job reported (counts, never personal data) or the error.
    output = models.TextField(_("Ausgabe"), blank=True)

    class Meta:
        verbose_name = _("Joblauf")
        verbose_name_plural = _("Jobläufe")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Heartbeat(models.Model):
    """The last sign of life of a background process (``worker``, ``scheduler``)."""

    name = models.CharField(_("Prozess"), max_length=40, unique=True)
    beat_at = models.DateTimeField(_("zuletzt gemeldet"))

    class Meta:
        verbose_name = _("Lebenszeichen")
        verbose_name_plural = _("Lebenszeichen")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def beat(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
