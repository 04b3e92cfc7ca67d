"""Payouts with their lifecycle (planned, requested, certified, ordered, exported, paid)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models.application_rules import (
    CASE_WORKER,
    FINANCE,
    ORDERING_CASE_WORKER,
    PAYABLE_STATES,
)
from grants.models.applications import Application
from grants.models.base import CENT, MONEY
from grants.rules import condition

if TYPE_CHECKING:
    from applicants.models import User


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
