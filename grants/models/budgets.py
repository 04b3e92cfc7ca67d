"""Budgets per programme and fiscal year with their append-only ledger, calls, and the file
number counters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.base import MONEY, ZERO
from grants.models.configuration import FundingArea, Programme

if TYPE_CHECKING:
    pass


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
