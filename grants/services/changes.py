"""Change requests (Änderungsanträge) during the project: a longer funding period or a
changed financing plan."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applicants.models import User
from core import formatting
from grants.errors import RuleViolated
from grants.lifecycle import check, fire, record
from grants.models import (
    APPLICANT,
    CHANGEABLE_STATES,
    Application,
    ChangeRequest,
    add_months,
    period_last_day,
)
from grants.services.base import _lock, _require, _require_reason, _unless_changed


@transaction.atomic
def change_request_submit(
    *,
    application: Application,
    actor: User,
    kind: str,
    reason: str,
    new_funding_end: dt.date | None = None,
) -> ChangeRequest:
    """The recipient asks to extend the funding period (``period``) or to change the financing
    plan (``plan``) while the notice is final or the project is running; one open request per
    application at a time."""
    application = _lock(application)
    _require(APPLICANT, application, actor)
    if application.state not in CHANGEABLE_STATES:
        raise RuleViolated(
            _(
                "Ein Änderungsantrag ist nur möglich, solange der Bescheid bestandskräftig ist "
                "oder das Projekt läuft."
            )
        )
    if kind not in ChangeRequest.Kind.values:
        raise RuleViolated(_("Bitte wählen Sie die Art der Änderung."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolated(_("Bitte begründen Sie die beantragte Änderung."))
    if application.change_requests.filter(state=ChangeRequest.State.REQUESTED).exists():
        raise RuleViolated(
            _(
                "Es liegt bereits ein offener Änderungsantrag vor; bitte warten Sie die Entscheidung ab."
            )
        )
    if kind == ChangeRequest.Kind.PERIOD:
        if new_funding_end is None:
            raise RuleViolated(_("Bitte geben Sie das neue Ende des Förderzeitraums an."))
        if application.funding_end and new_funding_end <= application.funding_end:
            raise RuleViolated(
                _("Das neue Ende muss nach dem bisherigen Ende des Förderzeitraums liegen.")
            )
        limit = period_last_day(application.funding_start, application.programme.max_project_months)
        if new_funding_end > limit:
            raise RuleViolated(
                _(
                    "Der Förderzeitraum darf höchstens %(months)s Monate dauern, also bis "
                    "spätestens %(limit)s."
                )
                % {
                    "months": application.programme.max_project_months,
                    "limit": formatting.day(limit),
                }
            )
    else:
        new_funding_end = None
    try:
        with transaction.atomic():
            change_request = ChangeRequest.objects.create(
                application=application,
                kind=kind,
                new_funding_end=new_funding_end,
                reason=reason,
                requested_by=actor,
            )
    except IntegrityError as exc:  # a parallel request won the race
        raise RuleViolated(
            _(
                "Es liegt bereits ein offener Änderungsantrag vor; bitte warten Sie die Entscheidung ab."
            )
        ) from exc
    record(
        change_request,
        transition="request",
        source="",
        target=change_request.state,
        actor=actor,
        reason=reason,
        data={"kind": kind, "new_funding_end": new_funding_end},
    )
    return change_request


@transaction.atomic
def change_request_decide(
    *, application: Application, actor: User, approve: bool, note: str = "", seen: str | None = None
) -> ChangeRequest:
    """The case worker approves or rejects a change request (a note is required to reject).

    Approving a period change moves the application's ``funding_end`` and with it the due date
    of the proof of use, recorded on the application's trail (``extend_funding_period``).
    Approving a plan change only records the decision: the plan lines are not rewritten here;
    the recipient enters the changed plan figures in the proof of use."""
    application = _unless_changed(application, seen)
    change_request = application.change_requests.filter(state=ChangeRequest.State.REQUESTED).first()
    if change_request is None:
        raise RuleViolated(_("Es liegt kein offener Änderungsantrag vor."))
    note = (note or "").strip()
    if approve:
        fire(change_request, "approve", actor=actor, reason=note, by=actor, note=note)
        if change_request.kind == ChangeRequest.Kind.PERIOD:
            application = _lock(change_request.application)
            previous = application.funding_end
            fire(
                application,
                "extend_funding_period",
                actor=actor,
                reason=change_request.reason,
                data={
                    "change_request": change_request.pk,
                    "previous": previous,
                    "funding_end": change_request.new_funding_end,
                    "proof_due_date": add_months(
                        change_request.new_funding_end, application.programme.proof_of_use_months
                    ),
                },
                funding_end=change_request.new_funding_end,
            )
            change_request.application = application
    else:
        check(change_request, "reject", actor)
        note = _require_reason(note)
        fire(change_request, "reject", actor=actor, reason=note, by=actor, note=note)
    return change_request
