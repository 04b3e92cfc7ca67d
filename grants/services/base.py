"""Helpers shared by the services: permission and reason checks, row locks."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from grants.errors import NotPermitted, RuleViolated
from grants.models import (
    Application,
    ApplicationState,
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
