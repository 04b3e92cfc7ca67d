"""Handling and review of a file: who is responsible (assignment history), internal notes, the
programme's checklist and criteria, and the Prüfvermerk with its answers and scores."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.base import CENT, ZERO, AppendOnly
from grants.models.programmes import Programme, ProgrammeItem, _unique_code


class InternalNote(AppendOnly):
    """Aktenvermerk for staff only; applicants never see it. Corrections are new notes."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("Vermerk"))
    created_at = models.DateTimeField(_("am"), default=timezone.now)

    class Meta:
        verbose_name = _("Interner Vermerk")
        verbose_name_plural = _("Interne Vermerke")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y}: {self.text[:40]}"


class AssignmentChange(AppendOnly):
    """Who handled a file from when: assignments are history, not just the current value."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignment_changes"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bisher zuständig"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jetzt zuständig"),
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("Begründung"), blank=True)
    created_at = models.DateTimeField(_("am"), default=timezone.now)

    class Meta:
        verbose_name = _("Zuständigkeitswechsel")
        verbose_name_plural = _("Zuständigkeitswechsel")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.previous_id} → {self.assigned_to_id}"


class ChecklistItem(ProgrammeItem):
    """A point of the formal check (formelle Prüfung), e.g. "Antrag fristgerecht"."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="checklist_items",
        verbose_name=_("Förderprogramm"),
    )
    description = models.TextField(_("Erläuterung"), blank=True)

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Prüfpunkt der formellen Prüfung")
        verbose_name_plural = _("Prüfpunkte der formellen Prüfung")
        constraints = _unique_code("checklist_item")


class AssessmentCriterion(ProgrammeItem):
    """A scored criterion of the content assessment (fachliche Prüfung)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="assessment_criteria",
        verbose_name=_("Förderprogramm"),
    )
    description = models.TextField(_("Erläuterung"), blank=True)
    max_score = models.PositiveSmallIntegerField(
        _("Höchstpunktzahl"), default=5, validators=[MinValueValidator(1)]
    )
    weight = models.DecimalField(
        _("Gewichtung"), max_digits=4, decimal_places=2, default=Decimal("1.00")
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        constraints = [
            *_unique_code("assessment_criterion"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]


class Assessment(AppendOnly):
    """One version of the assessment note (Prüfvermerk); a revision is a new version."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Förderung empfohlen")
        REJECT = "reject", _("Ablehnung empfohlen")
        OPEN = "open", _("noch offen")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assessments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("am"), default=timezone.now)
    summary = models.TextField(_("Fachliche Bewertung"))
    recommendation = models.CharField(
        _("Empfehlung"), max_length=10, choices=Recommendation.choices, default=Recommendation.OPEN
    )
    score = models.DecimalField(_("Punkte (gewichtet)"), max_digits=7, decimal_places=2)
    max_score = models.DecimalField(_("erreichbar"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("Prüfvermerk")
        verbose_name_plural = _("Prüfvermerke")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.created_at:%d.%m.%Y}: {self.score}/{self.max_score}"

    @property
    def score_percent(self) -> Decimal:
        if not self.max_score:
            return ZERO
        return (self.score * 100 / self.max_score).quantize(CENT, ROUND_HALF_UP)


class ChecklistAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="checklist_answers"
    )
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    fulfilled = models.BooleanField(_("erfüllt"))
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Prüfpunkt")
        verbose_name_plural = _("Prüfpunkte")
        ordering = ["item__position", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="checklist_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.fulfilled}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AssessmentCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("Punkte"))
    note = models.CharField(_("Begründung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = ["criterion__position", "criterion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterion_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
