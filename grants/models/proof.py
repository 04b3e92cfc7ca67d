"""Proof of use: receipts, proof checks with their lines, repayment claims and the base rates for
interest under § 49a VwVfG."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models.application_plans import CostLine
from grants.models.application_rules import CASE_WORKER
from grants.models.applications import Application
from grants.models.base import CENT, MONEY, ZERO, AppendOnly


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


class UnplannedIncome(models.Model):
    """Money for the project that the financing plan did not foresee (a donation, a second
    grant, fees), entered by the applicant with the proof of use. Under Fehlbedarf- and
    Anteilsfinanzierung it reduces the grant (``grants.selectors.proof_figures``)."""

    class Kind(models.TextChoices):
        OTHER_PUBLIC = "other_public", _("Andere öffentliche Mittel (z. B. weitere Zuwendung)")
        PRIVATE = "private", _("Spende oder Stiftungsmittel")
        INCOME = "income", _("Einnahmen (z. B. Teilnahmebeiträge)")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="unplanned_income"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("Von wem / wofür"), max_length=200)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("Einnahme außerhalb des Finanzierungsplans")
        verbose_name_plural = _("Einnahmen außerhalb des Finanzierungsplans")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="unplanned_income_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description} {self.amount}"


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

    @property
    def repaid(self) -> Decimal:
        return sum((r.amount for r in self.repayments.all()), ZERO)

    @property
    def outstanding(self) -> Decimal:
        """Principal not yet received."""
        return self.principal - self.repaid

    @property
    def payment_reference(self) -> str:
        """Verwendungszweck for the transfer back: file number and claim, ≤ 140 characters."""
        return f"{self.application.file_number} RF{self.pk}"[:140]

    @transition(field=state, source=State.OPEN, target=State.SETTLED, permission=CASE_WORKER)
    def settle(self, *, repaid_on: dt.date, interest: Decimal) -> None:
        """The (last part of the) repayment has arrived, with the interest charged under § 49a
        VwVfG; parts received before stop bearing interest on their day (``Repayment``)."""
        self.repaid_on = repaid_on
        self.interest = interest

    @transition(field=state, source=State.OPEN, target=State.CANCELLED, permission=CASE_WORKER)
    def cancel(self) -> None:
        """Aufhebung of a claim made in error; a new claim may follow."""


class Repayment(AppendOnly):
    """A payment received on a repayment claim, whole or in part: from its day on, the part
    repaid bears no more interest (§ 49a (3) VwVfG)."""

    claim = models.ForeignKey(RepaymentClaim, on_delete=models.PROTECT, related_name="repayments")
    received_on = models.DateField(_("Zahlungseingang am"))
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Zahlungseingang")
        verbose_name_plural = _("Zahlungseingänge")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d.%m.%Y}: {self.amount}"


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
    planned_amount = models.DecimalField(_("geplant"), **MONEY, default=ZERO)
    claimed_amount = models.DecimalField(_("nachgewiesen"), **MONEY)
    recognised_amount = models.DecimalField(
        _("anerkannt"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    # What the line counts after the 20 % rule, and what it does to the grant.
    allowed_amount = models.DecimalField(_("zuwendungsfähig"), **MONEY, default=ZERO)
    effect = models.DecimalField(_("Auswirkung auf die Zuwendung"), **MONEY, default=ZERO)
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
    source = models.CharField(_("Quelle"), max_length=200)
    checked_on = models.DateField(
        _("zuletzt geprüft am"),
        null=True,
        blank=True,
        help_text=_("Wann der Wert zuletzt mit der Quelle abgeglichen wurde."),
    )

    class Meta:
        verbose_name = _("Basiszinssatz")
        verbose_name_plural = _("Basiszinssätze")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d.%m.%Y}: {self.rate_percent} %"

    @property
    def valid_until(self) -> dt.date:
        """The last day this rate can hold: the Bundesbank announces a rate for each half-year
        (§ 247 (1) BGB), so beyond it the rate is unknown until the next one is entered."""
        if self.valid_from.month < 7:
            return dt.date(self.valid_from.year, 6, 30)
        return dt.date(self.valid_from.year, 12, 31)
