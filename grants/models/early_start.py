"""Vorzeitiger Maßnahmebeginn (early start) with its own small lifecycle: the applicant asks,
with the wished start date and a reason; a case worker of the programme consents (naming the
day from which the project may start) or refuses. Without consent the funding period of the
notice cannot begin before the application was submitted."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models.application_rules import CASE_WORKER, WITHDRAWABLE_STATES
from grants.rules import condition

if TYPE_CHECKING:
    from applicants.models import User
    from grants.models.applications import Application


# Early start is decided before the notice: afterwards the notice's funding period rules.
EARLY_START_STATES = WITHDRAWABLE_STATES


@condition(
    _(
        "Über einen vorzeitigen Beginn wird nur entschieden, solange über den Antrag nicht entschieden ist."
    )
)
def application_undecided(early_start: EarlyStart) -> bool:
    return early_start.application.state in EARLY_START_STATES


class EarlyStart(ConcurrentTransitionMixin, models.Model):
    """Antrag auf vorzeitigen Maßnahmebeginn and the case worker's consent or refusal."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("beantragt")
        CONSENTED = "consented", _("zugestimmt")
        REFUSED = "refused", _("abgelehnt")

    # By name: the application's own lifecycle reads the early start (no import cycle).
    application = models.ForeignKey(
        "grants.Application",
        on_delete=models.PROTECT,
        related_name="early_starts",
        verbose_name=_("Antrag"),
    )
    requested_start = models.DateField(_("gewünschter Beginn"))
    reason = models.TextField(_("Begründung"))
    state = FSMField(
        _("Status"), default=State.REQUESTED, choices=State.choices, protected=True, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beantragt von"),
    )
    requested_at = models.DateTimeField(_("beantragt am"), default=timezone.now)
    allowed_from = models.DateField(_("Beginn zulässig ab"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_note = models.TextField(_("Vermerk zur Entscheidung"), blank=True)

    class Meta:
        verbose_name = _("Vorzeitiger Maßnahmebeginn")
        verbose_name_plural = _("Vorzeitige Maßnahmebeginne")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="requested"),
                name="early_start_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(state="consented") | Q(allowed_from__isnull=False),
                name="early_start_consent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.get_state_display()}"

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.CONSENTED,
        permission=CASE_WORKER,
        conditions=[application_undecided],
    )
    def consent(self, *, by: User, allowed_from: dt.date, note: str = "") -> None:
        """The case worker consents: the project may start from ``allowed_from`` at the
        applicant's own risk; the grant is not promised by it."""
        self.allowed_from = allowed_from
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REFUSED,
        permission=CASE_WORKER,
        conditions=[application_undecided],
    )
    def refuse(self, *, by: User, note: str) -> None:
        """The case worker refuses, with a reason; the project may not start before the
        application was submitted."""
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note


def earliest_funding_start(application: Application) -> dt.date | None:
    """The first day the funding period may begin: the day of submission, or the day from
    which an early start was consented if that is earlier. None before submission."""
    if application.submitted_at is None:
        return None
    submitted = timezone.localdate(application.submitted_at)
    # ``all()``: the case file prefetches the early starts once for its steps and rules.
    consented = [
        early.allowed_from
        for early in application.early_starts.all()
        if early.state == EarlyStart.State.CONSENTED and early.allowed_from is not None
    ]
    return min([submitted, *consented])
