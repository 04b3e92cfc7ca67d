"""Decisions (proposed by one person, confirmed by another) with their amounts per fiscal year,
the payment plan of a notice, and the letters with the programme's letter templates."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grants.models.applications import Application
from grants.models.base import CENT, MONEY
from grants.models.programmes import FinancingType, Programme


class Decision(models.Model):
    """A proposed and (by a second person) confirmed Bewilligung or Ablehnung."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Bewilligung")
        REJECT = "reject", _("Ablehnung")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        CONFIRMED = "confirmed", _("bestätigt")
        RETURNED = "returned", _("zurückgegeben")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("Entscheidung"), max_length=10, choices=Outcome.choices)
    status = models.CharField(
        _("Stand"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    amount = models.DecimalField(_("Zuwendung"), **MONEY, null=True, blank=True)
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=20, choices=FinancingType.choices, blank=True
    )
    funding_start = models.DateField(_("Förderzeitraum von"), null=True, blank=True)
    funding_end = models.DateField(_("Förderzeitraum bis"), null=True, blank=True)
    purpose = models.TextField(_("Zuwendungszweck"), blank=True)
    conditions = models.TextField(_("Nebenbestimmungen"), blank=True)
    reasons = models.TextField(_("Begründung"), blank=True)
    financing_type_justification = models.TextField(
        _("Begründung der abweichenden Finanzierungsart"),
        blank=True,
        help_text=_("Nötig, wenn die Finanzierungsart von der Regel des Programms abweicht."),
    )
    vote_deviation_reason = models.TextField(
        _("Begründung der Abweichung vom Votum"),
        blank=True,
        help_text=_("Nur wo das Programm es zulässt; die zweite Person bestätigt sie."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The letter is made by a background task after the confirmation commits. Failed attempts
    # are kept here: the case file shows them, and the periodic job tries again.
    letter_attempts = models.PositiveSmallIntegerField(
        _("Versuche, den Bescheid zu erstellen"), default=0, editable=False
    )
    letter_error = models.TextField(
        _("Fehler beim Erstellen des Bescheids"), blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("proposed_by")),
                name="decision_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(outcome="reject")
                | (
                    Q(amount__gt=0)
                    & Q(funding_start__isnull=False)
                    & Q(funding_end__gte=F("funding_start"))
                ),
                name="decision_approval_complete",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="proposed"),
                name="decision_one_pending_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.get_status_display()})"


class DecisionYearAmount(models.Model):
    """The share of an approved grant charged to one fiscal year's budget."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="year_amounts")
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("Jahresanteil")
        verbose_name_plural = _("Jahresanteile")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "fiscal_year"], name="decision_year_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="decision_year_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.amount}"


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Zuwendungsbescheid")
    REJECTION = "rejection", _("Ablehnungsbescheid")
    RECOVERY = "recovery", _("Rückforderungsbescheid")


class LetterTemplate(models.Model):
    """The editable text of a letter, per programme and language, in Django template syntax.

    The frame (letterhead, address, figures, payment plan) is fixed; staff edit the text.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("Förderprogramm"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("Sprache"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("geändert am"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Briefvorlage")
        verbose_name_plural = _("Briefvorlagen")
        ordering = ["programme", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "language"], name="letter_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.get_kind_display()} ({self.language})"


def letter_path(instance: Letter, filename: str) -> str:
    return f"applications/{instance.application_id}/letters/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """A generated letter (PDF) as sent: stored with the application, never regenerated."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    claim = models.ForeignKey(
        "grants.RepaymentClaim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("Sprache"), max_length=5, choices=settings.LANGUAGES)
    file = models.FileField(_("Datei"), upload_to=letter_path)
    filename = models.CharField(_("Dateiname"), max_length=200)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Bescheid / Schreiben")
        verbose_name_plural = _("Bescheide und Schreiben")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="letter_once_per_decision"),
            models.UniqueConstraint(fields=["claim", "kind"], name="letter_once_per_claim"),
        ]

    def __str__(self) -> str:
        return self.filename


class PlannedInstalment(models.Model):
    """Payment plan of a funding notice; taken over as planned payouts once it is final."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="planned_instalments"
    )
    due_date = models.DateField(_("fällig am"))
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("Rate des Zahlungsplans")
        verbose_name_plural = _("Zahlungsplan")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.due_date:%d.%m.%Y}: {self.amount}"
