"""Payouts: requested by the recipient or planned by case work, certified, ordered (four eyes),
exported and paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Applicant, Membership, User
from core.formatting import eur
from grants.errors import RuleViolated
from grants.lifecycle import fire, record
from grants.models import (
    APPLICANT,
    CASE_WORKER,
    PAYABLE_STATES,
    ZERO,
    Application,
    ApplicationState,
    Decision,
    Payout,
    add_months,
    money,
)
from grants.selectors.payouts import payout_year_room
from grants.services.base import _lock, _require, _require_reason, _unchanged
from grants.services.budgets import paid_total_add
from notifications.models import Kind
from notifications.services import base_context, message_create, recipient_for_user

S = ApplicationState
# The proof of use is with the funder: in check, sent back for changes, or checked.
PROOF_UNDER_CHECK_STATES = (S.PROOF_SUBMITTED, S.PROOF_CHANGES_REQUESTED)
PROOF_IN_HAND_STATES = (*PROOF_UNDER_CHECK_STATES, S.PROOF_ACCEPTED)


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


def _check_payout_amount(
    application: Application, amount: Decimal, due_date: dt.date
) -> tuple[Decimal, int]:
    """The amount as money and the fiscal year it is booked on, or a refusal that says why.
    Call it with the application locked: what is booked per year must not move meanwhile."""
    amount = money(amount)
    if amount <= 0:
        raise RuleViolated(_("Der Betrag muss größer als 0 € sein."))
    if application.state not in PAYABLE_STATES:
        raise RuleViolated(
            _("Mittel können erst abgerufen werden, wenn der Bescheid bestandskräftig ist.")
        )
    booked = application.paid_or_pending_amount
    if application.justified_amount is not None:
        # After the proof check what the figures justify is the cap, not the approval.
        remaining = max(ZERO, application.justified_amount - booked)
        if amount > remaining:
            raise RuleViolated(
                _(
                    "Nach der Prüfung des Verwendungsnachweises stehen %(justified)s zu; "
                    "ausgezahlt oder in Auszahlung sind %(booked)s. Es können höchstens noch "
                    "%(remaining)s ausgezahlt werden."
                )
                % {
                    "justified": eur(application.justified_amount),
                    "booked": eur(booked),
                    "remaining": eur(remaining),
                }
            )
    remaining = max(ZERO, application.approved_amount - booked)
    if amount > remaining:
        raise RuleViolated(
            _("Es können höchstens noch %(remaining)s abgerufen werden.")
            % {"remaining": eur(remaining)}
        )
    room = payout_year_room(application, due_date)
    if room.fiscal_year is None:
        raise RuleViolated(
            _(
                "Für das Haushaltsjahr %(year)s ist von der Bewilligung nichts gebunden. "
                "Bitte wählen Sie ein Fälligkeitsdatum in einem Haushaltsjahr des Bescheids."
            )
            % {"year": due_date.year}
        )
    if amount > room.remaining:
        raise RuleViolated(
            _(
                "Für das Haushaltsjahr %(year)s sind %(committed)s gebunden, davon sind "
                "%(booked)s ausgezahlt oder in Auszahlung. Auf dieses Jahr können höchstens "
                "noch %(remaining)s gebucht werden."
            )
            % {
                "year": room.fiscal_year,
                "committed": eur(room.committed),
                "booked": eur(room.booked),
                "remaining": eur(room.remaining),
            }
        )
    return amount, room.fiscal_year


def _check_call_for_funds_open(application: Application) -> None:
    """A call for funds is for money needed within the funding period: none after it ends, none
    once the proof of use is submitted (what is still due is paid after its check)."""
    if application.state in PROOF_IN_HAND_STATES:
        raise RuleViolated(
            _(
                "Der Verwendungsnachweis ist eingereicht: Mittel können nicht mehr abgerufen "
                "werden. Was nach der Prüfung noch zusteht, wird als Schlusszahlung ausgezahlt."
            )
        )
    end = application.funding_end
    if end is not None and timezone.localdate() > end:
        raise RuleViolated(
            _(
                "Der Förderzeitraum ist am %(end)s abgelaufen: Mittel können nicht mehr "
                "abgerufen werden. Was noch zusteht, wird nach der Prüfung des "
                "Verwendungsnachweises als Schlusszahlung ausgezahlt."
            )
            % {"end": f"{end:%d.%m.%Y}"}
        )


def payee_of(application: Application) -> dict[str, str]:
    """The organisation's bank details now, as a payout stores them."""
    return bank_details_of(application.applicant)


def bank_details_of(applicant: Applicant) -> dict[str, str]:
    return {
        "name": (applicant.account_holder or applicant.name)[:200],
        "iban": applicant.iban,
        "bic": applicant.bic,
    }


def _as_payee(details: dict[str, str]) -> dict[str, str]:
    return {f"payee_{key}": value for key, value in details.items()}


def _payee_fields(application: Application) -> dict[str, str]:
    return _as_payee(payee_of(application))


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
    _check_call_for_funds_open(application)
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
    amount, fiscal_year = _check_payout_amount(application, amount, needed_on)
    if not application.applicant.iban:
        raise RuleViolated(
            _(
                "Im Profil Ihrer Organisation fehlt die Bankverbindung (IBAN). Bitte ergänzen "
                "Sie sie, bevor Sie Mittel abrufen."
            )
        )
    payout = Payout.objects.create(
        **_payee_fields(application),
        application=application,
        programme_id=application.programme_id,
        state=Payout.State.REQUESTED,
        amount=amount,
        fiscal_year=fiscal_year,
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
    if application.state in PROOF_UNDER_CHECK_STATES:
        raise RuleViolated(
            _(
                "Der Verwendungsnachweis ist eingereicht: Bitte prüfen Sie ihn zuerst. Danach "
                "kann eine Schlusszahlung bis zur festgestellten Zuwendung geplant werden."
            )
        )
    amount, fiscal_year = _check_payout_amount(application, amount, due_date)
    payout = Payout.objects.create(
        **_payee_fields(application),
        application=application,
        programme_id=application.programme_id,
        state=Payout.State.PLANNED,
        kind=kind,
        amount=amount,
        fiscal_year=fiscal_year,
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
    paid_total_add(payout=payout)
    return payout


def _masked(iban: str) -> str:
    """An IBAN as a mail or a log may show it: country, check digits and the last four."""
    return f"{iban[:4]} … {iban[-4:]}" if len(iban) > 8 else iban


@transaction.atomic
def payouts_follow_bank_details(
    *, applicant: Applicant, actor: User | None, before: dict[str, str]
) -> list[Payout]:
    """The organisation's bank details changed from ``before``: every payout not yet with the
    cash office takes the new account. A certified or ordered payout goes back to be certified
    and ordered again (two people check the new account), with the reason on its record; the
    organisation's owners get a mail. Call it in the transaction that saved the change."""
    after = bank_details_of(applicant)
    if after == before:
        return []
    today = timezone.localdate()
    reason = _(
        "Die Bankverbindung der Organisation wurde am %(date)s geändert (IBAN %(old)s → "
        "%(new)s). Bitte die neue Bankverbindung prüfen und die Auszahlung erneut zeichnen "
        "und anordnen."
    ) % {"date": f"{today:%d.%m.%Y}", "old": _masked(before["iban"]), "new": _masked(after["iban"])}
    data = {"old_iban": _masked(before["iban"]), "new_iban": _masked(after["iban"])}
    payouts = list(
        Payout.objects.select_for_update()
        .filter(application__applicant=applicant, state__in=Payout.BEFORE_EXPORT_STATES)
        .select_related("application")
        .order_by("id")
    )
    for payout in payouts:
        certified = payout.state in (Payout.State.CERTIFIED, Payout.State.ORDERED)
        fire(
            payout,
            "return_for_certification" if certified else "take_new_bank_details",
            actor=actor,
            reason=reason,
            data=data,
            announce=False,
            **_as_payee(after),
        )
    owners = User.objects.filter(
        memberships__applicant=applicant,
        memberships__role=Membership.Role.OWNER,
        is_active=True,
    ).order_by("id")
    for owner in owners:
        message_create(
            kind=Kind.BANK_DETAILS_CHANGED,
            recipient=recipient_for_user(owner),
            context={
                **base_context(None),
                "applicant_name": applicant.name,
                "changed_by": (actor.get_full_name() or actor.email) if actor else "",
                "changed_on": f"{today:%d.%m.%Y}",
                "old_iban": _masked(before["iban"]),
                "new_iban": _masked(after["iban"]),
                "payouts_returned": sum(1 for p in payouts if p.state == Payout.State.RETURNED),
            },
        )
    return payouts
