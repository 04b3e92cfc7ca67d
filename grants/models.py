"""The grant domain: programmes and their rules, budgets, calls, applications and their
lifecycles, payouts, repayment claims, and the audit trail.

Every rule that differs between funders (caps, shares, thresholds, areas, categories, periods)
is a row here, so that a further programme is configuration, not code. Lifecycle rules live on
the models as django-fsm transitions; work across several models lives in ``services.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applicants.models import Applicant, ApplicantKind, Membership
from grants.rules import AllOf, Permission, condition

if TYPE_CHECKING:
    from applicants.models import User

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


def money(value: Decimal | int | str | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the 31st plus one month is the last day of a shorter
    month, as deadlines are counted under § 188 BGB."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Programme configuration
# ---------------------------------------------------------------------------------------------


class FinancingType(models.TextChoices):
    FIXED_AMOUNT = "fixed_amount", _("Festbetragsfinanzierung")
    PROPORTIONAL = "proportional", _("Anteilsfinanzierung")
    DEFICIT = "deficit", _("Fehlbedarfsfinanzierung")


class FundingBody(models.Model):
    """The public body that grants (Zuwendungsgeber), as it signs its letters."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    department = models.CharField(_("Organisationseinheit"), max_length=200, blank=True)
    address = models.TextField(_("Anschrift"), blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)

    class Meta:
        verbose_name = _("Zuwendungsgeber")
        verbose_name_plural = _("Zuwendungsgeber")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A funding programme (Förderprogramm) with its budget lines and rules."""

    funding_body = models.ForeignKey(
        FundingBody, on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.CharField(
        _("Kürzel"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]+$", _("Nur Großbuchstaben und Ziffern."))],
        help_text=_("Erscheint im Aktenzeichen, z. B. WIR2-2026-0001."),
    )
    name = models.CharField(_("Name"), max_length=200)
    legal_basis = models.TextField(_("Rechtsgrundlage"), blank=True)
    description = models.TextField(_("Beschreibung in einfacher Sprache"), blank=True)
    responsible_unit = models.CharField(_("Zuständige Stelle"), max_length=200, blank=True)

    teilhaushalt = models.CharField(_("Teilhaushalt"), max_length=10)
    produkt = models.CharField(_("Produkt"), max_length=20)
    produkt_name = models.CharField(_("Produktbezeichnung"), max_length=200, blank=True)
    sachkonto = models.CharField(
        _("Sachkonto"),
        max_length=8,
        validators=[RegexValidator(r"^\d{8}$", _("Das Sachkonto hat genau 8 Ziffern."))],
    )
    kostenstelle = models.CharField(_("Kostenstelle"), max_length=20)
    innenauftrag = models.CharField(_("Innenauftrag"), max_length=20, blank=True)

    max_amount_per_application = models.DecimalField(
        _("Höchstbetrag je Antrag"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    min_own_share_percent = models.DecimalField(
        _("Mindest-Eigenanteil in %"),
        **PERCENT,
        default=Decimal("0.00"),
        validators=[MinValueValidator(ZERO)],
    )
    administrative_decision_limit = models.DecimalField(
        _("Verwaltung entscheidet allein bis"),
        **MONEY,
        default=ZERO,
        help_text=_("Darüber entscheidet ein Gremium."),
    )
    max_project_months = models.PositiveSmallIntegerField(
        _("Höchstlaufzeit in Monaten"), default=12
    )
    proof_of_use_months = models.PositiveSmallIntegerField(
        _("Frist Verwendungsnachweis (Monate nach Ende)"), default=6
    )
    appeal_period_months = models.PositiveSmallIntegerField(
        _("Rechtsbehelfsfrist in Monaten"), default=1
    )
    payout_need_months = models.PositiveSmallIntegerField(
        _("Mittelabruf für Bedarf der nächsten Monate"), default=2
    )
    eligible_applicant_kinds = models.JSONField(
        _("Antragsberechtigt"),
        default=list,
        help_text=_("Liste der zugelassenen Arten von Antragstellenden."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.eligible_applicant_kinds) - set(ApplicantKind.values)
        if unknown:
            raise ValidationError(
                {"eligible_applicant_kinds": _("Unbekannte Arten: %s") % ", ".join(sorted(unknown))}
            )

    def financing_type_for(self, amount: Decimal, own_share_percent: Decimal) -> str:
        """The financing type the programme's rules suggest for a grant of ``amount``."""
        for rule in self.financing_type_rules.all():
            if rule.applies(amount, own_share_percent):
                return rule.financing_type
        return FinancingType.PROPORTIONAL


class FinancingTypeRule(models.Model):
    """Which financing type a grant gets by amount (and own share); first matching rule wins."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="financing_type_rules"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    amount_up_to = models.DecimalField(
        _("bis Betrag"), **MONEY, null=True, blank=True, help_text=_("leer = ohne Obergrenze")
    )
    min_own_share_percent = models.DecimalField(
        _("nur bei Eigenanteil ab %"), **PERCENT, null=True, blank=True
    )
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=20, choices=FinancingType.choices
    )

    class Meta:
        verbose_name = _("Regel zur Finanzierungsart")
        verbose_name_plural = _("Regeln zur Finanzierungsart")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="financing_rule_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} #{self.position}: {self.get_financing_type_display()}"

    def applies(self, amount: Decimal, own_share_percent: Decimal) -> bool:
        if self.amount_up_to is not None and amount > self.amount_up_to:
            return False
        return self.min_own_share_percent is None or own_share_percent >= self.min_own_share_percent


class ProgrammeItem(models.Model):
    """A named entry of a programme's configuration list."""

    code = models.CharField(_("Schlüssel"), max_length=20)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        abstract = True
        ordering = ["programme", "position", "name"]

    def __str__(self) -> str:
        return self.name


def _unique_code(name: str) -> list[models.UniqueConstraint]:
    return [models.UniqueConstraint(fields=["programme", "code"], name=f"{name}_code_unique")]


class FundingArea(ProgrammeItem):
    """Förderbereich, e.g. Großprojekte / Kleinprojekte of WIR 2.0."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funding_areas")

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Förderbereich")
        verbose_name_plural = _("Förderbereiche")
        constraints = _unique_code("funding_area")


class FieldOfAction(ProgrammeItem):
    """Handlungsfeld or subject area of a programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="fields_of_action"
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        constraints = _unique_code("field_of_action")


class Area(ProgrammeItem):
    """Where projects take place: a Stadtbezirk or a town of the Region."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        constraints = _unique_code("area")


class TargetGroup(ProgrammeItem):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="target_groups")

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")
        constraints = _unique_code("target_group")


class CostCategory(ProgrammeItem):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="cost_categories"
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Ausgabenart")
        verbose_name_plural = _("Ausgabenarten")
        constraints = _unique_code("cost_category")


class FinancingKind(models.TextChoices):
    OWN_FUNDS = "own_funds", _("Eigenmittel")
    OWN_WORK = "own_work", _("Eigenleistung / Sachleistung (Geldwert)")
    OTHER_PUBLIC = "other_public", _("Andere öffentliche Mittel")
    PRIVATE = "private", _("Stiftungen und Spenden")
    INCOME = "income", _("Teilnahmebeiträge und Einnahmen")
    GRANT = "grant", _("Beantragte Zuwendung")


OWN_SHARE_KINDS = (FinancingKind.OWN_FUNDS, FinancingKind.OWN_WORK)


class FinancingCategory(ProgrammeItem):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="financing_categories"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=FinancingKind.choices)

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Finanzierungsart im Plan")
        verbose_name_plural = _("Finanzierungsarten im Plan")
        constraints = _unique_code("financing_category")


class DocumentType(ProgrammeItem):
    """A kind of attachment; ``required_for_submission`` ones must be there before submitting."""

    class Stage(models.TextChoices):
        APPLICATION = "application", _("Antrag")
        PROOF_OF_USE = "proof_of_use", _("Verwendungsnachweis")
        CORRESPONDENCE = "correspondence", _("Schriftverkehr")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="document_types"
    )
    stage = models.CharField(
        _("Verfahrensschritt"), max_length=20, choices=Stage.choices, default=Stage.APPLICATION
    )
    required_for_submission = models.BooleanField(_("Pflicht bei Einreichung"), default=False)

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Dokumentart")
        verbose_name_plural = _("Dokumentarten")
        constraints = _unique_code("document_type")


class StaffRole(models.Model):
    """Which programmes a staff member works on, and as what."""

    class Role(models.TextChoices):
        CASE_WORKER = "case_worker", _("Sachbearbeitung")
        FINANCE = "finance", _("Finanzbuchhaltung")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "role"], name="staff_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme.code} – {self.get_role_display()}"


def has_programme_role(user: User | None, programme_id: int, role: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return StaffRole.objects.filter(user=user, programme_id=programme_id, role=role).exists()


# ---------------------------------------------------------------------------------------------
# Budgets and calls
# ---------------------------------------------------------------------------------------------


class Budget(models.Model):
    """The money of a programme for one fiscal year (and Förderbereich, where split).

    ``committed`` is the running total of the ledger below. It only changes through a
    conditional UPDATE in ``grants.budget``; the check constraint lets the database itself
    refuse an over-commit, whatever runs concurrently.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    funding_area = models.ForeignKey(
        FundingArea, on_delete=models.PROTECT, null=True, blank=True, related_name="budgets"
    )
    amount = models.DecimalField(_("Ansatz"), **MONEY, validators=[MinValueValidator(ZERO)])
    committed = models.DecimalField(_("gebunden"), **MONEY, default=ZERO, editable=False)
    is_example = models.BooleanField(
        _("Beispielwert"),
        default=False,
        help_text=_("Kein beschlossener Ansatz, nur für Demonstration und Planung."),
    )
    note = models.CharField(_("Bemerkung"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Budget")
        verbose_name_plural = _("Budgets")
        ordering = ["programme", "fiscal_year", "funding_area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year", "funding_area"],
                name="budget_unique_per_area",
            ),
            models.UniqueConstraint(
                fields=["programme", "fiscal_year"],
                condition=Q(funding_area__isnull=True),
                name="budget_unique_without_area",
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=F("amount")),
                name="budget_never_overcommitted",
            ),
        ]

    def __str__(self) -> str:
        area = f" – {self.funding_area}" if self.funding_area_id else ""
        return f"{self.programme.code} {self.fiscal_year}{area}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed


class BudgetEntry(models.Model):
    """One booking in the budget ledger. Corrections are counter-entries, never edits."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Bindung (Bewilligung)")
        RELEASE = "release", _("Freigabe (Minderung, Widerruf)")
        REPAYMENT = "repayment", _("Rückfluss (Erstattung)")

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(
        "Application", on_delete=models.PROTECT, related_name="budget_entries"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("Betrag"), **MONEY, help_text=_("positiv bindet, negativ gibt frei")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gebucht am"), default=timezone.now)
    note = models.CharField(_("Buchungstext"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Budgetbuchung")
        verbose_name_plural = _("Budgetbuchungen")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="commitment") & Q(amount__gt=0))
                | (Q(kind__in=["release", "repayment"]) & Q(amount__lt=0)),
                name="budget_entry_sign_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget}: {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("Budgetbuchungen werden nicht geändert, nur gegengebucht."))
        super().save(*args, **kwargs)


class Call(models.Model):
    """Förderaufruf: a window in which applications to a programme are accepted."""

    class DecisionTrack(models.TextChoices):
        BY_AMOUNT = "by_amount", _("nach Betragsgrenze des Programms")
        ADMINISTRATION = "administration", _("Verwaltung entscheidet (niedrigschwellig)")
        COMMITTEE = "committee", _("Gremium / Jury entscheidet")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    funding_area = models.ForeignKey(
        FundingArea, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    title = models.CharField(_("Titel"), max_length=200)
    theme = models.TextField(_("Thema"), blank=True)
    opens_at = models.DateTimeField(_("Beginn"))
    deadline = models.DateTimeField(_("Einsendeschluss"))
    max_amount_per_application = models.DecimalField(
        _("Höchstbetrag je Antrag in diesem Aufruf"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("leer = Höchstbetrag des Programms"),
    )
    decision_track = models.CharField(
        _("Entscheidungsweg"),
        max_length=20,
        choices=DecisionTrack.choices,
        default=DecisionTrack.BY_AMOUNT,
    )
    deciding_body = models.CharField(_("Entscheidungsgremium"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Förderaufruf")
        verbose_name_plural = _("Förderaufrufe")
        ordering = ["-deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")), name="call_deadline_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.title}"

    def is_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at <= self.deadline

    @property
    def cap(self) -> Decimal:
        if self.max_amount_per_application is not None:
            return min(self.max_amount_per_application, self.programme.max_amount_per_application)
        return self.programme.max_amount_per_application


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


# ---------------------------------------------------------------------------------------------
# Who may act
# ---------------------------------------------------------------------------------------------


def _application_of(obj: models.Model) -> Application:
    return obj if isinstance(obj, Application) else obj.application


APPLICANT = Permission(
    _("Antragsteller*in"),
    _("Nur Mitglieder der antragstellenden Organisation dürfen diesen Schritt ausführen."),
    lambda obj, user: (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(
            user=user, applicant_id=_application_of(obj).applicant_id
        ).exists()
    ),
)
CASE_WORKER = Permission(
    _("Sachbearbeitung des Programms"),
    _("Nur die für dieses Programm zuständige Sachbearbeitung darf diesen Schritt ausführen."),
    lambda obj, user: has_programme_role(
        user, _application_of(obj).programme_id, StaffRole.Role.CASE_WORKER
    ),
)
FINANCE = Permission(
    _("Finanzbuchhaltung des Programms"),
    _("Nur die für dieses Programm zuständige Finanzbuchhaltung darf diesen Schritt ausführen."),
    lambda obj, user: has_programme_role(
        user, _application_of(obj).programme_id, StaffRole.Role.FINANCE
    ),
)
SYSTEM = Permission(
    _("System (Fristenlauf)"),
    _("Dieser Schritt wird nur vom System beim Fristablauf ausgeführt."),
    lambda obj, user: user is None,
)
NOT_PROPOSER = Permission(
    _("nicht die vorschlagende Person (Vier-Augen-Prinzip)"),
    _(
        "Vier-Augen-Prinzip: Die Entscheidung muss von einer anderen Person bestätigt werden "
        "als der, die sie vorgeschlagen hat."
    ),
    lambda app, user: (
        (proposal := app.pending_decision) is not None and proposal.proposed_by_id != user.pk
    ),
)
NOT_CERTIFIER = Permission(
    _("nicht die Person, die sachlich/rechnerisch richtig gezeichnet hat (Vier-Augen-Prinzip)"),
    _(
        "Vier-Augen-Prinzip: Die Anordnung muss eine andere Person treffen als die, die "
        "sachlich und rechnerisch richtig gezeichnet hat."
    ),
    lambda payout, user: payout.certified_by_id != user.pk,
)
SECOND_CASE_WORKER = AllOf(CASE_WORKER, NOT_PROPOSER)
ORDERING_CASE_WORKER = AllOf(CASE_WORKER, NOT_CERTIFIER)


# ---------------------------------------------------------------------------------------------
# Application and its lifecycle
# ---------------------------------------------------------------------------------------------


class ApplicationState(models.TextChoices):
    """States as staff name them; ``APPLICANT_LABELS`` says the same for applicants."""

    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("Eingereicht – formelle Prüfung")
    CHANGES_REQUESTED = "changes_requested", _("Nachforderung")
    IN_REVIEW = "in_review", _("Fachliche Prüfung")
    AWAITING_VOTE = "awaiting_vote", _("Wartet auf Votum")
    VOTED = "voted", _("Votum liegt vor")
    DECISION_PROPOSED = "decision_proposed", _("Entscheidung vorgeschlagen")
    APPROVED = "approved", _("Bewilligt")
    REJECTED = "rejected", _("Abgelehnt")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")
    FINAL = "final", _("Bestandskräftig")
    RUNNING = "running", _("Projekt läuft")
    PROOF_DUE = "proof_due", _("Verwendungsnachweis fällig")
    PROOF_SUBMITTED = "proof_submitted", _("Verwendungsnachweis in Prüfung")
    PROOF_CHANGES_REQUESTED = "proof_changes_requested", _("Verwendungsnachweis: Nachforderung")
    PROOF_ACCEPTED = "proof_accepted", _("Verwendungsnachweis geprüft")
    REPAYMENT_CLAIMED = "repayment_claimed", _("Rückforderung offen")
    REPAID = "repaid", _("Erstattet")
    REVOKED = "revoked", _("Widerrufen")
    CLOSED = "closed", _("Abgeschlossen")


S = ApplicationState

APPLICANT_LABELS: dict[str, str] = {
    S.DRAFT: _("Entwurf – noch nicht eingereicht"),
    S.SUBMITTED: _("Eingegangen – wird geprüft"),
    S.CHANGES_REQUESTED: _("Bitte Unterlagen nachreichen"),
    S.IN_REVIEW: _("In Bearbeitung"),
    S.AWAITING_VOTE: _("In Bearbeitung – Beratung im Gremium"),
    S.VOTED: _("In Bearbeitung – Entscheidung folgt"),
    S.DECISION_PROPOSED: _("In Bearbeitung – Entscheidung folgt"),
    S.APPROVED: _("Bewilligt – Bescheid liegt vor"),
    S.REJECTED: _("Abgelehnt"),
    S.WITHDRAWN: _("Zurückgezogen"),
    S.FINAL: _("Bewilligt – Mittel können abgerufen werden"),
    S.RUNNING: _("Projekt läuft"),
    S.PROOF_DUE: _("Bitte Verwendungsnachweis einreichen"),
    S.PROOF_SUBMITTED: _("Verwendungsnachweis eingegangen – wird geprüft"),
    S.PROOF_CHANGES_REQUESTED: _("Bitte Verwendungsnachweis ergänzen"),
    S.PROOF_ACCEPTED: _("Verwendungsnachweis geprüft"),
    S.REPAYMENT_CLAIMED: _("Rückzahlung offen"),
    S.REPAID: _("Rückzahlung eingegangen"),
    S.REVOKED: _("Bescheid widerrufen"),
    S.CLOSED: _("Abgeschlossen"),
}

# States in which the applicant may still edit the application's content.
EDITABLE_STATES = (S.DRAFT, S.CHANGES_REQUESTED)
# Before the notice the applicant may withdraw.
WITHDRAWABLE_STATES = (
    S.SUBMITTED,
    S.CHANGES_REQUESTED,
    S.IN_REVIEW,
    S.AWAITING_VOTE,
    S.VOTED,
    S.DECISION_PROPOSED,
)
# With a notice in force: money may be called, the notice may be revoked.
GRANTED_STATES = (
    S.APPROVED,
    S.FINAL,
    S.RUNNING,
    S.PROOF_DUE,
    S.PROOF_SUBMITTED,
    S.PROOF_CHANGES_REQUESTED,
    S.PROOF_ACCEPTED,
)
PAYABLE_STATES = (
    S.FINAL,
    S.RUNNING,
    S.PROOF_DUE,
    S.PROOF_SUBMITTED,
    S.PROOF_CHANGES_REQUESTED,
    S.PROOF_ACCEPTED,
)
# Budget figures count these as committed.
COMMITTED_STATES = (*GRANTED_STATES, S.REPAYMENT_CLAIMED, S.REPAID, S.CLOSED)


@dataclass(frozen=True)
class PlanSummary:
    """Figures derived from the cost and financing plan; never typed by anyone."""

    total_costs: Decimal
    total_financing: Decimal
    own_share: Decimal
    requested_amount: Decimal

    @property
    def balanced(self) -> bool:
        return self.total_costs > 0 and self.total_costs == self.total_financing

    @property
    def difference(self) -> Decimal:
        return self.total_financing - self.total_costs

    @property
    def own_share_percent(self) -> Decimal:
        if not self.total_costs:
            return ZERO
        return (self.own_share * 100 / self.total_costs).quantize(CENT, ROUND_HALF_UP)

    @property
    def funding_rate_percent(self) -> Decimal:
        if not self.total_costs:
            return ZERO
        return (self.requested_amount * 100 / self.total_costs).quantize(CENT, ROUND_HALF_UP)


# --- conditions of application transitions -------------------------------------------------


@condition(
    _(
        "Der Finanzierungsplan ist nicht ausgeglichen: Ausgaben und Einnahmen müssen gleich hoch sein."
    )
)
def plan_balances(app: Application) -> bool:
    return app.plan.balanced


@condition(_("Es ist keine Zuwendung beantragt."))
def grant_requested(app: Application) -> bool:
    return app.plan.requested_amount > 0


@condition(_("Die beantragte Zuwendung übersteigt den Höchstbetrag dieses Aufrufs."))
def within_cap(app: Application) -> bool:
    return app.plan.requested_amount <= app.call.cap


@condition(_("Der Förderaufruf ist nicht geöffnet oder die Einreichungsfrist ist abgelaufen."))
def call_open(app: Application) -> bool:
    return app.call.is_open()


@condition(_("Titel, Kurzbeschreibung, Ziele und Projektzeitraum müssen ausgefüllt sein."))
def project_described(app: Application) -> bool:
    return bool(app.title and app.summary and app.goals and app.start_date and app.end_date)


@condition(
    _(
        "Das Projekt darf nicht vor der Antragstellung beginnen (außer mit Antrag auf vorzeitigen Maßnahmebeginn)."
    )
)
def not_started_yet(app: Application) -> bool:
    return app.early_start_requested or (
        app.start_date is not None and app.start_date > timezone.localdate()
    )


@condition(_("Die Projektlaufzeit überschreitet die Höchstlaufzeit des Programms."))
def period_within_limit(app: Application) -> bool:
    if not (app.start_date and app.end_date):
        return False
    return app.end_date <= add_months(app.start_date, app.programme.max_project_months)


@condition(_("Diese Art von Antragstellenden ist im Programm nicht antragsberechtigt."))
def applicant_eligible(app: Application) -> bool:
    return app.applicant.kind in app.programme.eligible_applicant_kinds


@condition(_("Es fehlen Pflichtunterlagen."))
def required_documents_attached(app: Application) -> bool:
    return not app.missing_document_types()


@condition(
    _(
        "Der Eigenanteil liegt unter dem Mindestanteil des Programms und es ist keine Begründung im Aktenvermerk erfasst."
    )
)
def own_share_rule_met(app: Application) -> bool:
    return app.plan.own_share_percent >= app.programme.min_own_share_percent or bool(
        app.own_share_justification.strip()
    )


@condition(_("Für diesen Betrag muss zuerst ein Gremium ein Votum abgeben."))
def vote_requirement_met(app: Application) -> bool:
    return not app.needs_committee_vote or app.votes.exists()


@condition(_("Für diesen Antrag ist kein Gremiumsvotum vorgesehen."))
def committee_required(app: Application) -> bool:
    return app.needs_committee_vote


@condition(_("Es liegt kein Entscheidungsvorschlag zur Bewilligung vor."))
def approval_proposed(app: Application) -> bool:
    proposal = app.pending_decision
    return proposal is not None and proposal.outcome == Decision.Outcome.APPROVE


@condition(_("Es liegt kein Entscheidungsvorschlag zur Ablehnung vor."))
def rejection_proposed(app: Application) -> bool:
    proposal = app.pending_decision
    return proposal is not None and proposal.outcome == Decision.Outcome.REJECT


@condition(_("Die Rechtsbehelfsfrist ist noch nicht abgelaufen."))
def appeal_period_over(app: Application) -> bool:
    return app.appeal_deadline is not None and app.appeal_deadline < timezone.localdate()


@condition(_("Der Förderzeitraum hat noch nicht begonnen."))
def funding_period_started(app: Application) -> bool:
    return app.funding_start is not None and app.funding_start <= timezone.localdate()


@condition(_("Der Förderzeitraum ist noch nicht beendet."))
def funding_period_over(app: Application) -> bool:
    return app.funding_end is not None and app.funding_end < timezone.localdate()


@condition(_("Es besteht ein Erstattungsanspruch; bitte zuerst eine Rückforderung erheben."))
def nothing_to_repay(app: Application) -> bool:
    return app.repayable_amount == 0


@condition(_("Es wurde nichts ausgezahlt, was zurückgefordert werden könnte."))
def something_to_repay(app: Application) -> bool:
    return app.repayable_amount > 0


@condition(_("Die Rückforderung ist noch nicht vollständig beglichen."))
def repayment_settled(app: Application) -> bool:
    return not app.repayment_claims.filter(state=RepaymentClaim.State.OPEN).exists()


@condition(_("Es sind noch Auszahlungen in Bearbeitung."))
def no_open_payouts(app: Application) -> bool:
    return not app.payouts.filter(state__in=Payout.OPEN_STATES).exists()


class Application(ConcurrentTransitionMixin, models.Model):
    """Antrag auf Zuwendung, from the first draft to the closed file."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    funding_area = models.ForeignKey(
        FundingArea, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("zuständig"),
    )
    state = FSMField(
        _("Status"),
        default=S.DRAFT,
        choices=ApplicationState.choices,
        protected=True,
        db_index=True,
    )
    file_number = models.CharField(
        _("Aktenzeichen"), max_length=30, null=True, blank=True, unique=True, editable=False
    )

    title = models.CharField(_("Projekttitel"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    goals = models.TextField(_("Ziele"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, verbose_name=_("Zielgruppen"))
    fields_of_action = models.ManyToManyField(
        FieldOfAction, blank=True, verbose_name=_("Handlungsfelder")
    )
    areas = models.ManyToManyField(Area, blank=True, verbose_name=_("Gebiete"))
    start_date = models.DateField(_("Projektbeginn"), null=True, blank=True)
    end_date = models.DateField(_("Projektende"), null=True, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("Erwartete Teilnehmende"), null=True, blank=True
    )
    early_start_requested = models.BooleanField(
        _("Vorzeitiger Maßnahmebeginn beantragt"), default=False
    )
    early_start_reason = models.TextField(_("Begründung vorzeitiger Beginn"), blank=True)

    proof_report = models.TextField(_("Sachbericht"), blank=True)

    own_share_justification = models.TextField(
        _("Aktenvermerk: Begründung geringerer Eigenanteil"), blank=True
    )

    # Booked by services when the decision is confirmed; never typed in a form.
    approved_amount = models.DecimalField(
        _("Bewilligter Betrag"), **MONEY, null=True, blank=True, editable=False
    )
    financing_type = models.CharField(
        _("Finanzierungsart"),
        max_length=20,
        choices=FinancingType.choices,
        blank=True,
        editable=False,
    )
    funding_start = models.DateField(_("Förderzeitraum von"), null=True, blank=True, editable=False)
    funding_end = models.DateField(_("Förderzeitraum bis"), null=True, blank=True, editable=False)
    appeal_deadline = models.DateField(
        _("Ende der Rechtsbehelfsfrist"), null=True, blank=True, editable=False
    )
    proof_due_date = models.DateField(
        _("Verwendungsnachweis fällig am"), null=True, blank=True, editable=False
    )
    justified_amount = models.DecimalField(
        _("Nach Prüfung zustehende Zuwendung"), **MONEY, null=True, blank=True, editable=False
    )
    response_due_date = models.DateField(
        _("Frist für Nachreichung"), null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="application_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="application_approved_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(file_number__isnull=False),
                name="application_file_number_after_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_number or _('Entwurf')}: {self.title}"

    # --- derived figures ------------------------------------------------------------------

    @property
    def plan(self) -> PlanSummary:
        costs = self.cost_lines.aggregate(total=Sum("amount"))["total"] or ZERO
        financing = {
            row["category__kind"]: row["total"]
            for row in self.financing_lines.values("category__kind").annotate(total=Sum("amount"))
        }
        return PlanSummary(
            total_costs=money(costs),
            total_financing=money(sum(financing.values(), ZERO)),
            own_share=money(sum((financing.get(k, ZERO) for k in OWN_SHARE_KINDS), ZERO)),
            requested_amount=money(financing.get(FinancingKind.GRANT, ZERO)),
        )

    @property
    def applicant_label(self) -> str:
        return APPLICANT_LABELS[self.state]

    @property
    def needs_committee_vote(self) -> bool:
        track = self.call.decision_track
        if track == Call.DecisionTrack.COMMITTEE:
            return True
        if track == Call.DecisionTrack.ADMINISTRATION:
            return False
        return self.plan.requested_amount > self.programme.administrative_decision_limit

    @property
    def pending_decision(self) -> Decision | None:
        return self.decisions.filter(status=Decision.Status.PROPOSED).order_by("-id").first()

    @property
    def paid_amount(self) -> Decimal:
        total = self.payouts.filter(state=Payout.State.PAID).aggregate(s=Sum("amount"))["s"]
        return money(total)

    @property
    def paid_or_pending_amount(self) -> Decimal:
        """Money paid or on its way: what the approval must still cover."""
        total = self.payouts.exclude(state=Payout.State.CANCELLED).aggregate(s=Sum("amount"))["s"]
        return money(total)

    @property
    def repayable_amount(self) -> Decimal:
        """Paid money the checked figures (or a revocation) no longer justify and that has not
        yet been claimed back."""
        if self.justified_amount is None:
            return ZERO
        claimed = self.repayment_claims.exclude(state=RepaymentClaim.State.CANCELLED).aggregate(
            s=Sum("principal")
        )["s"]
        return max(ZERO, self.paid_amount - self.justified_amount - money(claimed))

    def missing_document_types(self) -> list[DocumentType]:
        present = set(self.attachments.values_list("document_type_id", flat=True))
        return [
            doc
            for doc in self.programme.document_types.filter(
                stage=DocumentType.Stage.APPLICATION, required_for_submission=True
            )
            if doc.pk not in present
        ]

    def proof_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state in (S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED, S.RUNNING) and bool(
            self.proof_due_date and self.proof_due_date < today
        )

    # --- lifecycle ------------------------------------------------------------------------
    # Transition bodies only change this object in memory; services save, book and log.

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=APPLICANT,
        conditions=[
            project_described,
            applicant_eligible,
            call_open,
            not_started_yet,
            period_within_limit,
            plan_balances,
            grant_requested,
            within_cap,
            required_documents_attached,
        ],
    )
    def submit(self, *, file_number: str) -> None:
        """Einreichen: the file number is given and the application is locked."""
        self.file_number = file_number
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=[S.SUBMITTED, S.IN_REVIEW],
        target=S.CHANGES_REQUESTED,
        permission=CASE_WORKER,
    )
    def request_changes(self, *, due_date: dt.date) -> None:
        """Nachforderung: unlocks the application for the applicant until ``due_date``."""
        self.response_due_date = due_date

    @transition(
        field=state,
        source=S.CHANGES_REQUESTED,
        target=S.SUBMITTED,
        permission=APPLICANT,
        conditions=[
            project_described,
            plan_balances,
            grant_requested,
            within_cap,
            period_within_limit,
            required_documents_attached,
        ],
    )
    def resubmit(self) -> None:
        """Nachgereicht: back to the case worker; the call's deadline no longer applies."""
        self.response_due_date = None

    @transition(field=state, source=S.SUBMITTED, target=S.IN_REVIEW, permission=CASE_WORKER)
    def start_review(self) -> None:
        """Formal check passed; the content assessment begins."""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.AWAITING_VOTE,
        permission=CASE_WORKER,
        conditions=[committee_required],
    )
    def refer_to_committee(self) -> None:
        """Put on the agenda of the deciding committee."""

    @transition(field=state, source=S.AWAITING_VOTE, target=S.VOTED, permission=CASE_WORKER)
    def record_vote(self) -> None:
        """The committee's vote (Votum) is recorded."""

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.VOTED],
        target=S.DECISION_PROPOSED,
        permission=CASE_WORKER,
        conditions=[vote_requirement_met, plan_balances, within_cap, own_share_rule_met],
    )
    def propose_approval(self) -> None:
        """First pair of eyes: proposes a funding notice."""

    @transition(
        field=state,
        source=[S.SUBMITTED, S.IN_REVIEW, S.VOTED],
        target=S.DECISION_PROPOSED,
        permission=CASE_WORKER,
    )
    def propose_rejection(self) -> None:
        """First pair of eyes: proposes a reasoned rejection."""

    @transition(
        field=state,
        source=S.DECISION_PROPOSED,
        target=S.IN_REVIEW,
        permission=SECOND_CASE_WORKER,
    )
    def return_proposal(self) -> None:
        """The second person does not confirm; the proposal goes back for rework."""

    @transition(
        field=state,
        source=S.DECISION_PROPOSED,
        target=S.APPROVED,
        permission=SECOND_CASE_WORKER,
        conditions=[approval_proposed],
    )
    def approve(self, *, decision: Decision, appeal_deadline: dt.date) -> None:
        """Bewilligung confirmed by a second person; the service commits the budget."""
        self.approved_amount = decision.amount
        self.financing_type = decision.financing_type
        self.funding_start = decision.funding_start
        self.funding_end = decision.funding_end
        self.appeal_deadline = appeal_deadline
        self.proof_due_date = add_months(decision.funding_end, self.programme.proof_of_use_months)
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.DECISION_PROPOSED,
        target=S.REJECTED,
        permission=SECOND_CASE_WORKER,
        conditions=[rejection_proposed],
    )
    def reject(self) -> None:
        """Ablehnung confirmed by a second person."""
        self.decided_at = timezone.now()

    @transition(field=state, source=WITHDRAWABLE_STATES, target=S.WITHDRAWN, permission=APPLICANT)
    def withdraw(self) -> None:
        """The applicant withdraws before the notice is issued."""

    @transition(field=state, source=S.APPROVED, target=S.FINAL, permission=APPLICANT)
    def waive_appeal(self) -> None:
        """Rechtsbehelfsverzicht: the notice becomes final at once."""

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.FINAL,
        permission=SYSTEM,
        conditions=[appeal_period_over],
    )
    def expire_appeal_period(self) -> None:
        """Bestandskraft after the appeal period passed without appeal."""

    @transition(
        field=state,
        source=S.FINAL,
        target=S.RUNNING,
        permission=SYSTEM,
        conditions=[funding_period_started],
    )
    def start_project(self) -> None:
        """The funding period has begun."""

    @transition(
        field=state,
        source=S.RUNNING,
        target=S.PROOF_DUE,
        permission=SYSTEM,
        conditions=[funding_period_over],
    )
    def end_funding_period(self) -> None:
        """The funding period is over; the proof of use is due."""

    @transition(
        field=state,
        source=[S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED],
        target=None,
        permission=CASE_WORKER,
    )
    def extend_proof_deadline(self, *, due_date: dt.date) -> None:
        """Fristverlängerung for the proof of use; the state stays as it is."""
        self.proof_due_date = due_date

    @transition(
        field=state,
        source=[S.RUNNING, S.PROOF_DUE],
        target=S.PROOF_SUBMITTED,
        permission=APPLICANT,
    )
    def submit_proof(self, *, report: str) -> None:
        """Verwendungsnachweis eingereicht, with its narrative report (Sachbericht)."""
        self.proof_report = report

    @transition(
        field=state,
        source=S.PROOF_SUBMITTED,
        target=S.PROOF_CHANGES_REQUESTED,
        permission=CASE_WORKER,
    )
    def request_proof_changes(self, *, due_date: dt.date) -> None:
        """Nachforderung zum Verwendungsnachweis, with a deadline."""
        self.response_due_date = due_date

    @transition(
        field=state,
        source=S.PROOF_CHANGES_REQUESTED,
        target=S.PROOF_SUBMITTED,
        permission=APPLICANT,
    )
    def resubmit_proof(self, *, report: str) -> None:
        """The completed proof of use goes back to the case worker."""
        self.proof_report = report
        self.response_due_date = None

    @transition(
        field=state,
        source=S.PROOF_SUBMITTED,
        target=S.PROOF_ACCEPTED,
        permission=CASE_WORKER,
        conditions=[no_open_payouts],
    )
    def accept_proof(self, *, justified_amount: Decimal) -> None:
        """Proof of use checked; ``justified_amount`` is what the actual figures justify."""
        self.justified_amount = justified_amount

    @transition(
        field=state,
        source=[S.PROOF_ACCEPTED, S.REVOKED],
        target=S.REPAYMENT_CLAIMED,
        permission=CASE_WORKER,
        conditions=[something_to_repay],
    )
    def claim_repayment(self) -> None:
        """Rückforderung: part or all of the paid grant is claimed back."""

    @transition(
        field=state,
        source=S.REPAYMENT_CLAIMED,
        target=S.REPAID,
        permission=CASE_WORKER,
        conditions=[repayment_settled],
    )
    def record_repayment(self) -> None:
        """The claim has been paid back in full."""

    @transition(
        field=state,
        source=GRANTED_STATES,
        target=S.REVOKED,
        permission=CASE_WORKER,
    )
    def revoke(self) -> None:
        """Widerruf of the notice, in full; paid money is then claimed back."""
        self.justified_amount = ZERO

    @transition(
        field=state,
        source=[S.PROOF_ACCEPTED, S.REPAID, S.REVOKED],
        target=S.CLOSED,
        permission=CASE_WORKER,
        conditions=[nothing_to_repay, no_open_payouts],
    )
    def close(self) -> None:
        """Abschluss of the file."""


class CostLine(models.Model):
    """A row of the cost plan (Ausgabenplan), with the actual amount from the proof of use."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cost_lines"
    )
    category = models.ForeignKey(CostCategory, on_delete=models.PROTECT)
    description = models.CharField(_("Beschreibung"), max_length=200)
    amount = models.DecimalField(_("geplant"), **MONEY, validators=[MinValueValidator(CENT)])
    actual_amount = models.DecimalField(
        _("tatsächlich"), **MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Ausgabenposition")
        verbose_name_plural = _("Ausgabenplan")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cost_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class FinancingLine(models.Model):
    """A row of the financing plan (Finanzierungsplan)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="financing_lines"
    )
    category = models.ForeignKey(FinancingCategory, on_delete=models.PROTECT)
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])
    actual_amount = models.DecimalField(
        _("tatsächlich"), **MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Finanzierungsposition")
        verbose_name_plural = _("Finanzierungsplan")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="financing_line_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A document belonging to an application, stored outside the web root."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    file = models.FileField(_("Datei"), upload_to=attachment_path)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Receipt(models.Model):
    """An entry of the list of receipts (Belegliste) of a proof of use."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="receipts")
    cost_line = models.ForeignKey(
        CostLine,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("Ausgabenposition"),
    )
    number = models.PositiveSmallIntegerField(_("Beleg-Nr."))
    date = models.DateField(_("Datum"))
    payee = models.CharField(_("Empfänger*in"), max_length=200)
    description = models.CharField(_("Zweck"), max_length=200)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belegliste")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="receipt_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.payee} {self.amount}"


class CommitteeVote(models.Model):
    """Votum of a committee or jury on one application."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Bewilligung empfohlen")
        REJECT = "reject", _("Ablehnung empfohlen")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="votes")
    body = models.CharField(_("Gremium"), max_length=200)
    meeting_date = models.DateField(_("Sitzung am"))
    votes_yes = models.PositiveSmallIntegerField(_("Ja"), default=0)
    votes_no = models.PositiveSmallIntegerField(_("Nein"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltung"), default=0)
    recommendation = models.CharField(_("Ergebnis"), max_length=10, choices=Recommendation.choices)
    recommended_amount = models.DecimalField(
        _("empfohlener Betrag"), **MONEY, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Votum")
        verbose_name_plural = _("Voten")

    def __str__(self) -> str:
        return f"{self.body} {self.meeting_date}: {self.get_recommendation_display()}"


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
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

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


# ---------------------------------------------------------------------------------------------
# Payouts
# ---------------------------------------------------------------------------------------------


@condition(_("Der Bescheid ist noch nicht bestandskräftig oder das Projekt ist abgeschlossen."))
def application_payable(payout: Payout) -> bool:
    return payout.application.state in PAYABLE_STATES


class Payout(ConcurrentTransitionMixin, models.Model):
    """Auszahlung: planned in the notice or called by the recipient (Mittelabruf)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("geplant")
        REQUESTED = "requested", _("abgerufen")
        CERTIFIED = "certified", _("sachlich und rechnerisch richtig")
        ORDERED = "ordered", _("angeordnet")
        EXPORTED = "exported", _("an die Kasse übergeben")
        PAID = "paid", _("ausgezahlt")
        CANCELLED = "cancelled", _("storniert")

    class Kind(models.TextChoices):
        INSTALMENT = "instalment", _("Abschlagszahlung")
        FINAL = "final", _("Schlusszahlung")

    OPEN_STATES = (State.PLANNED, State.REQUESTED, State.CERTIFIED, State.ORDERED, State.EXPORTED)

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payouts")
    state = FSMField(
        _("Status"), default=State.PLANNED, choices=State.choices, protected=True, db_index=True
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.INSTALMENT)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    due_date = models.DateField(_("fällig am"))
    payment_reference = models.CharField(_("Verwendungszweck"), max_length=140)
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=30, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ordered_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("ausgezahlt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Auszahlung")
        verbose_name_plural = _("Auszahlungen")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(ordered_by__isnull=True) | ~Q(ordered_by=F("certified_by")),
                name="payout_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.amount} ({self.get_state_display()})"

    @transition(
        field=state,
        source=[State.PLANNED, State.REQUESTED],
        target=State.CERTIFIED,
        permission=CASE_WORKER,
        conditions=[application_payable],
    )
    def certify(self, *, by: User) -> None:
        """Sachlich und rechnerisch richtig."""
        self.certified_by = by
        self.certified_at = timezone.now()

    @transition(
        field=state,
        source=State.CERTIFIED,
        target=State.ORDERED,
        permission=ORDERING_CASE_WORKER,
        conditions=[application_payable],
    )
    def order(self, *, by: User) -> None:
        """Anordnung by a second person."""
        self.ordered_by = by
        self.ordered_at = timezone.now()

    @transition(field=state, source=State.ORDERED, target=State.EXPORTED, permission=FINANCE)
    def mark_exported(self) -> None:
        """Handed to the cash office in a payout order list."""
        self.exported_at = timezone.now()

    @transition(field=state, source=State.EXPORTED, target=State.PAID, permission=FINANCE)
    def mark_paid(self, *, paid_on: dt.date) -> None:
        """The cash office has paid the money out."""
        self.paid_on = paid_on

    @transition(
        field=state,
        source=[State.PLANNED, State.REQUESTED, State.CERTIFIED, State.ORDERED],
        target=State.CANCELLED,
        permission=CASE_WORKER,
    )
    def cancel(self) -> None:
        """Storno before the money left for the cash office."""


# ---------------------------------------------------------------------------------------------
# Repayment claims
# ---------------------------------------------------------------------------------------------


class RepaymentClaim(ConcurrentTransitionMixin, models.Model):
    """Rückforderung of paid money, with interest under § 49a VwVfG."""

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        SETTLED = "settled", _("beglichen")
        CANCELLED = "cancelled", _("aufgehoben")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="repayment_claims"
    )
    state = FSMField(_("Status"), default=State.OPEN, choices=State.choices, protected=True)
    principal = models.DecimalField(
        _("Erstattungsbetrag"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    interest = models.DecimalField(_("Zinsen"), **MONEY, default=ZERO)
    reason = models.TextField(_("Begründung"))
    due_date = models.DateField(_("zahlbar bis"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    repaid_on = models.DateField(_("erstattet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rückforderung")
        verbose_name_plural = _("Rückforderungen")
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="claim_principal_positive"),
            models.CheckConstraint(
                condition=Q(interest__gte=0), name="claim_interest_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.principal}"

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest

    @transition(field=state, source=State.OPEN, target=State.SETTLED, permission=CASE_WORKER)
    def settle(self, *, repaid_on: dt.date, interest: Decimal) -> None:
        """The repayment has arrived, with the interest charged under § 49a VwVfG."""
        self.repaid_on = repaid_on
        self.interest = interest

    @transition(field=state, source=State.OPEN, target=State.CANCELLED, permission=CASE_WORKER)
    def cancel(self) -> None:
        """Aufhebung of a claim made in error; a new claim may follow."""


# ---------------------------------------------------------------------------------------------
# Audit trail and domain events
# ---------------------------------------------------------------------------------------------


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("Dieser Eintrag ist unveränderlich."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Dieser Eintrag ist unveränderlich."))


class StatusChange(AppendOnly):
    """One transition of one lifecycle: who, when, from, to, why. Never changed."""

    class Lifecycle(models.TextChoices):
        APPLICATION = "application", _("Antrag")
        PAYOUT = "payout", _("Auszahlung")
        REPAYMENT_CLAIM = "repayment_claim", _("Rückforderung")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_changes"
    )
    payout = models.ForeignKey(
        Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="status_changes"
    )
    repayment_claim = models.ForeignKey(
        RepaymentClaim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
    )
    lifecycle = models.CharField(_("Vorgang"), max_length=20, choices=Lifecycle.choices)
    transition = models.CharField(_("Schritt"), max_length=50)
    source_state = models.CharField(_("von"), max_length=30)
    target_state = models.CharField(_("nach"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("durch"),
        help_text=_("leer = System"),
    )
    created_at = models.DateTimeField(_("am"), default=timezone.now, db_index=True)
    reason = models.TextField(_("Begründung"), blank=True)
    data = models.JSONField(_("Daten"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel (Protokoll)")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(lifecycle="application")
                    & Q(payout__isnull=True)
                    & Q(repayment_claim__isnull=True)
                )
                | (Q(lifecycle="payout") & Q(payout__isnull=False))
                | (Q(lifecycle="repayment_claim") & Q(repayment_claim__isnull=False)),
                name="status_change_lifecycle_matches_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.transition}: {self.source_state} → {self.target_state}"


class DomainEvent(AppendOnly):
    """Something happened that others (mail, statistics) react to, written in the same
    transaction as the change itself so that a rolled-back change announces nothing."""

    name = models.CharField(max_length=60, db_index=True)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    status_change = models.OneToOneField(
        StatusChange, on_delete=models.PROTECT, null=True, blank=True, related_name="event"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    announce = models.BooleanField(
        default=True, help_text=_("Nein bei Korrekturen, die nicht mitgeteilt werden sollen.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


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
