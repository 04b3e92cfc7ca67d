"""Vorzeitiger Maßnahmebeginn: the applicant asks to start before the decision (with the wished
date and a reason), a case worker of the programme consents from a date or refuses. Each step
is recorded on the application's trail and shown to both sides."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import RuleViolated
from grants.lifecycle import check, fire, record
from grants.models import (
    APPLICANT,
    EARLY_START_STATES,
    Application,
    EarlyStart,
    S,
)
from grants.services.base import _lock, _require, _require_reason, _unchanged

_ALREADY_OPEN = _(
    "Es liegt bereits ein Antrag auf vorzeitigen Beginn vor; bitte warten Sie die Entscheidung ab."
)


def _early_start_open(application: Application) -> EarlyStart | None:
    return application.early_starts.filter(state=EarlyStart.State.REQUESTED).first()


def early_start_create(
    *, application: Application, actor: User, requested_start: dt.date | None, reason: str
) -> EarlyStart:
    """Records the request on a locked application. Called inside a transaction, by
    :func:`early_start_request` and by the submission of a draft that asked for it."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolated(_("Bitte begründen Sie, warum das Projekt vorzeitig beginnen soll."))
    if requested_start is None:
        raise RuleViolated(_("Bitte geben Sie an, ab wann das Projekt beginnen soll."))
    if application.early_starts.filter(state=EarlyStart.State.CONSENTED).exists():
        raise RuleViolated(_("Dem vorzeitigen Beginn wurde bereits zugestimmt."))
    try:
        with transaction.atomic():
            early_start = EarlyStart.objects.create(
                application=application,
                requested_start=requested_start,
                reason=reason,
                requested_by=actor,
            )
    except IntegrityError as exc:  # a parallel request won the race
        raise RuleViolated(_ALREADY_OPEN) from exc
    record(
        early_start,
        transition="request",
        source="",
        target=early_start.state,
        actor=actor,
        reason=reason,
        data={"requested_start": requested_start},
    )
    return early_start


@transaction.atomic
def early_start_request(
    *, application: Application, actor: User, requested_start: dt.date, reason: str
) -> EarlyStart:
    """The applicant asks, after submitting and before the decision, to start early."""
    application = _lock(application)
    _require(APPLICANT, application, actor)
    if application.state not in EARLY_START_STATES:
        raise RuleViolated(
            _(
                "Einen vorzeitigen Beginn können Sie nur beantragen, solange über Ihren Antrag "
                "noch nicht entschieden ist."
            )
        )
    if _early_start_open(application) is not None:
        raise RuleViolated(_ALREADY_OPEN)
    return early_start_create(
        application=application, actor=actor, requested_start=requested_start, reason=reason
    )


@transaction.atomic
def early_start_decide(
    *,
    application: Application,
    actor: User,
    consent: bool,
    allowed_from: dt.date | None = None,
    note: str = "",
    seen: str | None = None,
) -> EarlyStart:
    """The case worker consents from ``allowed_from`` (at the applicant's own risk; no promise
    of a grant) or refuses with a reason."""
    # Locked: two case workers deciding at once queue here, the second finds nothing open.
    application = _unchanged(application, seen)
    early_start = _early_start_open(application)
    if early_start is None:
        raise RuleViolated(_("Es liegt kein offener Antrag auf vorzeitigen Beginn vor."))
    note = (note or "").strip()
    if consent:
        check(early_start, "consent", actor)
        if allowed_from is None:
            raise RuleViolated(_("Bitte geben Sie an, ab wann das Projekt beginnen darf."))
        fire(
            early_start,
            "consent",
            actor=actor,
            reason=note,
            data={"allowed_from": allowed_from},
            by=actor,
            allowed_from=allowed_from,
            note=note,
        )
    else:
        check(early_start, "refuse", actor)
        note = _require_reason(note)
        fire(early_start, "refuse", actor=actor, reason=note, by=actor, note=note)
    return early_start


def early_start_offered(application: Application) -> bool:
    """Whether the case file offers the decision step (reads the prefetched early starts)."""
    return application.state != S.DRAFT and any(
        early.state == EarlyStart.State.REQUESTED for early in application.early_starts.all()
    )
