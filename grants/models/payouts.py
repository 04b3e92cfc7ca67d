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
    APPLICANT,
    CASE_WORKER,
    FINANCE,
    ORDERING_CASE_WORKER,
    PAYABLE_STATES,
)
from grants.models.applications import Application
from grants.models.base import CENT, MONEY
from grants.rules import Permission, condition

if TYPE_CHECKING:
    from applicants.models import User


@condition(_("Der Bescheid ist noch nicht bestandskräftig oder das Projekt ist abgeschlossen."))
def application_payable(payout: Payout) -> bool:
    return payout.application.state in PAYABLE_STATES


@condition(
    _(
        "Für die Auszahlung ist keine Bankverbindung hinterlegt. Die Organisation muss sie "
        "im Profil ergänzen."
    )
)
def payee_known(payout: Payout) -> bool:
    return bool(payout.payee_name and payout.payee_iban)


# The organisation's bank details changed: its members do it, or the system on their behalf.
BANK_DETAILS_CHANGED = Permission(
    _("Änderung der Bankverbindung durch die Organisation"),
    _("Nur die Verantwortlichen der Organisation ändern ihre Bankverbindung."),
    lambda payout, user: user is None or APPLICANT(payout, user),
)


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
        RETURNED = "returned", _("neu zu zeichnen (Bankverbindung geändert)")

    class Kind(models.TextChoices):
        INSTALMENT = "instalment", _("Abschlagszahlung")
        FINAL = "final", _("Schlusszahlung")

    OPEN_STATES = (
        State.PLANNED,
        State.REQUESTED,
        State.RETURNED,
        State.CERTIFIED,
        State.ORDERED,
        State.EXPORTED,
    )
    # Not yet with the cash office: a change of bank details still reaches these.
    BEFORE_EXPORT_STATES = (
        State.PLANNED,
        State.REQUESTED,
        State.RETURNED,
        State.CERTIFIED,
        State.ORDERED,
    )

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payouts")
    # The application's programme, copied when the payout is made (it never changes): the
    # finance pages filter payouts by programme, and without a join to every application
    # they count and sum the ordered ones from an index alone.
    programme = models.ForeignKey(
        "grants.Programme", on_delete=models.PROTECT, related_name="+", editable=False
    )
    state = FSMField(
        _("Status"), default=State.PLANNED, choices=State.choices, protected=True, db_index=True
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.INSTALMENT)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    due_date = models.DateField(_("fällig am"))
    payment_reference = models.CharField(_("Verwendungszweck"), max_length=140)
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=30, blank=True)
    # The account paid, taken from the organisation when the payout is requested or planned
    # (and again when a change of bank details sends it back): the export reads these, so
    # what the cash office pays is what two people certified and ordered.
    payee_name = models.CharField(_("Zahlungsempfänger*in"), max_length=200, blank=True)
    payee_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    payee_bic = models.CharField(_("BIC"), max_length=11, blank=True)
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
        indexes = [
            # The payout list (ordered, by due date) and its count and sum, per programme.
            models.Index(fields=["state", "due_date", "id"], name="payout_state_due"),
            models.Index(
                fields=["state", "programme"], include=["amount"], name="payout_state_programme"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(ordered_by__isnull=True) | ~Q(ordered_by=F("certified_by")),
                name="payout_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.amount} ({self.get_state_display()})"

    # Django's own get_FOO_display rebuilds the labels of every choice, translating each, on
    # every call; the payout list shows both on each of its rows. (django-stubs declares the
    # generated methods, hence the no-redef.)
    def get_state_display(self) -> str:  # type: ignore[no-redef]
        return str(Payout.State(self.state).label)

    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        return str(Payout.Kind(self.kind).label)

    @transition(
        field=state,
        source=[State.PLANNED, State.REQUESTED, State.RETURNED],
        target=State.CERTIFIED,
        permission=CASE_WORKER,
        conditions=[application_payable, payee_known],
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
        source=[State.PLANNED, State.REQUESTED, State.RETURNED, State.CERTIFIED, State.ORDERED],
        target=State.CANCELLED,
        permission=CASE_WORKER,
    )
    def cancel(self) -> None:
        """Storno before the money left for the cash office."""

    @transition(
        field=state,
        source=[State.CERTIFIED, State.ORDERED],
        target=State.RETURNED,
        permission=BANK_DETAILS_CHANGED,
    )
    def return_for_certification(self, *, payee_name: str, payee_iban: str, payee_bic: str) -> None:
        """The organisation changed its bank details after the payout was certified: the new
        account must be certified and ordered again by two people before it is exported."""
        self.take_payee(payee_name=payee_name, payee_iban=payee_iban, payee_bic=payee_bic)
        self.certified_by = self.ordered_by = None
        self.certified_at = self.ordered_at = None

    @transition(
        field=state,
        source=[State.PLANNED, State.REQUESTED, State.RETURNED],
        target=None,
        permission=BANK_DETAILS_CHANGED,
    )
    def take_new_bank_details(self, *, payee_name: str, payee_iban: str, payee_bic: str) -> None:
        """Not yet certified: the payout takes the organisation's new account (state kept)."""
        self.take_payee(payee_name=payee_name, payee_iban=payee_iban, payee_bic=payee_bic)

    def take_payee(self, *, payee_name: str, payee_iban: str, payee_bic: str) -> None:
        self.payee_name, self.payee_iban, self.payee_bic = payee_name[:200], payee_iban, payee_bic
