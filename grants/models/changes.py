"""Change requests of a running project (Änderungsantrag) with their lifecycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models.application_rules import CASE_WORKER, S
from grants.models.applications import Application
from grants.rules import condition

if TYPE_CHECKING:
    from applicants.models import User


# While the project may still change: the notice is final or the project is running.
CHANGEABLE_STATES = (S.FINAL, S.RUNNING)


@condition(
    _(
        "Änderungen sind nur möglich, solange der Bescheid bestandskräftig ist oder das Projekt läuft."
    )
)
def application_still_running(change_request: ChangeRequest) -> bool:
    return change_request.application.state in CHANGEABLE_STATES


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """Änderungsantrag during the project: a longer funding period or a changed financing
    plan, requested by the recipient and approved or rejected by the case worker."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("beantragt")
        APPROVED = "approved", _("genehmigt")
        REJECTED = "rejected", _("abgelehnt")

    class Kind(models.TextChoices):
        PERIOD = "period", _("Verlängerung des Förderzeitraums")
        PLAN = "plan", _("Änderung des Finanzierungsplans")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    new_funding_end = models.DateField(_("Neues Ende des Förderzeitraums"), null=True, blank=True)
    reason = models.TextField(_("Begründung"))
    state = FSMField(
        _("Status"), default=State.REQUESTED, choices=State.choices, protected=True, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("beantragt am"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_note = models.TextField(_("Vermerk zur Entscheidung"), blank=True)

    class Meta:
        verbose_name = _("Änderungsantrag")
        verbose_name_plural = _("Änderungsanträge")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="requested"),
                name="change_request_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(kind="period") | Q(new_funding_end__isnull=False),
                name="change_request_period_has_new_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.get_kind_display()} ({self.get_state_display()})"

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.APPROVED,
        permission=CASE_WORKER,
        conditions=[application_still_running],
    )
    def approve(self, *, by: User, note: str = "") -> None:
        """The case worker approves the change."""
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REJECTED,
        permission=CASE_WORKER,
        conditions=[application_still_running],
    )
    def reject(self, *, by: User, note: str) -> None:
        """The case worker rejects the change, with a reason."""
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note
