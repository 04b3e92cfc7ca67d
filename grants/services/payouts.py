"""Payouts: requested by the recipient or planned by case work, certified, ordered (four eyes),
exported and paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from core.formatting import eur
from grants.errors import RuleViolated
from grants.lifecycle import fire, record
from grants.models import (
    APPLICANT,
    CASE_WORKER,
    PAYABLE_STATES,
    Application,
    Decision,
    Payout,
    add_months,
    money,
)
from grants.services.base import _lock, _require, _require_reason, _unchanged


@transaction.atomic
def payout_plan_from_decision(
    *, application: Application, actor: User, seen: str | None = None
) -> list[Payout]:
    """Turns the payment plan of the notice into planned payouts, once the notice is final."""
    application = _unchanged(application, seen)
    _require(CASE_WORKER, application, actor)
    decision = (
        application.decisions.filter(
            status=Decision.Status.CONFIRMED, outcome=Decision.Outcome.APPROVE
        )
        .order_by("-id")
        .first()
    )
    instalments = list(decision.planned_instalments.all()) if decision else []
    if not instalments:
        raise RuleViolated(_("Der Bescheid enthält keinen Zahlungsplan."))
    if application.payouts.exclude(state=Payout.State.CANCELLED).exists():
        raise RuleViolated(_("Es gibt bereits Auszahlungen; bitte einzeln planen."))
    today = timezone.localdate()
    return [
        payout_plan(
            application=application,
            actor=actor,
            amount=instalment.amount,
            due_date=max(instalment.due_date, today),
            kind=Payout.Kind.FINAL if last else Payout.Kind.INSTALMENT,
        )
        for last, instalment in (
            (i == len(instalments) - 1, inst) for i, inst in enumerate(instalments)
        )
    ]


def _check_payout_amount(application: Application, amount: Decimal) -> Decimal:
    amount = money(amount)
    if amount <= 0:
        raise RuleViolated(_("Der Betrag muss größer als 0 € sein."))
    if application.state not in PAYABLE_STATES:
        raise RuleViolated(
            _("Mittel können erst abgerufen werden, wenn der Bescheid bestandskräftig ist.")
        )
    remaining = application.approved_amount - application.paid_or_pending_amount
    if amount > remaining:
        raise RuleViolated(
            _("Es können höchstens noch %(remaining)s abgerufen werden.")
            % {"remaining": eur(remaining)}
        )
    return amount


def _payment_reference(application: Application, kind: str) -> str:
    label = _("Schlusszahlung") if kind == Payout.Kind.FINAL else _("Abschlag")
    return f"{application.file_number} {label} {application.title}"[:140]


@transaction.atomic
def payout_request(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    needed_on: dt.date,
    note: str = "",
) -> Payout:
    """Mittelabruf by the recipient: only what is needed within the programme's period."""
    _require(APPLICANT, application, actor)
    application = _lock(application)
    amount = _check_payout_amount(application, amount)
    today = timezone.localdate()
    if needed_on < today:
        raise RuleViolated(
            _("Das Datum, zu dem das Geld benötigt wird, liegt in der Vergangenheit.")
        )
    months = application.programme.payout_need_months
    if needed_on > add_months(today, months):
        raise RuleViolated(
            _(
                "Es dürfen nur Mittel abgerufen werden, die innerhalb von %(months)s Monaten "
                "benötigt werden."
            )
            % {"months": months}
        )
    payout = Payout.objects.create(
        application=application,
        state=Payout.State.REQUESTED,
        amount=amount,
        fiscal_year=needed_on.year,
        due_date=needed_on,
        payment_reference=_payment_reference(application, Payout.Kind.INSTALMENT),
        requested_by=actor,
    )
    record(
        payout,
        transition="request",
        source="",
        target=payout.state,
        actor=actor,
        reason=note.strip(),
        data={"amount": amount},
    )
    return payout


@transaction.atomic
def payout_plan(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    due_date: dt.date,
    kind: str = Payout.Kind.INSTALMENT,
    seen: str | None = None,
) -> Payout:
    """An instalment scheduled by the case worker (payment plan of the notice)."""
    application = _unchanged(application, seen)
    _require(CASE_WORKER, application, actor)
    amount = _check_payout_amount(application, amount)
    payout = Payout.objects.create(
        application=application,
        state=Payout.State.PLANNED,
        kind=kind,
        amount=amount,
        fiscal_year=due_date.year,
        due_date=due_date,
        payment_reference=_payment_reference(application, kind),
        requested_by=actor,
    )
    record(
        payout,
        transition="plan",
        source="",
        target=payout.state,
        actor=actor,
        data={"amount": amount},
    )
    return payout


@transaction.atomic
def payout_certify(*, payout: Payout, actor: User, note: str = "") -> Payout:
    """Sachlich und rechnerisch richtig."""
    fire(payout, "certify", actor=actor, reason=note.strip(), by=actor, announce=False)
    return payout


@transaction.atomic
def payout_order(*, payout: Payout, actor: User, note: str = "") -> Payout:
    """Anordnung by a different person than the one who certified."""
    fire(payout, "order", actor=actor, reason=note.strip(), by=actor)
    return payout


@transaction.atomic
def payout_cancel(*, payout: Payout, actor: User, reason: str) -> Payout:
    fire(payout, "cancel", actor=actor, reason=_require_reason(reason))
    return payout


@transaction.atomic
def payout_mark_exported(*, payout: Payout, actor: User, batch_reference: str = "") -> Payout:
    fire(payout, "mark_exported", actor=actor, data={"batch": batch_reference}, announce=False)
    return payout


@transaction.atomic
def payout_mark_paid(*, payout: Payout, actor: User, paid_on: dt.date) -> Payout:
    if paid_on > timezone.localdate():
        raise RuleViolated(_("Das Zahlungsdatum darf nicht in der Zukunft liegen."))
    fire(payout, "mark_paid", actor=actor, data={"paid_on": paid_on}, paid_on=paid_on)
    return payout
