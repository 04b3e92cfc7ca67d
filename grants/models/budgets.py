"""Budgets per programme and fiscal year with their append-only ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import eur
from grants.models.base import MONEY, ZERO
from grants.models.programmes import FundingArea, Programme


class Budget(models.Model):
    """The money of a programme for one fiscal year (and Förderbereich, where split).

    ``committed`` is the running total of the ledger below. It only changes through a
    conditional UPDATE in ``grants.budget``; the check constraint lets the database itself
    refuse an over-commit, whatever runs concurrently.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="budgets",
        verbose_name=_("Förderprogramm"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    funding_area = models.ForeignKey(
        FundingArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgets",
        verbose_name=_("Förderbereich"),
    )
    amount = models.DecimalField(_("Ansatz"), **MONEY, validators=[MinValueValidator(ZERO)])
    committed = models.DecimalField(_("gebunden"), **MONEY, default=ZERO, editable=False)
    is_example = models.BooleanField(
        _("Beispielwert"),
        default=False,
        help_text=_("Kein beschlossener Ansatz, nur für Demonstration und Planung."),
    )
    note = models.CharField(_("Bemerkung"), max_length=200, blank=True)

    history = HistoricalRecords()

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

    def clean(self) -> None:
        """A budget cannot be lowered below what approvals have already bound: the database
        would refuse the row (``budget_never_overcommitted``); here it is said why."""
        super().clean()
        if self.pk is None or self.amount is None:
            return
        # Read afresh: the form's copy may be older than the latest approval.
        committed = Budget.objects.filter(pk=self.pk).values_list("committed", flat=True).first()
        if committed is not None and self.amount < committed:
            raise ValidationError(
                {
                    "amount": _(
                        "Der Ansatz kann nicht unter den bereits gebundenen Betrag gesenkt "
                        "werden: gebunden sind %(committed)s, eingegeben wurden %(amount)s. "
                        "Geben Sie zuerst Mittel frei (Minderung oder Widerruf) oder wählen "
                        "Sie einen Ansatz von mindestens %(committed)s."
                    )
                    % {"committed": eur(committed), "amount": eur(self.amount)}
                }
            )


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


class PaidTotal(models.Model):
    """Money paid out per programme, fiscal year and Förderbereich: the "paid" of the finance
    overview's budget lines, a few rows instead of a sum over every paid payout.

    Kept by ``payout_mark_paid`` (the one way into the final state "paid") in the same
    transaction, with a conditional UPDATE; checked and repaired by ``reconcile_budgets``.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    funding_area = models.ForeignKey(
        FundingArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(_("ausgezahlt"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("Auszahlungssumme")
        verbose_name_plural = _("Auszahlungssummen")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year", "funding_area"], name="paid_total_unique"
            ),
            models.UniqueConstraint(
                fields=["programme", "fiscal_year"],
                condition=Q(funding_area__isnull=True),
                name="paid_total_unique_without_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.fiscal_year}/{self.funding_area_id}: {self.amount}"
