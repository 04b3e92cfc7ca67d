"""Case work: assignment, internal notes, assessment, committees, letters, proof checks and
base rates. Configuration (checklists, criteria, committees, letter texts) is per programme."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.audit import AppendOnly
from grants.models.base import CENT, MONEY, ZERO
from grants.models.configuration import Programme, ProgrammeItem, _unique_code
from grants.models.lifecycles import Application, CommitteeVote, CostLine, Decision

if TYPE_CHECKING:
    pass


# ---------------------------------------------------------------------------------------------
# Case work: assignment, internal notes, assessment, committees, letters, proof checks, base
# rates. Configuration (checklists, criteria, committees, letter texts) is per programme, so a
# further programme is data here too.
# ---------------------------------------------------------------------------------------------


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
        Programme, on_delete=models.CASCADE, related_name="checklist_items"
    )
    description = models.TextField(_("Erläuterung"), blank=True)

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Prüfpunkt der formellen Prüfung")
        verbose_name_plural = _("Prüfpunkte der formellen Prüfung")
        constraints = _unique_code("checklist_item")


class AssessmentCriterion(ProgrammeItem):
    """A scored criterion of the content assessment (fachliche Prüfung)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="assessment_criteria"
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


class Committee(models.Model):
    """A deciding body: Arbeitsausschuss des WIR 2.0-Kuratoriums, Fachjury, …"""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(_("Name"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="committee_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("stimmberechtigt"), default=True)

    class Meta:
        verbose_name = _("Gremiumsmitglied")
        verbose_name_plural = _("Gremiumsmitglieder")
        ordering = ["committee", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """Sitzung of a committee; closed once its minutes are final."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("Sitzung am"))
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    minutes = models.TextField(_("Niederschrift"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    # Raised by every change of the meeting or its items: a stale form is refused (no lost
    # update when two people record votes or minutes at once).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%d.%m.%Y}"

    @property
    def programme(self) -> Programme:
        return self.committee.programme


class AgendaItem(models.Model):
    """An application on a meeting's agenda, with the amount proposed and, later, the vote."""

    class Result(models.TextChoices):
        PENDING = "", _("noch nicht beraten")
        APPROVE = "approve", _("Bewilligung empfohlen")
        REJECT = "reject", _("Ablehnung empfohlen")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("TOP"))
    proposed_amount = models.DecimalField(
        _("vorgeschlagener Betrag"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    result = models.CharField(
        _("Ergebnis"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    recommended_amount = models.DecimalField(
        _("empfohlener Betrag"), **MONEY, null=True, blank=True
    )
    vote = models.OneToOneField(
        CommitteeVote, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_item"
    )

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnung")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="agenda_item_once_per_meeting"
            ),
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique"),
            models.CheckConstraint(
                condition=Q(proposed_amount__gt=0), name="agenda_item_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"TOP {self.position}: {self.application}"


class ConflictOfInterest(models.Model):
    """Befangenheit: the member declared a conflict for this item and does not vote on it."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("Grund"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "member"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.agenda_item}"


class MemberVote(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nein")
        ABSTAIN = "abstain", _("Enthaltung")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="member_votes"
    )
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "member"], name="member_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Zuwendungsbescheid")
    REJECTION = "rejection", _("Ablehnungsbescheid")


class LetterTemplate(models.Model):
    """The editable text of a letter, per programme and language, in Django template syntax.

    The frame (letterhead, address, figures, payment plan) is fixed; staff edit the text.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("Sprache"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    legal_remedies = models.TextField(_("Rechtsbehelfsbelehrung"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("geändert am"), default=timezone.now)

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
            models.UniqueConstraint(fields=["decision", "kind"], name="letter_once_per_decision")
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


class ProofCheck(AppendOnly):
    """The check of a proof of use: quick (plausibility) or in depth (receipts), with what the
    case worker recognised per cost line where it differs from what was claimed."""

    class Depth(models.TextChoices):
        QUICK = "quick", _("einfache Prüfung")
        IN_DEPTH = "in_depth", _("vertiefte Prüfung")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="proof_checks"
    )
    depth = models.CharField(_("Prüftiefe"), max_length=10, choices=Depth.choices)
    findings = models.TextField(_("Prüfergebnis"))
    recognised_costs = models.DecimalField(_("anerkannte Ausgaben"), **MONEY)
    justified_amount = models.DecimalField(_("zustehende Zuwendung"), **MONEY)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("am"), default=timezone.now)

    class Meta:
        verbose_name = _("Nachweisprüfung")
        verbose_name_plural = _("Nachweisprüfungen")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_depth_display()}"


class ProofCheckLine(models.Model):
    check_record = models.ForeignKey(ProofCheck, on_delete=models.CASCADE, related_name="lines")
    cost_line = models.ForeignKey(CostLine, on_delete=models.PROTECT, related_name="+")
    claimed_amount = models.DecimalField(_("nachgewiesen"), **MONEY)
    recognised_amount = models.DecimalField(
        _("anerkannt"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    note = models.CharField(_("Begründung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Prüfposition")
        verbose_name_plural = _("Prüfpositionen")
        constraints = [
            models.CheckConstraint(
                condition=Q(recognised_amount__gte=0)
                & Q(recognised_amount__lte=F("claimed_amount")),
                name="proof_line_recognised_within_claimed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cost_line}: {self.recognised_amount}"


class BaseRate(models.Model):
    """Basiszinssatz under § 247 BGB as the Bundesbank announces it (1 January and 1 July);
    interest under § 49a (3) VwVfG is five points above it."""

    valid_from = models.DateField(_("gültig ab"), unique=True)
    rate_percent = models.DecimalField(_("Basiszinssatz in %"), max_digits=5, decimal_places=2)
    source = models.CharField(_("Quelle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Basiszinssatz")
        verbose_name_plural = _("Basiszinssätze")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d.%m.%Y}: {self.rate_percent} %"
