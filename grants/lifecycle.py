"""Firing lifecycle transitions the one way: check who and what, change, save, record.

Services call :func:`fire` inside their transaction. It refuses with a message that says why
(permission or rule), turns a lost race into :class:`ChangedMeanwhile`, and writes the
status-change record and the domain event in the same transaction as the change, so that a
rollback leaves neither (see ../shared/tech-notes.md on django-fsm signals).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, Transition

from grants import events
from grants.errors import ChangedMeanwhile, NotPermitted, RuleViolated
from grants.models import (
    Application,
    ChangeRequest,
    DomainEvent,
    EarlyStart,
    Payout,
    RepaymentClaim,
    StatusChange,
)
from grants.services.queue import state_count_move

# One line per service step for the operators (ids only, no names: see docs/operations.md).
logger = logging.getLogger("foerderportal.steps")

LIFECYCLES: dict[type[models.Model], str] = {
    Application: StatusChange.Lifecycle.APPLICATION,
    Payout: StatusChange.Lifecycle.PAYOUT,
    RepaymentClaim: StatusChange.Lifecycle.REPAYMENT_CLAIM,
    ChangeRequest: StatusChange.Lifecycle.CHANGE_REQUEST,
    EarlyStart: StatusChange.Lifecycle.EARLY_START,
}


def transition_of(obj: models.Model, name: str) -> Transition | None:
    """The transition ``name`` would fire from ``obj``'s current state (None: not from here)."""
    meta = getattr(obj, name)._django_fsm
    return meta.get_transition(meta.field.get_state(obj))


def refusals(obj: models.Model, name: str, actor: Any) -> list[str]:
    """Why ``actor`` may not fire ``name`` now; empty when the step is possible."""
    transition = transition_of(obj, name)
    if transition is None:
        return [
            _("Dieser Schritt ist im Status „%(state)s“ nicht möglich.")
            % {"state": obj.get_state_display()}
        ]
    permission = transition.permission
    if permission is not None:
        refusal = permission.refusal_for(obj, actor)
        if refusal is not None:
            return [str(refusal)]
    return [refusal for c in transition.conditions if (refusal := c.refusal_for(obj))]


def check(obj: models.Model, name: str, actor: Any) -> None:
    transition = transition_of(obj, name)
    if transition is not None and transition.permission is not None:
        refusal = transition.permission.refusal_for(obj, actor)
        if refusal is not None:
            raise NotPermitted(refusal)
    messages = refusals(obj, name, actor)
    if messages:
        raise RuleViolated(messages)


def is_offered(obj: models.Model, name: str, actor: Any) -> bool:
    return not refusals(obj, name, actor)


def record(
    obj: models.Model,
    *,
    transition: str,
    source: str,
    target: str,
    actor: Any,
    reason: str = "",
    data: dict | None = None,
    announce: bool = True,
) -> StatusChange:
    """Writes the audit record and the domain event of one step of ``obj``'s lifecycle."""
    application = obj if isinstance(obj, Application) else obj.application
    change = StatusChange.objects.create(
        application=application,
        payout=obj if isinstance(obj, Payout) else None,
        repayment_claim=obj if isinstance(obj, RepaymentClaim) else None,
        change_request=obj if isinstance(obj, ChangeRequest) else None,
        early_start=obj if isinstance(obj, EarlyStart) else None,
        lifecycle=LIFECYCLES[type(obj)],
        transition=transition,
        source_state=source,
        target_state=target,
        actor=actor,
        reason=reason,
        data=data or {},
    )
    event = DomainEvent.objects.create(
        name=f"{LIFECYCLES[type(obj)]}.{transition}",
        application=application,
        status_change=change,
        actor=actor,
        payload={"object_id": obj.pk, "source": source, "target": target, **(data or {})},
        announce=announce,
    )
    events.publish(event)
    logger.info(
        "step",
        extra={
            "lifecycle": LIFECYCLES[type(obj)],
            "transition": transition,
            "object_id": obj.pk,
            "application_id": application.pk,
            "source": source,
            "target": target,
            "actor_id": getattr(actor, "pk", None),
        },
    )
    return change


def _field_values(obj: models.Model) -> dict[str, Any]:
    return {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if not field.primary_key
    }


def apply(obj: models.Model, name: str, *, actor: Any, **kwargs: Any) -> str:
    """Checks and fires transition ``name`` and saves ``obj``, without recording it; returns
    the source state. For services that must change more before the step is announced; they
    call :func:`record` themselves. Must run inside ``transaction.atomic()``."""
    check(obj, name, actor)
    source = obj.state
    before = _field_values(obj)
    getattr(obj, name)(**kwargs)
    if isinstance(obj, Application):
        # The queue's stored deadline moves with the state and dates, in the same save.
        obj.next_deadline = obj.deadline_now()
    # Only what the transition changed is written (the state always, for the optimistic lock):
    # a stale copy must not overwrite what others changed meanwhile, e.g. an assignment.
    after = _field_values(obj)
    changed = [field for field, value in after.items() if before[field] != value]
    try:
        obj.save(update_fields=sorted({"state", *changed}))
    except ConcurrentTransition as exc:
        raise ChangedMeanwhile(
            _(
                "Der Vorgang wurde in der Zwischenzeit von jemand anderem geändert. "
                "Bitte laden Sie die Seite neu und prüfen Sie den aktuellen Stand."
            )
        ) from exc
    if isinstance(obj, Application):
        state_count_move(programme_id=obj.programme_id, source=source, target=obj.state)
    return source


def fire(
    obj: models.Model,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    data: dict | None = None,
    announce: bool = True,
    **kwargs: Any,
) -> StatusChange:
    """Fires transition ``name`` on ``obj`` for ``actor`` (``None``: the system), saves, and
    records the step. Must run inside ``transaction.atomic()``; raises before changing
    anything when refused."""
    source = apply(obj, name, actor=actor, **kwargs)
    return record(
        obj,
        transition=name,
        source=source,
        target=obj.state,
        actor=actor,
        reason=reason,
        data=data,
        announce=announce,
    )
