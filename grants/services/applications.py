"""Applications from the draft to the decision, and the deadlines the system runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Applicant, Membership, User
from grants import budget
from grants.errors import ActionRefused, NotPermitted, RuleViolated
from grants.formatting import eur
from grants.lifecycle import apply, check, fire, record
from grants.models import (
    CASE_WORKER,
    ZERO,
    Application,
    BudgetEntry,
    Call,
    CommitteeVote,
    Decision,
    DecisionYearAmount,
    FileNumberSequence,
    Payout,
    add_months,
    money,
)
from grants.services.base import S, _lock, _require, _require_reason, logger


@transaction.atomic
def application_create(*, actor: User, applicant: Applicant, call: Call, title: str) -> Application:
    if not Membership.objects.filter(user=actor, applicant=applicant).exists():
        raise NotPermitted(_("Sie handeln nicht für diese Antragsteller*in."))
    if not call.is_open():
        raise RuleViolated(_("Der Förderaufruf ist nicht geöffnet."))
    application = Application(
        programme=call.programme,
        call=call,
        funding_area=call.funding_area,
        applicant=applicant,
        created_by=actor,
        title=title.strip(),
    )
    # The protected state field refuses the assignment that clean_fields() would make.
    application.full_clean(exclude=["state"])
    application.save()
    return application


def _next_file_number(application: Application) -> str:
    year = timezone.localdate().year
    sequence, _created = FileNumberSequence.objects.get_or_create(
        programme_id=application.programme_id, year=year
    )
    # The UPDATE holds the row lock until commit: racing submissions queue here, and a
    # rolled-back submission gives its number back, so numbers stay gap-free.
    FileNumberSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return f"{application.programme.code}-{year}-{sequence.last_number:04d}"


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    check(application, "submit", actor)
    fire(application, "submit", actor=actor, file_number=_next_file_number(application))
    return application


@transaction.atomic
def application_request_changes(
    *,
    application: Application,
    actor: User,
    items: Sequence[str],
    due_date: dt.date,
    announce: bool = True,
) -> Application:
    """Nachforderung: lists what is missing and until when; unlocks the application."""
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise RuleViolated(_("Bitte nennen Sie mindestens eine fehlende Unterlage oder Angabe."))
    if due_date <= timezone.localdate():
        raise RuleViolated(_("Die Frist muss in der Zukunft liegen."))
    fire(
        application,
        "request_changes",
        actor=actor,
        reason="\n".join(items),
        data={"items": items, "due_date": due_date},
        announce=announce,
        due_date=due_date,
    )
    return application


@transaction.atomic
def application_resubmit(*, application: Application, actor: User, note: str = "") -> Application:
    fire(application, "resubmit", actor=actor, reason=note.strip())
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str) -> Application:
    pending = application.pending_decision
    fire(application, "withdraw", actor=actor, reason=_require_reason(reason))
    if pending is not None:
        Decision.objects.filter(pk=pending.pk).update(status=Decision.Status.RETURNED)
    return application


# --- assessment and decision ----------------------------------------------------------------


@transaction.atomic
def application_start_review(
    *, application: Application, actor: User, note: str = "", announce: bool = True
) -> Application:
    fire(application, "start_review", actor=actor, reason=note.strip(), announce=announce)
    return application


@transaction.atomic
def application_record_own_share_justification(
    *, application: Application, actor: User, justification: str
) -> Application:
    """Aktenvermerk that allows an own share below the programme's minimum."""
    _require(CASE_WORKER, application, actor)
    if application.state not in (S.SUBMITTED, S.IN_REVIEW, S.AWAITING_VOTE, S.VOTED):
        raise RuleViolated(_("Ein Aktenvermerk ist nur während der Prüfung möglich."))
    application.own_share_justification = _require_reason(justification)
    application.save(update_fields=["own_share_justification"])
    return application


@transaction.atomic
def application_refer_to_committee(
    *, application: Application, actor: User, body: str, meeting_date: dt.date
) -> Application:
    fire(
        application,
        "refer_to_committee",
        actor=actor,
        data={"body": body, "meeting_date": meeting_date},
    )
    return application


@transaction.atomic
def application_record_vote(
    *,
    application: Application,
    actor: User,
    body: str,
    meeting_date: dt.date,
    votes_yes: int,
    votes_no: int,
    votes_abstain: int,
    recommendation: str,
    recommended_amount: Decimal | None = None,
    note: str = "",
) -> CommitteeVote:
    check(application, "record_vote", actor)
    if min(votes_yes, votes_no, votes_abstain) < 0:
        raise RuleViolated(_("Stimmenzahlen dürfen nicht negativ sein."))
    vote = CommitteeVote(
        application=application,
        body=body,
        meeting_date=meeting_date,
        votes_yes=votes_yes,
        votes_no=votes_no,
        votes_abstain=votes_abstain,
        recommendation=recommendation,
        recommended_amount=recommended_amount,
        recorded_by=actor,
    )
    vote.full_clean(exclude=["application", "recorded_by"])
    vote.save()
    fire(
        application,
        "record_vote",
        actor=actor,
        reason=note.strip(),
        data={
            "vote_id": vote.pk,
            "recommendation": recommendation,
            "yes": votes_yes,
            "no": votes_no,
            "abstain": votes_abstain,
        },
    )
    return vote


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
def application_propose_approval(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    funding_start: dt.date,
    funding_end: dt.date,
    purpose: str,
    conditions: str = "",
    financing_type: str | None = None,
    year_amounts: Mapping[int, Decimal] | None = None,
    note: str = "",
) -> Decision:
    """First pair of eyes: a funding notice is proposed for confirmation by a colleague."""
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
    if funding_end > add_months(funding_start, application.programme.max_project_months):
        raise RuleViolated(_("Der Förderzeitraum überschreitet die Höchstlaufzeit des Programms."))
    if not purpose.strip():
        raise RuleViolated(_("Bitte geben Sie den Zuwendungszweck an."))
    split = _split_by_year(amount, funding_start, funding_end, year_amounts)
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.APPROVE,
        amount=amount,
        financing_type=financing_type
        or application.programme.financing_type_for(amount, plan.own_share_percent),
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
def application_propose_rejection(
    *, application: Application, actor: User, reasons: str
) -> Decision:
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
def application_return_proposal(
    *, application: Application, actor: User, reason: str
) -> Application:
    pending = application.pending_decision
    fire(application, "return_proposal", actor=actor, reason=_require_reason(reason))
    Decision.objects.filter(pk=pending.pk).update(status=Decision.Status.RETURNED)
    return application


@transaction.atomic
def application_confirm_decision(
    *, application: Application, actor: User, note: str = ""
) -> Decision:
    """Second pair of eyes: confirms the pending proposal. An approval commits its amount
    against the budget of each fiscal year; if any budget falls short, nothing happens."""
    decision = application.pending_decision
    if decision is None:
        raise RuleViolated(_("Es liegt kein Entscheidungsvorschlag vor."))
    if decision.outcome == Decision.Outcome.APPROVE:
        name, data = "approve", {"decision_id": decision.pk, "amount": decision.amount}
        appeal_deadline = add_months(
            timezone.localdate(), application.programme.appeal_period_months
        )
        source = apply(
            application, name, actor=actor, decision=decision, appeal_deadline=appeal_deadline
        )
        budget.commit(application=application, decision=decision, actor=actor)
    else:
        name, data = "reject", {"decision_id": decision.pk}
        source = apply(application, name, actor=actor)
    decision.status = Decision.Status.CONFIRMED
    decision.confirmed_by = actor
    decision.confirmed_at = timezone.now()
    decision.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    # Announced last, so that subscribers (mail, the letter) see the confirmed decision.
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


@transaction.atomic
def application_waive_appeal(*, application: Application, actor: User) -> Application:
    """Rechtsbehelfsverzicht: the recipient accepts the notice; it becomes final now."""
    fire(application, "waive_appeal", actor=actor)
    return application


@transaction.atomic
def application_revoke(*, application: Application, actor: User, reason: str) -> Application:
    """Widerruf: open payouts are cancelled, unspent money released; paid money is then
    claimed back with :func:`repayment_claim_create`."""
    application = _lock(application)
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
    budget.reduce_commitment(
        application=application,
        to=application.paid_or_pending_amount,
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Widerruf %(file)s") % {"file": application.file_number},
    )
    return application


# --- deadlines run by the system --------------------------------------------------------------


@transaction.atomic
def application_expire_appeal_period(*, application: Application) -> Application:
    fire(application, "expire_appeal_period", actor=None)
    return application


@transaction.atomic
def application_start_project(*, application: Application) -> Application:
    fire(application, "start_project", actor=None)
    return application


@transaction.atomic
def application_end_funding_period(*, application: Application) -> Application:
    fire(application, "end_funding_period", actor=None, data={"due": application.proof_due_date})
    return application


def run_deadlines() -> dict[str, int]:
    """Moves every application whose deadline has passed; safe to run twice (a second run
    finds nothing in the old state). Each application is its own transaction, and one that is
    refused (changed meanwhile, say) is logged and left for the next run."""
    today = timezone.localdate()
    counts = {"final": 0, "running": 0, "proof_due": 0}
    steps = [
        ("final", S.APPROVED, {"appeal_deadline__lt": today}, application_expire_appeal_period),
        ("running", S.FINAL, {"funding_start__lte": today}, application_start_project),
        ("proof_due", S.RUNNING, {"funding_end__lt": today}, application_end_funding_period),
    ]
    for key, state, due, service in steps:
        for application in Application.objects.filter(state=state, **due):
            try:
                service(application=application)
            except ActionRefused as refused:
                logger.warning("deadline step %s refused for %s: %s", key, application, refused)
                continue
            counts[key] += 1
    return counts
