"""Helpers shared by the services: permission and reason checks, row locks, and the fingerprint
of what a person saw (``seen``): a step taken on a stale page is refused with ChangedMeanwhile
instead of overwriting what somebody else did meanwhile."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import ChangedMeanwhile, NotPermitted, RuleViolated
from grants.errors import ChangedMeanwhile as _ChangedMeanwhile
from grants.models import (
    APPLICANT,
    Application,
    ApplicationState,
    money,
    prefetched,
)

S = ApplicationState


logger = logging.getLogger(__name__)


def _require(permission, obj, actor) -> None:
    refusal = permission.refusal_for(obj, actor)
    if refusal is not None:
        raise NotPermitted(refusal)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolated(_("Bitte geben Sie eine Begründung an."))
    return reason


def _lock(application: Application) -> Application:
    """Serialises money-moving steps on one application (payout requests, claims)."""
    return Application.objects.select_for_update().get(pk=application.pk)


def application_seen(application: Application) -> str:
    """Fingerprint of what a person saw: the state and the last recorded step."""
    if prefetched(application, "status_changes"):
        # The steps as the case file loaded them for its history: exactly what was seen.
        last = max((change.pk for change in application.status_changes.all()), default=0)
    else:
        last = application.status_changes.aggregate(last=Max("id"))["last"] or 0
    return f"{application.state}.{last}"


def _changed_meanwhile(application: Application) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        _(
            "Der Antrag wurde in der Zwischenzeit von jemand anderem bearbeitet und steht "
            "jetzt auf „%(state)s“. Es wurde nichts geändert; bitte prüfen Sie den aktuellen "
            "Stand."
        )
        % {"state": application.get_state_display()}
    )


def _unchanged(application: Application, seen: str | None) -> Application:
    """Locks the application and refuses if it changed since ``seen`` was taken. Returns the
    locked row as it is now: the step goes on with that copy, not with the caller's. Without
    ``seen`` (commands, the demo, a meeting's batch) nothing is compared."""
    locked = _lock(application)
    if seen is not None and application_seen(locked) != seen:
        raise _changed_meanwhile(locked)
    return locked


def _unless_changed(application: Application, seen: str | None) -> Application:
    """Like ``_unchanged`` for steps that work on the caller's copy: without ``seen`` that copy
    goes on, and a stale one is refused when its transition is saved (optimistic lock)."""
    return application if seen is None else _unchanged(application, seen)


def _lock_for_applicant(
    application: Application, actor: User, states: Sequence[str]
) -> Application:
    _require(APPLICANT, application, actor)
    locked = _lock(application)
    if locked.state not in states:
        if locked.state != application.state:
            raise _ChangedMeanwhile(
                _(
                    "Der Antrag wurde in der Zwischenzeit geändert. Bitte laden Sie die Seite "
                    "neu und prüfen Sie den aktuellen Stand."
                )
            )
        raise RuleViolated(
            _("In diesem Stand („%(state)s“) kann das nicht mehr geändert werden.")
            % {"state": locked.applicant_label}
        )
    return locked


# No single plan line of a small grant reaches ten million euros: such input is a typo.
MAX_LINE_AMOUNT = Decimal("10000000.00")


def _money_in_range(value: Decimal, label: str) -> Decimal:
    value = money(value)
    if value <= 0:
        raise RuleViolated(_("%(line)s: Der Betrag muss größer als 0 € sein.") % {"line": label})
    if value > MAX_LINE_AMOUNT:
        raise RuleViolated(
            _("%(line)s: Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe.")
            % {"line": label}
        )
    return value
