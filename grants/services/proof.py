"""Proof of use (kept as a draft by the applicant until submitted, with receipts), its check,
repayment claims with interest, and closing the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max as _Max
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from core.formatting import eur
from grants.errors import RuleViolated
from grants.lifecycle import apply, check, fire, record
from grants.models import (
    PROOF_EDITABLE_STATES,
    ZERO,
    Application,
    BudgetEntry,
    CostLine,
    FinancingKind,
    ProofCheck,
    ProofCheckLine,
    Receipt,
    Repayment,
    RepaymentClaim,
    S,
    UnplannedIncome,
    money,
)
from grants.selectors.proof import proof_figures_for, repayment_interest
from grants.services import budgets
from grants.services.base import (
    MAX_LINE_AMOUNT,
    _lock,
    _lock_for_applicant,
    _money_in_range,
    _require_reason,
    _unchanged,
    _unless_changed,
)
from grants.services.recovery import recovery_notice_after_commit


@transaction.atomic
def proof_check_create(
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
    cuts: dict[int, Decimal] = {}
    claimed_by_line: dict[int, Decimal] = {}
    notes: dict[int, str] = {}
    for line in application.cost_lines.all():
        claimed = line.actual_amount if line.actual_amount is not None else ZERO
        claimed_by_line[line.pk] = claimed
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
        cuts[line.pk] = value
        notes[line.pk] = why.strip()
    # The 20 % rule and the income outside the plan are applied by the system, line by line.
    figures = proof_figures_for(application, cuts)
    lines = [
        ProofCheckLine(
            cost_line_id=row.key,
            planned_amount=row.planned,
            claimed_amount=claimed_by_line[row.key],
            recognised_amount=row.recognised,
            allowed_amount=row.allowed,
            effect=row.effect,
            note=notes[row.key],
        )
        for row in figures.costs
    ]
    total = figures.allowed_costs
    justified = figures.justified
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
    budgets.reduce_commitment(
        application=application,
        to=max(justified, application.paid_amount),
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Verwendungsnachweis %(file)s") % {"file": application.file_number},
    )
    return proof_check


# A part received leaves the claim open: recorded as a step in place, not a transition.
IN_PLACE_PART_REPAID = "part_repaid"


@transaction.atomic
def repayment_claim_record_repayment(
    *,
    claim: RepaymentClaim,
    actor: User,
    repaid_on: dt.date,
    amount: Decimal | None = None,
    seen: str | None = None,
) -> RepaymentClaim:
    """Records a payment received on the claim, whole or in part (``amount``; the rest if
    None). The part flows back to the budget at once and bears no interest from its day; with
    the last part the claim is settled with the interest under § 49a VwVfG over all parts."""
    application = _unchanged(claim.application, seen)
    claim = RepaymentClaim.objects.select_for_update().get(pk=claim.pk)
    check(claim, "settle", actor)
    outstanding = claim.outstanding
    amount = outstanding if amount is None else money(amount)
    if not 0 < amount <= outstanding:
        raise RuleViolated(
            _("Der Zahlungseingang muss zwischen 0,01 € und %(most)s liegen (noch offen).")
            % {"most": eur(outstanding)}
        )
    if repaid_on > timezone.localdate():
        raise RuleViolated(_("Das Eingangsdatum darf nicht in der Zukunft liegen."))
    last = claim.repayments.order_by("-received_on").first()
    if last is not None and repaid_on < last.received_on:
        raise RuleViolated(
            _("Das Eingangsdatum liegt vor dem zuletzt erfassten Zahlungseingang (%(day)s).")
            % {"day": f"{last.received_on:%d.%m.%Y}"}
        )
    if amount < outstanding:
        _repayment_book(
            claim=claim, application=application, actor=actor, day=repaid_on, amount=amount
        )
        record(
            claim,
            transition=IN_PLACE_PART_REPAID,
            source=claim.state,
            target=claim.state,
            actor=actor,
            data={
                "internal": True,
                "received_on": repaid_on,
                "amount": amount,
                "outstanding": outstanding - amount,
            },
            announce=False,
        )
        return claim
    result = repayment_interest(claim, repaid_on, pending=[(repaid_on, amount)])
    if not result.complete:
        raise RuleViolated(result.unknown_message)
    return repayment_claim_settle(
        claim=claim, actor=actor, repaid_on=repaid_on, interest=result.total
    )


def _repayment_book(
    *, claim: RepaymentClaim, application: Application, actor: User, day: dt.date, amount: Decimal
) -> Repayment:
    """A payment received: kept on the claim, and given back to the budget it came from."""
    repayment = Repayment.objects.create(
        claim=claim, received_on=day, amount=amount, recorded_by=actor
    )
    application = _lock(application)
    budgets.reduce_commitment(
        application=application,
        to=budgets.committed_for(application) - amount,
        kind=BudgetEntry.Kind.REPAYMENT,
        actor=actor,
        note=_("Erstattung %(file)s") % {"file": application.file_number},
    )
    return repayment


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


@transaction.atomic
def unplanned_income_add(
    *, application: Application, actor: User, kind: str, description: str, amount: Decimal
) -> UnplannedIncome:
    """Money the financing plan did not foresee (a donation, a second grant), declared with
    the proof of use; under Fehlbedarf- and Anteilsfinanzierung it reduces the grant."""
    application = _lock_for_applicant(application, actor, PROOF_EDITABLE_STATES)
    if kind not in UnplannedIncome.Kind.values:
        raise RuleViolated(_("Bitte wählen Sie die Art der Einnahme."))
    if not description.strip():
        raise RuleViolated(_("Bitte nennen Sie, von wem oder wofür die Einnahme ist."))
    return UnplannedIncome.objects.create(
        application=application,
        kind=kind,
        description=description.strip()[:200],
        amount=_money_in_range(amount, _("Einnahme")),
    )


@transaction.atomic
def unplanned_income_remove(*, income: UnplannedIncome, actor: User) -> None:
    _lock_for_applicant(income.application, actor, PROOF_EDITABLE_STATES)
    UnplannedIncome.objects.filter(pk=income.pk).delete()


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
    *,
    application: Application,
    actor: User,
    items: Sequence[str],
    due_date: dt.date,
    seen: str | None = None,
) -> Application:
    application = _unless_changed(application, seen)
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
    *,
    application: Application,
    actor: User,
    due_date: dt.date,
    reason: str,
    seen: str | None = None,
) -> Application:
    application = _unless_changed(application, seen)
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


@transaction.atomic
def repayment_claim_create(
    *,
    application: Application,
    actor: User,
    reason: str,
    due_date: dt.date,
    seen: str | None = None,
) -> RepaymentClaim:
    """Rückforderung of paid money that the proof of use or a revocation no longer justifies."""
    application = _unchanged(application, seen)
    reason = _require_reason(reason)
    _require_repayment_account(application)
    principal = application.repayable_amount
    # The claim is made before the step is announced, so the mail names its notice.
    name = "claim_repayment"
    source = apply(application, name, actor=actor)
    claim = RepaymentClaim.objects.create(
        application=application,
        principal=principal,
        reason=reason,
        due_date=due_date,
        created_by=actor,
    )
    record(
        application,
        transition=name,
        source=source,
        target=application.state,
        actor=actor,
        reason=reason,
        data={"principal": principal, "due_date": due_date, "claim_id": claim.pk},
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
    recovery_notice_after_commit(claim.pk)
    return claim


def _require_repayment_account(application: Application) -> None:
    """A recovery notice names the account to pay into; without one it cannot be issued."""
    if not application.programme.funding_body.iban:
        raise RuleViolated(
            _(
                "Für %(body)s ist kein Konto für Rückzahlungen hinterlegt; bitte in der "
                "Verwaltung beim Zuwendungsgeber ergänzen."
            )
            % {"body": application.programme.funding_body.name}
        )


@transaction.atomic
def repayment_claim_correct(
    *, claim: RepaymentClaim, actor: User, principal: Decimal, reason: str
) -> RepaymentClaim:
    """Aufhebung of an open claim made with a wrong amount, replaced by a corrected one (the
    old claim stays on file as cancelled). Claiming less recognises the difference as justified;
    claiming more is possible up to what was paid and is not justified."""
    reason = _require_reason(reason)
    application = _lock(claim.application)
    if claim.repayments.exists():
        # Parts received belong to this claim and its interest; a new claim would lose them.
        raise RuleViolated(
            _(
                "Auf diese Rückforderung sind schon Zahlungen eingegangen; sie kann nicht mehr "
                "berichtigt werden."
            )
        )
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
    recovery_notice_after_commit(corrected.pk)
    return corrected


@transaction.atomic
def repayment_claim_settle(
    *, claim: RepaymentClaim, actor: User, repaid_on: dt.date, interest: Decimal = ZERO
) -> RepaymentClaim:
    """The (rest of the) repayment has arrived: it flows back to the budget it came from, and
    the claim is settled with the interest charged."""
    if repaid_on > timezone.localdate():
        raise RuleViolated(_("Das Eingangsdatum darf nicht in der Zukunft liegen."))
    interest = money(interest)
    if interest < 0:
        raise RuleViolated(_("Zinsen dürfen nicht negativ sein."))
    outstanding = claim.outstanding
    fire(
        claim,
        "settle",
        actor=actor,
        data={"repaid_on": repaid_on, "interest": interest, "last_part": outstanding},
        repaid_on=repaid_on,
        interest=interest,
    )
    application = _lock(claim.application)
    if outstanding > 0:
        _repayment_book(
            claim=claim, application=application, actor=actor, day=repaid_on, amount=outstanding
        )
    if (
        application.state == S.REPAYMENT_CLAIMED
        and not application.repayment_claims.filter(state=RepaymentClaim.State.OPEN).exists()
    ):
        fire(application, "record_repayment", actor=actor, data={"claim_id": claim.pk})
    return claim


@transaction.atomic
def application_close(
    *, application: Application, actor: User, note: str = "", seen: str | None = None
) -> Application:
    """Abschluss: what was not paid out is released to the budget."""
    application = _unchanged(application, seen)
    fire(application, "close", actor=actor, reason=note.strip())
    repaid = (
        application.repayment_claims.filter(state=RepaymentClaim.State.SETTLED).aggregate(
            s=Sum("principal")
        )["s"]
        or ZERO
    )
    budgets.reduce_commitment(
        application=application,
        to=application.paid_amount - repaid,
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Abschluss %(file)s") % {"file": application.file_number},
    )
    return application
