"""Data protection: the funder's legal texts and the record of what was anonymised."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LegalText(models.Model):
    """The privacy notice and the imprint, in German and English, edited by the funder in the
    admin. Shown as plain text (escaped, paragraphs kept, addresses linked)."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Datenschutzerklärung")
        IMPRINT = "imprint", _("Impressum")

    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, unique=True)
    text_de = models.TextField(_("Text (Deutsch)"))
    text_en = models.TextField(
        _("Text (Englisch)"), blank=True, help_text=_("leer = der deutsche Text wird gezeigt")
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def text(self, language: str | None = None) -> str:
        language = language or get_language() or "de"
        if language.startswith("en") and self.text_en.strip():
            return self.text_en
        return self.text_de


class AnonymisationRecord(models.Model):
    """One record (application or account) anonymised by the retention job: the log the
    data-protection officer can show. Names no person, only the class, the id and the rule.
    Unique per record, so a second run of the job does the work only once."""

    class RecordClass(models.TextChoices):
        REJECTED = "rejected", _("abgelehnter Antrag")
        WITHDRAWN = "withdrawn", _("zurückgezogener Antrag")
        DRAFT = "draft", _("nicht eingereichter Entwurf")
        CLOSED = "closed", _("abgeschlossener Förderfall")
        ACCOUNT = "account", _("Konto ohne Anträge")
        DELETED_ACCOUNT = "deleted_account", _("auf Wunsch gelöschtes Konto")
        APPLICANT = "applicant", _("Antragsteller*in ohne offene Fälle")

    record_class = models.CharField(_("Klasse"), max_length=20, choices=RecordClass.choices)
    model = models.CharField(_("Datensatzart"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("Datensatz-ID"))
    # The file number stays in the files anyway (budget law); shown so the log is readable.
    reference = models.CharField(_("Aktenzeichen"), max_length=40, blank=True)
    job_run = models.ForeignKey(
        "operations.JobRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="anonymisations",
        verbose_name=_("Joblauf"),
    )
    anonymised_at = models.DateTimeField(_("anonymisiert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Anonymisierung")
        verbose_name_plural = _("Anonymisierungen")
        ordering = ["-anonymised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="anonymised_once"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
