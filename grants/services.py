"""Use cases of the grant procedure, one function each, each one database transaction.

A service checks who acts and what the rules say (through the lifecycle's transitions), changes
the objects, books the budget, and writes the status-change record and the domain event that
notifications consume. Views and commands call these; nothing else changes a lifecycle.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Applicant, Membership, User
from grants import budget
from grants.calculations import justified_grant
from grants.errors import ActionRefused, NotPermitted, RuleViolated
from grants.formatting import eur
from grants.lifecycle import apply, check, fire, record
from grants.models import (
    APPLICANT,
    CASE_WORKER,
    PAYABLE_STATES,
    ZERO,
    Application,
    ApplicationState,
    BudgetEntry,
    Call,
    CommitteeVote,
    Decision,
    DecisionYearAmount,
    FileNumberSequence,
    FinancingKind,
    Payout,
    RepaymentClaim,
    add_months,
    money,
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


# --- applications: drafting and submission --------------------------------------------------


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


# --- payouts ----------------------------------------------------------------------------------


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
) -> Payout:
    """An instalment scheduled by the case worker (payment plan of the notice)."""
    _require(CASE_WORKER, application, actor)
    application = _lock(application)
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


# --- proof of use -----------------------------------------------------------------------------


@transaction.atomic
def application_submit_proof(
    *,
    application: Application,
    actor: User,
    report: str,
    actual_costs: Mapping[int, Decimal],
    actual_financing: Mapping[int, Decimal],
) -> Application:
    """Verwendungsnachweis: narrative report and actual amounts per plan line."""
    name = "submit_proof" if application.state != S.PROOF_CHANGES_REQUESTED else "resubmit_proof"
    check(application, name, actor)
    report = report.strip()
    if not report:
        raise RuleViolated(_("Bitte fügen Sie den Sachbericht bei."))
    for lines, actuals in (
        (application.cost_lines.all(), actual_costs),
        (application.financing_lines.exclude(category__kind=FinancingKind.GRANT), actual_financing),
    ):
        for line in lines:
            if line.pk not in actuals:
                raise RuleViolated(
                    _("Für „%(line)s“ fehlt der tatsächliche Betrag.") % {"line": line}
                )
            value = money(actuals[line.pk])
            if value < 0:
                raise RuleViolated(_("Beträge dürfen nicht negativ sein."))
            line.actual_amount = value
            line.save(update_fields=["actual_amount"])
    fire(application, name, actor=actor, report=report)
    return application


@transaction.atomic
def application_request_proof_changes(
    *, application: Application, actor: User, items: Sequence[str], due_date: dt.date
) -> Application:
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise RuleViolated(_("Bitte nennen Sie mindestens eine fehlende Unterlage oder Angabe."))
    if due_date <= timezone.localdate():
        raise RuleViolated(_("Die Frist muss in der Zukunft liegen."))
    fire(
        application,
        "request_proof_changes",
        actor=actor,
        reason="\n".join(items),
        data={"items": items, "due_date": due_date},
        due_date=due_date,
    )
    return application


@transaction.atomic
def application_extend_proof_deadline(
    *, application: Application, actor: User, due_date: dt.date, reason: str
) -> Application:
    if application.proof_due_date and due_date <= application.proof_due_date:
        raise RuleViolated(_("Die neue Frist muss nach der bisherigen liegen."))
    fire(
        application,
        "extend_proof_deadline",
        actor=actor,
        reason=_require_reason(reason),
        data={"previous": application.proof_due_date, "due_date": due_date},
        due_date=due_date,
    )
    return application


def proof_justified_amount(application: Application) -> Decimal:
    """What the actual figures of the proof of use justify under the notice's financing type."""
    actual_costs = application.cost_lines.aggregate(s=Sum("actual_amount"))["s"] or ZERO
    other = (
        application.financing_lines.exclude(category__kind=FinancingKind.GRANT).aggregate(
            s=Sum("actual_amount")
        )["s"]
        or ZERO
    )
    return justified_grant(
        financing_type=application.financing_type,
        approved=application.approved_amount,
        planned_costs=application.plan.total_costs,
        actual_costs=actual_costs,
        actual_other_financing=other,
    )


@transaction.atomic
def application_accept_proof(
    *, application: Application, actor: User, note: str = ""
) -> Application:
    """The proof of use is checked. The commitment shrinks to what stays bound: the justified
    grant, or what was paid if more (that part comes back through a repayment claim)."""
    application = _lock(application)
    justified = proof_justified_amount(application)
    fire(
        application,
        "accept_proof",
        actor=actor,
        reason=note.strip(),
        data={"justified_amount": justified, "paid": application.paid_amount},
        justified_amount=justified,
    )
    budget.reduce_commitment(
        application=application,
        to=max(justified, application.paid_amount),
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Verwendungsnachweis %(file)s") % {"file": application.file_number},
    )
    return application


@transaction.atomic
def repayment_claim_create(
    *, application: Application, actor: User, reason: str, due_date: dt.date
) -> RepaymentClaim:
    """Rückforderung of paid money that the proof of use or a revocation no longer justifies."""
    application = _lock(application)
    reason = _require_reason(reason)
    principal = application.repayable_amount
    fire(
        application,
        "claim_repayment",
        actor=actor,
        reason=reason,
        data={"principal": principal, "due_date": due_date},
    )
    claim = RepaymentClaim.objects.create(
        application=application,
        principal=principal,
        reason=reason,
        due_date=due_date,
        created_by=actor,
    )
    record(
        claim,
        transition="create",
        source="",
        target=claim.state,
        actor=actor,
        reason=reason,
        data={"principal": principal},
        announce=False,
    )
    return claim


@transaction.atomic
def repayment_claim_correct(
    *, claim: RepaymentClaim, actor: User, principal: Decimal, reason: str
) -> RepaymentClaim:
    """Aufhebung of an open claim made with a wrong amount, replaced by a corrected one (the
    old claim stays on file as cancelled). Claiming less recognises the difference as justified;
    claiming more is possible up to what was paid and is not justified."""
    reason = _require_reason(reason)
    application = _lock(claim.application)
    principal = money(principal)
    most = application.repayable_amount + claim.principal
    if not 0 < principal <= most:
        raise RuleViolated(
            _("Der Erstattungsbetrag muss zwischen 0,01 € und %(most)s liegen.")
            % {"most": eur(most)}
        )
    fire(claim, "cancel", actor=actor, reason=reason, announce=False)
    # What is no longer claimed is thereby recognised as justly spent (partial revocation).
    application.justified_amount += claim.principal - principal
    application.save(update_fields=["justified_amount"])
    corrected = RepaymentClaim.objects.create(
        application=application,
        principal=principal,
        reason=reason,
        due_date=claim.due_date,
        created_by=actor,
    )
    record(
        corrected,
        transition="create",
        source="",
        target=corrected.state,
        actor=actor,
        reason=reason,
        data={"principal": principal, "replaces": claim.pk},
    )
    return corrected


@transaction.atomic
def repayment_claim_settle(
    *, claim: RepaymentClaim, actor: User, repaid_on: dt.date, interest: Decimal = ZERO
) -> RepaymentClaim:
    """The repayment has arrived: the principal flows back to the budget it came from."""
    if repaid_on > timezone.localdate():
        raise RuleViolated(_("Das Eingangsdatum darf nicht in der Zukunft liegen."))
    interest = money(interest)
    if interest < 0:
        raise RuleViolated(_("Zinsen dürfen nicht negativ sein."))
    fire(
        claim,
        "settle",
        actor=actor,
        data={"repaid_on": repaid_on, "interest": interest},
        repaid_on=repaid_on,
        interest=interest,
    )
    application = _lock(claim.application)
    committed = budget.committed_for(application)
    budget.reduce_commitment(
        application=application,
        to=committed - claim.principal,
        kind=BudgetEntry.Kind.REPAYMENT,
        actor=actor,
        note=_("Erstattung %(file)s") % {"file": application.file_number},
    )
    if (
        application.state == S.REPAYMENT_CLAIMED
        and not application.repayment_claims.filter(state=RepaymentClaim.State.OPEN).exists()
    ):
        fire(application, "record_repayment", actor=actor, data={"claim_id": claim.pk})
    return claim


@transaction.atomic
def application_close(*, application: Application, actor: User, note: str = "") -> Application:
    """Abschluss: what was not paid out is released to the budget."""
    application = _lock(application)
    fire(application, "close", actor=actor, reason=note.strip())
    repaid = (
        application.repayment_claims.filter(state=RepaymentClaim.State.SETTLED).aggregate(
            s=Sum("principal")
        )["s"]
        or ZERO
    )
    budget.reduce_commitment(
        application=application,
        to=application.paid_amount - repaid,
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Abschluss %(file)s") % {"file": application.file_number},
    )
    return application


# --- applicant portal ---
# Steps of the applicant portal (grants/views/applicant.py): the applicant fills a draft step by
# step (or an application unlocked by a request for items), uploads attachments, and keeps the
# proof of use as a draft until it is submitted. Each step locks the application row and checks
# its state again, so a step taken on a stale page is refused instead of changing a submitted
# application. The imports sit here so that this section can be edited on its own.

from dataclasses import dataclass as _dataclass  # noqa: E402

from django.core.exceptions import ValidationError as _ValidationError  # noqa: E402
from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.db.models import Max as _Max  # noqa: E402

from applicants.uploads import check_upload  # noqa: E402
from grants.errors import ChangedMeanwhile as _ChangedMeanwhile  # noqa: E402
from grants.models import (  # noqa: E402
    EDITABLE_STATES,
    Area,
    Attachment,
    CostCategory,
    CostLine,
    DocumentType,
    FieldOfAction,
    FinancingCategory,
    FinancingLine,
    Receipt,
    TargetGroup,
)

# While the project runs and until the proof of use is checked, its figures may be kept.
PROOF_EDITABLE_STATES = (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED)
# No single plan line of a small grant reaches ten million euros: such input is a typo.
MAX_LINE_AMOUNT = Decimal("10000000.00")


@_dataclass(frozen=True)
class PlanLine:
    category_id: int
    description: str
    amount: Decimal


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


@transaction.atomic
def application_update_project(
    *,
    application: Application,
    actor: User,
    title: str,
    summary: str,
    goals: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    expected_participants: int | None,
    early_start_requested: bool,
    early_start_reason: str,
) -> Application:
    """Step "Projekt": what, why, when. A draft may stay incomplete; the check step lists
    what is missing. Contradictory input is refused."""
    application = _lock_for_applicant(application, actor, EDITABLE_STATES)
    title = title.strip()
    if not title:
        raise RuleViolated(_("Bitte geben Sie einen Projekttitel an."))
    if start_date and end_date and end_date < start_date:
        raise RuleViolated(_("Das Projektende liegt vor dem Projektbeginn."))
    if early_start_requested and not early_start_reason.strip():
        raise RuleViolated(_("Bitte begründen Sie, warum das Projekt vorzeitig beginnen soll."))
    application.title = title
    application.summary = summary.strip()
    application.goals = goals.strip()
    application.start_date = start_date
    application.end_date = end_date
    application.expected_participants = expected_participants
    application.early_start_requested = early_start_requested
    application.early_start_reason = early_start_reason.strip() if early_start_requested else ""
    fields = [
        "title",
        "summary",
        "goals",
        "start_date",
        "end_date",
        "expected_participants",
        "early_start_requested",
        "early_start_reason",
    ]
    try:
        application.full_clean(exclude=["state", "call", "programme", "applicant", "created_by"])
    except _ValidationError as exc:
        raise RuleViolated(exc.messages) from exc
    application.save(update_fields=fields)
    return application


@transaction.atomic
def application_update_classification(
    *,
    application: Application,
    actor: User,
    target_groups: Sequence[TargetGroup],
    fields_of_action: Sequence[FieldOfAction],
    areas: Sequence[Area],
) -> Application:
    """Step "Zuordnung": target groups, fields of action and areas of the programme."""
    application = _lock_for_applicant(application, actor, EDITABLE_STATES)
    for items in (target_groups, fields_of_action, areas):
        if any(item.programme_id != application.programme_id for item in items):
            raise RuleViolated(_("Diese Auswahl gehört nicht zu diesem Förderprogramm."))
    application.target_groups.set(target_groups)
    application.fields_of_action.set(fields_of_action)
    application.areas.set(areas)
    return application


@transaction.atomic
def application_replace_plan(
    *,
    application: Application,
    actor: User,
    costs: Sequence[PlanLine],
    financing: Sequence[PlanLine],
) -> Application:
    """Step "Kosten und Finanzierung": the plan's rows are replaced as a whole. The plan may
    be unbalanced while it is a draft; submission requires it to balance."""
    application = _lock_for_applicant(application, actor, EDITABLE_STATES)
    cost_categories = set(
        CostCategory.objects.filter(programme_id=application.programme_id).values_list(
            "pk", flat=True
        )
    )
    financing_categories = set(
        FinancingCategory.objects.filter(programme_id=application.programme_id).values_list(
            "pk", flat=True
        )
    )
    cost_rows = []
    for position, line in enumerate(costs, 1):
        label = _("Ausgaben, Zeile %(n)s") % {"n": position}
        if line.category_id not in cost_categories:
            raise RuleViolated(_("%(line)s: Bitte wählen Sie eine Ausgabenart.") % {"line": label})
        if not line.description.strip():
            raise RuleViolated(_("%(line)s: Bitte beschreiben Sie die Ausgabe.") % {"line": label})
        cost_rows.append(
            CostLine(
                application=application,
                category_id=line.category_id,
                description=line.description.strip()[:200],
                amount=_money_in_range(line.amount, label),
                position=position,
            )
        )
    financing_rows = []
    for position, line in enumerate(financing, 1):
        label = _("Finanzierung, Zeile %(n)s") % {"n": position}
        if line.category_id not in financing_categories:
            raise RuleViolated(
                _("%(line)s: Bitte wählen Sie eine Finanzierungsart.") % {"line": label}
            )
        financing_rows.append(
            FinancingLine(
                application=application,
                category_id=line.category_id,
                description=line.description.strip()[:200],
                amount=_money_in_range(line.amount, label),
                position=position,
            )
        )
    application.cost_lines.all().delete()
    application.financing_lines.all().delete()
    CostLine.objects.bulk_create(cost_rows)
    FinancingLine.objects.bulk_create(financing_rows)
    return application


def _attachment_states(document_type: DocumentType) -> Sequence[str]:
    if document_type.stage == DocumentType.Stage.PROOF_OF_USE:
        return PROOF_EDITABLE_STATES
    if document_type.stage == DocumentType.Stage.CORRESPONDENCE:
        return [state for state in S.values if state not in (S.DRAFT, S.CLOSED)]
    return EDITABLE_STATES


@transaction.atomic
def attachment_add(
    *,
    application: Application,
    actor: User,
    document_type: DocumentType,
    upload: UploadedFile,
) -> Attachment:
    """An attachment checked by its content (PDF, images, office documents) and size, stored
    under a random name outside the web root."""
    if document_type.programme_id != application.programme_id:
        raise RuleViolated(_("Diese Dokumentart gehört nicht zu diesem Förderprogramm."))
    application = _lock_for_applicant(application, actor, _attachment_states(document_type))
    try:
        content_type = check_upload(upload)
    except _ValidationError as exc:
        raise RuleViolated(exc.messages) from exc
    return Attachment.objects.create(
        application=application,
        document_type=document_type,
        file=upload,
        original_name=(upload.name or "anlage")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    _lock_for_applicant(attachment.application, actor, _attachment_states(attachment.document_type))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def application_save_proof(
    *,
    application: Application,
    actor: User,
    report: str,
    actual_costs: Mapping[int, Decimal | None],
    actual_financing: Mapping[int, Decimal | None],
) -> Application:
    """Keeps the proof of use as a draft: report and actual amounts, nothing submitted yet."""
    application = _lock_for_applicant(application, actor, PROOF_EDITABLE_STATES)
    for lines, actuals in (
        (application.cost_lines.all(), actual_costs),
        (application.financing_lines.exclude(category__kind=FinancingKind.GRANT), actual_financing),
    ):
        for line in lines:
            if line.pk not in actuals:
                continue
            value = actuals[line.pk]
            if value is not None:
                value = money(value)
                if value < 0:
                    raise RuleViolated(_("Beträge dürfen nicht negativ sein."))
                if value > MAX_LINE_AMOUNT:
                    raise RuleViolated(
                        _("Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe.")
                    )
            line.actual_amount = value
            line.save(update_fields=["actual_amount"])
    application.proof_report = report.strip()
    application.save(update_fields=["proof_report"])
    return application


@transaction.atomic
def receipt_add(
    *,
    application: Application,
    actor: User,
    cost_line: CostLine,
    date: dt.date,
    payee: str,
    description: str,
    amount: Decimal,
) -> Receipt:
    """An entry of the list of receipts; numbered in order of entry."""
    application = _lock_for_applicant(application, actor, PROOF_EDITABLE_STATES)
    if cost_line.application_id != application.pk:
        raise RuleViolated(_("Diese Ausgabenposition gehört nicht zu diesem Antrag."))
    if date > timezone.localdate():
        raise RuleViolated(_("Das Belegdatum liegt in der Zukunft."))
    if not payee.strip() or not description.strip():
        raise RuleViolated(_("Bitte nennen Sie Empfänger*in und Zweck des Belegs."))
    number = (application.receipts.aggregate(m=_Max("number"))["m"] or 0) + 1
    return Receipt.objects.create(
        application=application,
        cost_line=cost_line,
        number=number,
        date=date,
        payee=payee.strip()[:200],
        description=description.strip()[:200],
        amount=_money_in_range(amount, _("Beleg")),
    )


@transaction.atomic
def receipt_remove(*, receipt: Receipt, actor: User) -> None:
    _lock_for_applicant(receipt.application, actor, PROOF_EDITABLE_STATES)
    Receipt.objects.filter(pk=receipt.pk).delete()


# --- case work ---
# Steps of the case-work screens (grants/views/casework.py). Each takes ``seen``, the
# fingerprint of the application when the acting person loaded it (``application_seen``); a
# different fingerprint means somebody else acted meanwhile, and the step is refused with
# ChangedMeanwhile instead of overwriting what they did. The imports sit here so that this
# section can be edited without touching the rest of the module.

from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from django.db.models import Max  # noqa: E402

from grants import interest as interest_rules  # noqa: E402
from grants.errors import ChangedMeanwhile  # noqa: E402
from grants.models import (  # noqa: E402
    AgendaItem,
    Assessment,
    AssignmentChange,
    BaseRate,
    ChecklistAnswer,
    Committee,
    CommitteeMember,
    ConflictOfInterest,
    CriterionScore,
    InternalNote,
    LetterTemplate,
    Meeting,
    MemberVote,
    PlannedInstalment,
    Programme,
    ProofCheck,
    ProofCheckLine,
    StaffRole,
    has_programme_role,
)

REVIEW_STATES = (S.SUBMITTED, S.IN_REVIEW, S.AWAITING_VOTE, S.VOTED)
# Steps recorded in the audit trail without changing the state (source == target, marked
# ``internal`` in their data): not creation steps, so docs/lifecycle.md does not list them.
IN_PLACE_ASSIGN = "assign"
IN_PLACE_ASSESS = "assess"


def application_seen(application: Application) -> str:
    """Fingerprint of what a person saw: the state and the last recorded step."""
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
    """Locks the application and refuses if it changed since ``seen`` was taken."""
    application = _lock(application)
    if seen is not None and application_seen(application) != seen:
        raise _changed_meanwhile(application)
    return application


def _require_case_worker_of(programme_id: int, actor: User) -> None:
    if not has_programme_role(actor, programme_id, StaffRole.Role.CASE_WORKER):
        raise NotPermitted(CASE_WORKER.refusal)


@transaction.atomic
def casework_step(
    service: Callable[..., Any], *, application: Application, seen: str | None, **kwargs: Any
) -> Any:
    """Runs ``service`` on the application as the person saw it, or refuses (ChangedMeanwhile)."""
    return service(application=_unchanged(application, seen), **kwargs)


@transaction.atomic
def application_assign(
    *,
    application: Application,
    actor: User,
    assignee: User | None,
    reason: str = "",
    seen: str | None = None,
) -> Application:
    """Zuständigkeit: who handles the file. The history is kept in AssignmentChange."""
    _require(CASE_WORKER, application, actor)
    application = _unchanged(application, seen)
    if assignee is not None and not has_programme_role(
        assignee, application.programme_id, StaffRole.Role.CASE_WORKER
    ):
        raise RuleViolated(_("Diese Person ist nicht Sachbearbeitung dieses Programms."))
    previous_id = application.assigned_to_id
    if previous_id == (assignee.pk if assignee else None):
        raise RuleViolated(_("Diese Person ist bereits zuständig."))
    # Conditional write: only if nobody re-assigned the file since it was read.
    if not Application.objects.filter(pk=application.pk, assigned_to_id=previous_id).update(
        assigned_to=assignee
    ):
        raise _changed_meanwhile(application)
    application.assigned_to = assignee
    change = AssignmentChange.objects.create(
        application=application,
        previous_id=previous_id,
        assigned_to=assignee,
        actor=actor,
        reason=reason.strip(),
    )
    record(
        application,
        transition=IN_PLACE_ASSIGN,
        source=application.state,
        target=application.state,
        actor=actor,
        reason=reason.strip(),
        data={
            "internal": True,
            "assignment_id": change.pk,
            "previous": previous_id,
            "assigned_to": assignee.pk if assignee else None,
        },
        announce=False,
    )
    return application


@transaction.atomic
def application_add_note(*, application: Application, actor: User, text: str) -> InternalNote:
    """Interner Vermerk; the note itself is the record, it is never shown to applicants."""
    _require(CASE_WORKER, application, actor)
    return InternalNote.objects.create(
        application=application, author=actor, text=_require_reason(text)
    )


def own_share_below_minimum(application: Application) -> bool:
    return application.plan.own_share_percent < application.programme.min_own_share_percent


@transaction.atomic
def application_record_assessment(
    *,
    application: Application,
    actor: User,
    summary: str,
    recommendation: str,
    checklist: Mapping[int, tuple[bool, str]],
    scores: Mapping[int, tuple[int, str]],
    own_share_justification: str = "",
    seen: str | None = None,
) -> Assessment:
    """Prüfvermerk: the formal checklist, the scores per criterion of the programme, and the
    justification an own share below the programme's minimum needs."""
    _require(CASE_WORKER, application, actor)
    application = _unchanged(application, seen)
    if application.state not in REVIEW_STATES:
        raise RuleViolated(_("Ein Prüfvermerk ist nur während der Prüfung möglich."))
    summary = summary.strip()
    if not summary:
        raise RuleViolated(_("Bitte fassen Sie die fachliche Bewertung zusammen."))
    programme = application.programme
    items = list(programme.checklist_items.all())
    criteria = list(programme.assessment_criteria.all())
    messages = [
        _("Prüfpunkt „%(item)s“ ist nicht beantwortet.") % {"item": item.name}
        for item in items
        if item.pk not in checklist
    ]
    for criterion in criteria:
        score = scores.get(criterion.pk, (None, ""))[0]
        if score is None:
            messages.append(
                _("Kriterium „%(name)s“ ist nicht bewertet.") % {"name": criterion.name}
            )
        elif not 0 <= score <= criterion.max_score:
            messages.append(
                _("Kriterium „%(name)s“: 0 bis %(max)s Punkte.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
    justification = own_share_justification.strip()
    if (
        recommendation == Assessment.Recommendation.APPROVE
        and own_share_below_minimum(application)
        and not (justification or application.own_share_justification.strip())
    ):
        messages.append(
            _(
                "Der Eigenanteil liegt unter %(min)s %%: Für eine Förderempfehlung ist eine "
                "Begründung im Aktenvermerk nötig."
            )
            % {"min": programme.min_own_share_percent}
        )
    if messages:
        raise RuleViolated(messages)
    weighted = sum((Decimal(scores[c.pk][0]) * c.weight for c in criteria), Decimal(0)).quantize(
        Decimal("0.01")
    )
    reachable = sum((Decimal(c.max_score) * c.weight for c in criteria), Decimal(0)).quantize(
        Decimal("0.01")
    )
    assessment = Assessment.objects.create(
        application=application,
        author=actor,
        summary=summary,
        recommendation=recommendation,
        score=weighted,
        max_score=reachable,
    )
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            assessment=assessment,
            item=item,
            fulfilled=checklist[item.pk][0],
            note=checklist[item.pk][1].strip(),
        )
        for item in items
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            assessment=assessment,
            criterion=c,
            score=scores[c.pk][0],
            note=scores[c.pk][1].strip(),
        )
        for c in criteria
    )
    if justification and justification != application.own_share_justification:
        application.own_share_justification = justification
        application.save(update_fields=["own_share_justification"])
    record(
        application,
        transition=IN_PLACE_ASSESS,
        source=application.state,
        target=application.state,
        actor=actor,
        reason=summary,
        data={
            "internal": True,
            "assessment_id": assessment.pk,
            "score": weighted,
            "max_score": reachable,
            "recommendation": recommendation,
        },
        announce=False,
    )
    return assessment


# --- committees and meetings


def _meeting_unchanged(meeting: Meeting, version: int | None) -> Meeting:
    """Raises the meeting's version, or refuses if somebody else changed it meanwhile."""
    query = Meeting.objects.filter(pk=meeting.pk)
    if version is not None:
        query = query.filter(version=version)
    if not query.update(version=F("version") + 1):
        raise ChangedMeanwhile(
            _(
                "Die Sitzung wurde in der Zwischenzeit von jemand anderem bearbeitet. Es wurde "
                "nichts geändert; bitte prüfen Sie den aktuellen Stand."
            )
        )
    meeting.refresh_from_db()
    if meeting.closed_at is not None:
        raise RuleViolated(_("Die Sitzung ist abgeschlossen und kann nicht mehr geändert werden."))
    return meeting


@transaction.atomic
def meeting_create(*, committee_id: int, actor: User, date: dt.date, location: str = "") -> Meeting:
    committee = Committee.objects.get(pk=committee_id)
    _require_case_worker_of(committee.programme_id, actor)
    meeting = Meeting(committee=committee, date=date, location=location.strip(), created_by=actor)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def application_put_on_agenda(
    *,
    application: Application,
    actor: User,
    meeting: Meeting,
    proposed_amount: Decimal,
    note: str = "",
    seen: str | None = None,
) -> AgendaItem:
    """Puts the application on a meeting's agenda: it now waits for the committee's vote."""
    application = _unchanged(application, seen)
    check(application, "refer_to_committee", actor)
    if meeting.committee.programme_id != application.programme_id:
        raise RuleViolated(_("Das Gremium gehört nicht zu diesem Programm."))
    meeting = _meeting_unchanged(meeting, None)
    proposed_amount = money(proposed_amount)
    requested = application.plan.requested_amount
    if not ZERO < proposed_amount <= requested:
        raise RuleViolated(
            _("Der vorgeschlagene Betrag muss über 0 € und höchstens %(requested)s sein.")
            % {"requested": eur(requested)}
        )
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        application=application,
        position=position,
        proposed_amount=proposed_amount,
    )
    fire(
        application,
        "refer_to_committee",
        actor=actor,
        reason=note.strip(),
        data={
            "body": meeting.committee.name,
            "meeting_date": meeting.date,
            "meeting_id": meeting.pk,
            "proposed_amount": proposed_amount,
        },
        announce=False,
    )
    return item


@transaction.atomic
def agenda_item_declare_conflict(
    *,
    item: AgendaItem,
    actor: User,
    member: CommitteeMember,
    reason: str = "",
    version: int | None = None,
) -> ConflictOfInterest:
    """Befangenheit of a member for one item: the member will not vote on it."""
    _require_case_worker_of(item.meeting.committee.programme_id, actor)
    _meeting_unchanged(item.meeting, version)
    if member.committee_id != item.meeting.committee_id:
        raise RuleViolated(_("Diese Person gehört nicht zum Gremium."))
    if item.vote_id is not None:
        raise RuleViolated(_("Über diesen Punkt wurde bereits abgestimmt."))
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        agenda_item=item, member=member, defaults={"reason": reason.strip()}
    )
    return conflict


@transaction.atomic
def agenda_item_record_votes(
    *,
    item: AgendaItem,
    actor: User,
    votes: Mapping[int, str],
    recommended_amount: Decimal | None = None,
    note: str = "",
    version: int | None = None,
) -> AgendaItem:
    """Stimmen per member: conflicted members do not vote; a majority of yes over no makes
    the committee recommend approval. The application's vote is recorded with the counts."""
    meeting = item.meeting
    _require_case_worker_of(meeting.committee.programme_id, actor)
    _meeting_unchanged(meeting, version)
    item.refresh_from_db()
    if item.vote_id is not None:
        raise RuleViolated(_("Über diesen Punkt wurde bereits abgestimmt."))
    members = {m.pk: m for m in meeting.committee.members.filter(is_active=True)}
    conflicted = set(item.conflicts.values_list("member_id", flat=True))
    messages = []
    for member_id in votes:
        if member_id not in members:
            messages.append(_("Eine Stimme stammt nicht von einem Mitglied des Gremiums."))
        elif member_id in conflicted:
            messages.append(
                _("%(name)s ist befangen und stimmt über diesen Punkt nicht ab.")
                % {"name": members[member_id]}
            )
    if any(choice not in MemberVote.Choice.values for choice in votes.values()):
        messages.append(_("Ungültige Stimme."))
    if not votes:
        messages.append(_("Es wurde keine Stimme erfasst."))
    if messages:
        raise RuleViolated(messages)
    MemberVote.objects.bulk_create(
        MemberVote(agenda_item=item, member_id=member_id, choice=choice)
        for member_id, choice in votes.items()
    )
    counts = {choice: list(votes.values()).count(choice) for choice in MemberVote.Choice.values}
    approve = counts["yes"] > counts["no"]
    amount = money(recommended_amount) if recommended_amount else item.proposed_amount
    if approve and amount > item.application.plan.requested_amount:
        raise RuleViolated(_("Der empfohlene Betrag übersteigt die beantragte Zuwendung."))
    vote = application_record_vote(
        application=item.application,
        actor=actor,
        body=meeting.committee.name,
        meeting_date=meeting.date,
        votes_yes=counts["yes"],
        votes_no=counts["no"],
        votes_abstain=counts["abstain"],
        recommendation=Decision.Outcome.APPROVE if approve else Decision.Outcome.REJECT,
        recommended_amount=amount if approve else None,
        note=note,
    )
    item.vote = vote
    item.result = AgendaItem.Result.APPROVE if approve else AgendaItem.Result.REJECT
    item.recommended_amount = amount if approve else None
    item.save(update_fields=["vote", "result", "recommended_amount"])
    return item


@transaction.atomic
def meeting_save_minutes(
    *, meeting: Meeting, actor: User, minutes: str, close: bool = False, version: int | None = None
) -> Meeting:
    _require_case_worker_of(meeting.committee.programme_id, actor)
    meeting = _meeting_unchanged(meeting, version)
    meeting.minutes = minutes.strip()
    fields = ["minutes"]
    if close:
        if meeting.items.filter(vote__isnull=True).exists():
            raise RuleViolated(
                _("Es sind noch Tagesordnungspunkte ohne Abstimmung: bitte zuerst abstimmen.")
            )
        if not meeting.minutes:
            raise RuleViolated(_("Bitte erfassen Sie die Niederschrift."))
        meeting.closed_at = timezone.now()
        fields.append("closed_at")
    meeting.save(update_fields=fields)
    return meeting


def suggest_year_split(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Shares per fiscal year in proportion to the project days in each year; the last
    year takes the rounding difference."""
    amount = money(amount)
    total_days = (end - start).days + 1
    split: dict[int, Decimal] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        split[year] = money(amount * ((last - first).days + 1) / total_days)
    split[end.year] += amount - sum(split.values(), ZERO)
    return {year: value for year, value in split.items() if value > 0}


@transaction.atomic
def meeting_propose_decisions(*, meeting: Meeting, actor: User) -> list[Decision]:
    """Proposes the decision of every voted item in one go: approval with the recommended
    amount for the project's period, or rejection. All or nothing: if one item is refused,
    nothing is proposed and every reason is named."""
    _require_case_worker_of(meeting.committee.programme_id, actor)
    decisions: list[Decision] = []
    messages: list[str] = []
    today = timezone.localdate()
    for item in meeting.items.select_related("application").filter(vote__isnull=False):
        application = _lock(item.application)
        if application.state != S.VOTED:
            continue
        try:
            with transaction.atomic():
                if item.result == AgendaItem.Result.APPROVE:
                    start = max(application.start_date or today, today)
                    end = max(application.end_date or start, start)
                    amount = item.recommended_amount or item.proposed_amount
                    decisions.append(
                        application_propose_approval(
                            application=application,
                            actor=actor,
                            amount=amount,
                            funding_start=start,
                            funding_end=end,
                            purpose=application.title,
                            year_amounts=suggest_year_split(amount, start, end),
                            note=_("Votum %(body)s vom %(date)s")
                            % {"body": meeting.committee.name, "date": f"{meeting.date:%d.%m.%Y}"},
                        )
                    )
                else:
                    decisions.append(
                        application_propose_rejection(
                            application=application,
                            actor=actor,
                            reasons=_(
                                "Das Gremium %(body)s hat am %(date)s die Ablehnung empfohlen."
                            )
                            % {"body": meeting.committee.name, "date": f"{meeting.date:%d.%m.%Y}"},
                        )
                    )
        except ActionRefused as refused:
            messages.extend(f"{application.file_number}: {m}" for m in refused.messages)
    if messages:
        raise RuleViolated(messages)
    if not decisions:
        raise RuleViolated(
            _("In dieser Sitzung gibt es keine Voten, die noch zu entscheiden sind.")
        )
    return decisions


@transaction.atomic
def meeting_confirm_decisions(*, meeting: Meeting, actor: User) -> list[Decision]:
    """The second person confirms every proposal of the meeting in one go; all or nothing,
    so that the budget is never half committed for a meeting."""
    _require_case_worker_of(meeting.committee.programme_id, actor)
    confirmed: list[Decision] = []
    messages: list[str] = []
    for item in meeting.items.select_related("application"):
        application = _lock(item.application)
        if application.state != S.DECISION_PROPOSED:
            continue
        try:
            with transaction.atomic():
                confirmed.append(application_confirm(application=application, actor=actor))
        except ActionRefused as refused:
            messages.extend(f"{application.file_number}: {m}" for m in refused.messages)
    if messages:
        raise RuleViolated(messages)
    if not confirmed:
        raise RuleViolated(_("In dieser Sitzung gibt es keine Vorschläge zu bestätigen."))
    return confirmed


# --- decisions with payment plan and letter


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
def application_propose_notice(
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
    instalments: Sequence[tuple[dt.date, Decimal]] = (),
    note: str = "",
    seen: str | None = None,
) -> Decision:
    """Proposal of a funding notice with its payment plan (first pair of eyes)."""
    application = _unchanged(application, seen)
    plan = _check_instalments(instalments, money(amount), funding_end)
    decision = application_propose_approval(
        application=application,
        actor=actor,
        amount=amount,
        funding_start=funding_start,
        funding_end=funding_end,
        purpose=purpose,
        conditions=conditions,
        financing_type=financing_type or None,
        year_amounts=year_amounts,
        note=note,
    )
    PlannedInstalment.objects.bulk_create(
        PlannedInstalment(decision=decision, due_date=due, amount=value) for due, value in plan
    )
    return decision


@transaction.atomic
def application_confirm(
    *, application: Application, actor: User, note: str = "", seen: str | None = None
) -> Decision:
    """Second pair of eyes confirms; the letter (notice or rejection) is made and stored with
    the application. The notification of the decision attaches the same letter."""
    from grants import letters

    application = _unchanged(application, seen)
    decision = application_confirm_decision(application=application, actor=actor, note=note)
    letters.letter_for_decision(decision, actor=actor)
    return decision


@transaction.atomic
def payouts_plan_from_notice(*, application: Application, actor: User) -> list[Payout]:
    """Turns the payment plan of the notice into planned payouts, once the notice is final."""
    _require(CASE_WORKER, application, actor)
    application = _lock(application)
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


# --- proof of use, repayment and interest


@transaction.atomic
def application_check_proof(
    *,
    application: Application,
    actor: User,
    depth: str,
    findings: str,
    recognised: Mapping[int, tuple[Decimal, str]] | None = None,
    seen: str | None = None,
) -> ProofCheck:
    """Prüfung des Verwendungsnachweises. A quick check takes the actual figures as claimed;
    an in-depth check may recognise less per cost line (with a reason). The grant these
    figures justify is computed by the notice's financing type; money paid beyond it can
    then be claimed back."""
    application = _unchanged(application, seen)
    check(application, "accept_proof", actor)
    findings = _require_reason(findings)
    recognised = recognised or {}
    if depth == ProofCheck.Depth.QUICK and recognised:
        raise RuleViolated(_("Abweichende Beträge setzen eine vertiefte Prüfung voraus."))
    lines: list[ProofCheckLine] = []
    total = ZERO
    for line in application.cost_lines.all():
        claimed = line.actual_amount if line.actual_amount is not None else ZERO
        value, why = recognised.get(line.pk, (claimed, ""))
        value = money(value)
        if not ZERO <= value <= claimed:
            raise RuleViolated(
                _("„%(line)s“: anerkannt werden können 0 € bis %(claimed)s.")
                % {"line": line.description, "claimed": eur(claimed)}
            )
        if value < claimed and not why.strip():
            raise RuleViolated(
                _("„%(line)s“: Bitte begründen Sie die Kürzung.") % {"line": line.description}
            )
        lines.append(
            ProofCheckLine(
                cost_line=line, claimed_amount=claimed, recognised_amount=value, note=why.strip()
            )
        )
        total += value
    other = (
        application.financing_lines.exclude(category__kind=FinancingKind.GRANT).aggregate(
            s=Sum("actual_amount")
        )["s"]
        or ZERO
    )
    justified = justified_grant(
        financing_type=application.financing_type,
        approved=application.approved_amount,
        planned_costs=application.plan.total_costs,
        actual_costs=total,
        actual_other_financing=other,
    )
    proof_check = ProofCheck.objects.create(
        application=application,
        depth=depth,
        findings=findings,
        recognised_costs=total,
        justified_amount=justified,
        checked_by=actor,
    )
    for line in lines:
        line.check_record = proof_check
    ProofCheckLine.objects.bulk_create(lines)
    fire(
        application,
        "accept_proof",
        actor=actor,
        reason=findings,
        data={
            "justified_amount": justified,
            "paid": application.paid_amount,
            "recognised_costs": total,
            "depth": depth,
            "check_id": proof_check.pk,
        },
        justified_amount=justified,
    )
    budget.reduce_commitment(
        application=application,
        to=max(justified, application.paid_amount),
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Verwendungsnachweis %(file)s") % {"file": application.file_number},
    )
    return proof_check


def base_rates() -> list[tuple[dt.date, Decimal]]:
    return list(BaseRate.objects.values_list("valid_from", "rate_percent"))


def repayment_interest(claim: RepaymentClaim, until: dt.date) -> interest_rules.InterestResult:
    """§ 49a VwVfG interest on ``claim`` if it is repaid on ``until``: from each payout the
    claim takes back (latest first) up to the day of repayment."""
    paid = claim.application.payouts.filter(state=Payout.State.PAID).values_list(
        "paid_on", "amount"
    )
    try:
        taken = interest_rules.allocate_latest_first(claim.principal, list(paid))
        return interest_rules.interest_49a(amounts=taken, until=until, rates=base_rates())
    except LookupError as exc:
        raise RuleViolated(
            _(
                "Für den Zeitraum ist kein Basiszinssatz hinterlegt; bitte in der Verwaltung ergänzen."
            )
        ) from exc
    except ValueError as exc:
        raise RuleViolated(_("Die Rückforderung übersteigt die ausgezahlten Mittel.")) from exc


@transaction.atomic
def repayment_claim_record_repayment(
    *, claim: RepaymentClaim, actor: User, repaid_on: dt.date, seen: str | None = None
) -> RepaymentClaim:
    """Records the repayment with the interest computed under § 49a VwVfG."""
    _unchanged(claim.application, seen)
    interest = repayment_interest(claim, repaid_on).total
    return repayment_claim_settle(claim=claim, actor=actor, repaid_on=repaid_on, interest=interest)


@transaction.atomic
def letter_template_save(
    *,
    programme: Programme,
    actor: User,
    kind: str,
    language: str,
    subject: str,
    body: str,
    legal_remedies: str,
) -> LetterTemplate:
    """Staff edit the text of a programme's letters; a template that does not render is refused."""
    from grants import letters

    _require_case_worker_of(programme.pk, actor)
    template, _created = LetterTemplate.objects.get_or_create(
        programme=programme,
        kind=kind,
        language=language,
        defaults={"subject": subject, "body": body, "legal_remedies": legal_remedies},
    )
    template.subject, template.body = subject.strip(), body.strip()
    template.legal_remedies = legal_remedies.strip()
    template.updated_by, template.updated_at = actor, timezone.now()
    letters.validate_template(template)
    template.full_clean()
    template.save()
    return template
