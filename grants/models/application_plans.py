"""The cost and financing plan of an application, row by row: planned amounts from the
application, actual amounts from the proof of use. Totals, own share and funding rate are
derived from these rows (``PlanSummary``), never typed."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.base import CENT, MONEY, ZERO
from grants.models.programmes import CostCategory, FinancingCategory


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
