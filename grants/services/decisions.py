"""Decisions: proposed by one person with amounts per fiscal year and a payment plan, confirmed by
another (four eyes), which commits the budget and makes the letter; appeal waivers and
revocations; the programme's letter templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from core.formatting import eur
from grants.errors import RuleViolated
from grants.lifecycle import apply, check, fire, record
from grants.models import (
    ZERO,
    Application,
    BudgetEntry,
    Decision,
    DecisionYearAmount,
    FinancingType,
    Letter,
    LetterKind,
    LetterTemplate,
    Payout,
    PlannedInstalment,
    Programme,
    add_months,
    approval_refusals,
    money,
)
from grants.permissions import require_case_worker_of
from grants.services import budgets, letters
from grants.services.base import _require_reason, _unchanged, _unless_changed, logger
from grants.tasks import make_decision_letter

# A letter task normally finishes within seconds; the periodic job leaves it that long before
# making the letter itself, and gives up (the case file shows the error) after so many tries.
LETTER_GRACE = dt.timedelta(minutes=2)
LETTER_MAX_ATTEMPTS = 5


def _split_by_year(
    amount: Decimal, start: dt.date, end: dt.date, year_amounts: Mapping[int, Decimal] | None
) -> dict[int, Decimal]:
    if not year_amounts:
        if start.year != end.year:
            raise RuleViolated(
                _(
                    "Der Förderzeitraum reicht über mehrere Haushaltsjahre: Bitte teilen Sie "
                    "den Betrag auf die Jahre auf."
                )
            )
        return {start.year: amount}
    split = {int(year): money(value) for year, value in year_amounts.items() if value}
    if any(year < start.year or year > end.year for year in split):
        raise RuleViolated(_("Die Jahresanteile müssen im Förderzeitraum liegen."))
    if any(value <= 0 for value in split.values()):
        raise RuleViolated(_("Jahresanteile müssen positiv sein."))
    if sum(split.values(), ZERO) != amount:
        raise RuleViolated(
            _("Die Jahresanteile ergeben %(sum)s, bewilligt werden sollen %(amount)s.")
            % {"sum": eur(sum(split.values(), ZERO)), "amount": eur(amount)}
        )
    return split


@transaction.atomic
def application_waive_appeal(*, application: Application, actor: User) -> Application:
    """Rechtsbehelfsverzicht: the recipient accepts the notice; it becomes final now."""
    fire(application, "waive_appeal", actor=actor)
    return application


@transaction.atomic
def application_revoke(
    *, application: Application, actor: User, reason: str, seen: str | None = None
) -> Application:
    """Widerruf: open payouts are cancelled, unspent money released; paid money is then
    claimed back with :func:`repayment_claim_create`."""
    application = _unchanged(application, seen)
    reason = _require_reason(reason)
    check(application, "revoke", actor)
    for payout in application.payouts.filter(
        state__in=[
            Payout.State.PLANNED,
            Payout.State.REQUESTED,
            Payout.State.CERTIFIED,
            Payout.State.ORDERED,
        ]
    ):
        fire(payout, "cancel", actor=actor, reason=reason)
    fire(application, "revoke", actor=actor, reason=reason)
    budgets.reduce_commitment(
        application=application,
        to=application.paid_or_pending_amount,
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Widerruf %(file)s") % {"file": application.file_number},
    )
    return application


def suggest_year_split(
    amount: Decimal, start: dt.date, end: dt.date, max_years: int | None = None
) -> dict[int, Decimal]:
    """Shares per fiscal year in proportion to the project days in each year; the last
    year takes the rounding difference. Where the period touches more fiscal years than the
    programme lets a grant be split over (``max_years``), the last allowed year also takes
    the shares of the years after it."""
    amount = money(amount)
    total_days = (end - start).days + 1
    split: dict[int, Decimal] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        split[year] = money(amount * ((last - first).days + 1) / total_days)
    split[end.year] += amount - sum(split.values(), ZERO)
    if max_years is not None and len(split) > max_years >= 1:
        last_allowed = start.year + max_years - 1
        split[last_allowed] += sum(
            (value for year, value in split.items() if year > last_allowed), ZERO
        )
        split = {year: value for year, value in split.items() if year <= last_allowed}
    return {year: value for year, value in split.items() if value > 0}


def _check_instalments(
    instalments: Sequence[tuple[dt.date, Decimal]], amount: Decimal, end: dt.date
) -> list[tuple[dt.date, Decimal]]:
    plan = [(due, money(value)) for due, value in instalments if value]
    if not plan:
        return []
    if any(value <= 0 for _due, value in plan):
        raise RuleViolated(_("Raten müssen positiv sein."))
    if sum((value for _due, value in plan), ZERO) != amount:
        raise RuleViolated(
            _("Die Raten des Zahlungsplans ergeben %(sum)s, bewilligt werden sollen %(amount)s.")
            % {"sum": eur(sum((v for _d, v in plan), ZERO)), "amount": eur(amount)}
        )
    if any(due > end for due, _value in plan):
        raise RuleViolated(_("Raten dürfen nicht nach dem Ende des Förderzeitraums fällig sein."))
    return sorted(plan)


@transaction.atomic
def decision_propose(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    funding_start: dt.date,
    funding_end: dt.date,
    purpose: str,
    conditions: str = "",
    financing_type: str | None = None,
    financing_type_justification: str = "",
    vote_deviation_reason: str = "",
    year_amounts: Mapping[int, Decimal] | None = None,
    instalments: Sequence[tuple[dt.date, Decimal]] = (),
    note: str = "",
    seen: str | None = None,
) -> Decision:
    """First pair of eyes: a funding notice with its amounts per fiscal year and its payment
    plan is proposed for confirmation by a colleague. The programme's rules decide the
    financing type, bind the committee's vote, limit the period and its fiscal years and the
    start before submission (``grants.models.decision_rules``): a proposal that breaks one
    is refused with every reason, and nothing is kept."""
    application = _unless_changed(application, seen)
    instalment_plan = _check_instalments(instalments, money(amount), funding_end)
    check(application, "propose_approval", actor)
    amount = money(amount)
    plan = application.plan
    if amount <= 0:
        raise RuleViolated(_("Der Betrag muss größer als 0 € sein."))
    if amount > plan.requested_amount:
        raise RuleViolated(
            _("Es kann höchstens die beantragte Zuwendung von %(requested)s bewilligt werden.")
            % {"requested": eur(plan.requested_amount)}
        )
    if funding_end < funding_start:
        raise RuleViolated(_("Das Ende des Förderzeitraums liegt vor seinem Beginn."))
    if financing_type is not None and financing_type not in FinancingType.values:
        raise RuleViolated(_("Bitte wählen Sie eine Finanzierungsart."))
    if not purpose.strip():
        raise RuleViolated(_("Bitte geben Sie den Zuwendungszweck an."))
    split = _split_by_year(amount, funding_start, funding_end, year_amounts)
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.APPROVE,
        amount=amount,
        financing_type=financing_type or application.programme.financing_type_for(amount, plan),
        financing_type_justification=financing_type_justification.strip(),
        vote_deviation_reason=vote_deviation_reason.strip(),
        funding_start=funding_start,
        funding_end=funding_end,
        purpose=purpose.strip(),
        conditions=conditions.strip(),
        proposed_by=actor,
    )
    DecisionYearAmount.objects.bulk_create(
        DecisionYearAmount(decision=decision, fiscal_year=year, amount=value)
        for year, value in sorted(split.items())
    )
    refused = approval_refusals(decision)
    if refused:
        # Raised inside the transaction: the decision and its year amounts are rolled back.
        raise RuleViolated(refused)
    PlannedInstalment.objects.bulk_create(
        PlannedInstalment(decision=decision, due_date=due, amount=value)
        for due, value in instalment_plan
    )
    fire(
        application,
        "propose_approval",
        actor=actor,
        reason=note.strip(),
        data={"decision_id": decision.pk, "amount": amount, "years": split},
        announce=False,
    )
    return decision


@transaction.atomic
def decision_propose_rejection(
    *, application: Application, actor: User, reasons: str, seen: str | None = None
) -> Decision:
    application = _unless_changed(application, seen)
    check(application, "propose_rejection", actor)
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.REJECT,
        reasons=_require_reason(reasons),
        proposed_by=actor,
    )
    fire(
        application,
        "propose_rejection",
        actor=actor,
        reason=decision.reasons,
        data={"decision_id": decision.pk},
        announce=False,
    )
    return decision


@transaction.atomic
def decision_return(
    *, application: Application, actor: User, reason: str, seen: str | None = None
) -> Application:
    """The second person returns the proposal to the first; nothing is decided."""
    application = _unless_changed(application, seen)
    pending = application.pending_decision
    fire(application, "return_proposal", actor=actor, reason=_require_reason(reason))
    Decision.objects.filter(pk=pending.pk).update(status=Decision.Status.RETURNED)
    return application


@transaction.atomic
def decision_confirm(
    *, application: Application, actor: User, note: str = "", seen: str | None = None
) -> Decision:
    """Second pair of eyes: confirms the pending proposal. An approval commits its amount
    against the budget of each fiscal year; if any budget falls short, nothing happens.

    The letter (notice or rejection) is made by a background task enqueued after the commit,
    not here: WeasyPrint takes seconds per letter, the budget rows stay locked until the
    commit, and the person confirming should not wait for it. The decision's mail is written
    now and names the letter; the sender attaches it (and makes it, should it still be
    missing), so no mail goes out without its notice."""
    application = _unless_changed(application, seen)
    decision = application.pending_decision
    if decision is None:
        raise RuleViolated(_("Es liegt kein Entscheidungsvorschlag vor."))
    if decision.outcome == Decision.Outcome.APPROVE:
        try:
            check(application, "approve", actor)
        except RuleViolated:
            # Say which of the programme's rules the proposal breaks, not only that it does.
            detailed = approval_refusals(decision)
            if detailed:
                raise RuleViolated(detailed) from None
            raise
        name, data = "approve", {"decision_id": decision.pk, "amount": decision.amount}
        appeal_deadline = add_months(
            timezone.localdate(), application.programme.appeal_period_months
        )
        source = apply(
            application, name, actor=actor, decision=decision, appeal_deadline=appeal_deadline
        )
        budgets.commit(application=application, decision=decision, actor=actor)
    else:
        name, data = "reject", {"decision_id": decision.pk}
        source = apply(application, name, actor=actor)
    decision.status = Decision.Status.CONFIRMED
    decision.confirmed_by = actor
    decision.confirmed_at = timezone.now()
    decision.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    transaction.on_commit(partial(_enqueue_letter, decision.pk), robust=True)
    # Announced last, so that the mail subscriber sees the confirmed decision.
    record(
        application,
        transition=name,
        source=source,
        target=application.state,
        actor=actor,
        reason=note.strip() if name == "approve" else decision.reasons,
        data=data,
    )
    return decision


def decision_letter_create(*, decision: Decision, actor: User | None = None) -> Letter:
    """The letter of ``decision``, made now if it does not exist yet (idempotent): what was
    sent stays what is on file."""
    kind = (
        LetterKind.APPROVAL
        if decision.outcome == Decision.Outcome.APPROVE
        else LetterKind.REJECTION
    )
    existing = Letter.objects.filter(decision=decision, kind=kind).first()
    if existing is not None:
        return existing
    application = decision.application
    language = letters.letter_language(application)
    _subject, pdf = letters.render_letter(decision, language)
    prefix = "Zuwendungsbescheid" if kind == LetterKind.APPROVAL else "Ablehnungsbescheid"
    filename = f"{prefix}-{application.file_number}.pdf"
    letter = Letter(
        application=application,
        decision=decision,
        kind=kind,
        language=language,
        filename=filename,
        created_by=actor if actor is not None else decision.confirmed_by,
    )
    return letters.letter_store(letter, pdf, decision=decision, kind=kind)


def _enqueue_letter(decision_id: int) -> None:
    try:
        make_decision_letter.enqueue(decision_id=decision_id)
    except Exception:
        logger.exception(
            "Could not enqueue the letter of decision %s; run_periodic makes it", decision_id
        )


def decision_letter_make(*, decision_id: int) -> Letter | None:
    """The background step after a confirmation: makes the decision's letter. A failure is
    kept on the decision (shown in the case file, tried again by :func:`decision_letters_catch_up`)
    instead of being lost with the task."""
    decision = Decision.objects.select_related("application", "confirmed_by").get(pk=decision_id)
    try:
        letter = decision_letter_create(decision=decision)
    except Exception as exc:
        logger.exception("Making the letter of decision %s failed", decision_id)
        Decision.objects.filter(pk=decision_id).update(
            letter_attempts=F("letter_attempts") + 1,
            letter_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return None
    if decision.letter_error:
        Decision.objects.filter(pk=decision_id).update(letter_error="")
    return letter


def letters_missing() -> QuerySet[Decision]:
    """Confirmed decisions still without their letter (task waiting, running, lost or failed)."""
    return Decision.objects.filter(status=Decision.Status.CONFIRMED, letters__isnull=True)


def decision_letters_catch_up(*, older_than: dt.timedelta = LETTER_GRACE) -> int:
    """Periodic: makes the letters that the task did not make (its worker died, the enqueue
    failed, the rendering failed) up to ``LETTER_MAX_ATTEMPTS`` times; returns how many."""
    due = letters_missing().filter(
        confirmed_at__lt=timezone.now() - older_than, letter_attempts__lt=LETTER_MAX_ATTEMPTS
    )
    return sum(
        1 for pk in list(due.values_list("pk", flat=True)) if decision_letter_make(decision_id=pk)
    )


@transaction.atomic
def letter_template_save(
    *,
    programme: Programme,
    actor: User,
    kind: str,
    language: str,
    subject: str,
    body: str,
) -> LetterTemplate:
    """Staff edit the text of a programme's letters; a template that does not render is refused."""
    require_case_worker_of(programme.pk, actor)
    template, _created = LetterTemplate.objects.get_or_create(
        programme=programme,
        kind=kind,
        language=language,
        defaults={"subject": subject, "body": body},
    )
    template.subject, template.body = subject.strip(), body.strip()
    template.updated_by, template.updated_at = actor, timezone.now()
    letters.validate_template(template)
    template.full_clean()
    template.save()
    return template
