"""The audit trail (one append-only record per step of every lifecycle) and domain events."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.types import StrOrPromise
from grants.models.applications import Application
from grants.models.base import AppendOnly
from grants.models.changes import ChangeRequest
from grants.models.payouts import Payout
from grants.models.proof import RepaymentClaim

# What the file's history says for each step, in plain German: one label per transition of
# every lifecycle, creation step and in-place step (tests/audit/test_history_labels.py checks
# that none is missing). Keyed by lifecycle, then by the step's name as recorded.
STEP_LABELS: dict[str, dict[str, StrOrPromise]] = {
    "application": {
        "submit": _("Antrag eingereicht"),
        "request_changes": _("Unterlagen nachgefordert"),
        "resubmit": _("Unterlagen nachgereicht"),
        "start_review": _("Formelle Prüfung abgeschlossen, fachliche Prüfung begonnen"),
        "refer_to_committee": _("Dem Gremium vorgelegt"),
        "record_vote": _("Votum des Gremiums erfasst"),
        "propose_approval": _("Bewilligung vorgeschlagen"),
        "propose_rejection": _("Ablehnung vorgeschlagen"),
        "return_proposal": _("Vorschlag zur Überarbeitung zurückgegeben"),
        "approve": _("Antrag bewilligt"),
        "reject": _("Antrag abgelehnt"),
        "withdraw": _("Antrag zurückgezogen"),
        "waive_appeal": _("Auf Rechtsbehelf verzichtet"),
        "expire_appeal_period": _("Bescheid bestandskräftig"),
        "start_project": _("Förderzeitraum begonnen"),
        "end_funding_period": _("Förderzeitraum beendet"),
        "extend_proof_deadline": _("Frist für den Verwendungsnachweis verlängert"),
        "extend_funding_period": _("Förderzeitraum verlängert"),
        "submit_proof": _("Verwendungsnachweis eingereicht"),
        "request_proof_changes": _("Verwendungsnachweis: Nachbesserung angefordert"),
        "resubmit_proof": _("Verwendungsnachweis erneut eingereicht"),
        "accept_proof": _("Verwendungsnachweis geprüft"),
        "claim_repayment": _("Zuwendung zurückgefordert"),
        "record_repayment": _("Rückzahlung eingegangen"),
        "revoke": _("Bescheid widerrufen"),
        "close": _("Akte abgeschlossen"),
        "assign": _("Zuständigkeit geändert"),
        "assess": _("Prüfvermerk geschrieben"),
    },
    "payout": {
        "plan": _("Auszahlung eingeplant"),
        "request": _("Mittel abgerufen"),
        "certify": _("Auszahlung sachlich und rechnerisch richtig gezeichnet"),
        "order": _("Auszahlung angeordnet"),
        "mark_exported": _("Auszahlung an die Kasse übergeben"),
        # In place, by reporting.services.payout_orders_reexport.
        "reexport": _("Auszahlung erneut an die Kasse übergeben"),
        "mark_paid": _("Auszahlung ausgezahlt"),
        "cancel": _("Auszahlung storniert"),
        "return_for_certification": _("Auszahlung zurück zur Zeichnung: Bankverbindung geändert"),
        "take_new_bank_details": _("Neue Bankverbindung für die Auszahlung übernommen"),
    },
    "repayment_claim": {
        "create": _("Rückforderung festgesetzt"),
        "settle": _("Rückforderung beglichen"),
        "part_repaid": _("Teilzahlung auf die Rückforderung eingegangen"),
        "cancel": _("Rückforderung aufgehoben"),
    },
    "change_request": {
        "request": _("Änderungsantrag gestellt"),
        "approve": _("Änderungsantrag genehmigt"),
        "reject": _("Änderungsantrag abgelehnt"),
    },
}


# ---------------------------------------------------------------------------------------------
# Audit trail and domain events
# ---------------------------------------------------------------------------------------------


class StatusChange(AppendOnly):
    """One transition of one lifecycle: who, when, from, to, why. Never changed."""

    class Lifecycle(models.TextChoices):
        APPLICATION = "application", _("Antrag")
        PAYOUT = "payout", _("Auszahlung")
        REPAYMENT_CLAIM = "repayment_claim", _("Rückforderung")
        CHANGE_REQUEST = "change_request", _("Änderungsantrag")

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
    change_request = models.ForeignKey(
        ChangeRequest,
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
                    & Q(change_request__isnull=True)
                )
                | (Q(lifecycle="payout") & Q(payout__isnull=False))
                | (Q(lifecycle="repayment_claim") & Q(repayment_claim__isnull=False))
                | (Q(lifecycle="change_request") & Q(change_request__isnull=False)),
                name="status_change_lifecycle_matches_object",
            )
        ]

    @property
    def label(self) -> str:
        """The step in plain German ("Antrag eingereicht"); the raw name if a label is missing."""
        return str(STEP_LABELS.get(self.lifecycle, {}).get(self.transition, self.transition))

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
