"""Proof of use (kept as a draft by the applicant until submitted, with receipts), its check,
repayment claims with interest, and closing the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max as _Max
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from applicants.uploads import check_upload
from core.formatting import eur
from grants.errors import RuleViolated
from grants.lifecycle import check, fire, record
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
    RepaymentClaim,
    S,
    money,
)
from grants.selectors.proof import justified_grant, repayment_interest
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
from grants.services.correspondence import request_items_create


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
    budgets.reduce_commitment(
        application=application,
        to=max(justified, application.paid_amount),
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Verwendungsnachweis %(file)s") % {"file": application.file_number},
    )
    return proof_check


@transaction.atomic
def repayment_claim_record_repayment(
    *, claim: RepaymentClaim, actor: User, repaid_on: dt.date, seen: str | None = None
) -> RepaymentClaim:
    """Records the repayment with the interest computed under § 49a VwVfG."""
    _unchanged(claim.application, seen)
    interest = repayment_interest(claim, repaid_on).total
    return repayment_claim_settle(claim=claim, actor=actor, repaid_on=repaid_on, interest=interest)


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
    file: UploadedFile | None = None,
) -> Receipt:
    """An entry of the list of receipts; numbered in order of entry. The receipt's file, if
    given, is checked like every upload and stored under a random name."""
    application = _lock_for_applicant(application, actor, PROOF_EDITABLE_STATES)
    if cost_line.application_id != application.pk:
        raise RuleViolated(_("Diese Ausgabenposition gehört nicht zu diesem Antrag."))
    if date > timezone.localdate():
        raise RuleViolated(_("Das Belegdatum liegt in der Zukunft."))
    if not payee.strip() or not description.strip():
        raise RuleViolated(_("Bitte nennen Sie Empfänger*in und Zweck des Belegs."))
    content_type = ""
    if file is not None:
        try:
            content_type = check_upload(file)
        except ValidationError as exc:
            raise RuleViolated(exc.messages) from exc
    number = (application.receipts.aggregate(m=_Max("number"))["m"] or 0) + 1
    return Receipt.objects.create(
        application=application,
        cost_line=cost_line,
        number=number,
        date=date,
        payee=payee.strip()[:200],
        description=description.strip()[:200],
        amount=_money_in_range(amount, _("Beleg")),
        file=file or "",
        original_name=((file.name or "beleg") if file is not None else "")[:255],
        content_type=content_type,
        size=(file.size or 0) if file is not None else 0,
    )


@transaction.atomic
def receipt_remove(*, receipt: Receipt, actor: User) -> None:
    _lock_for_applicant(receipt.application, actor, PROOF_EDITABLE_STATES)
    Receipt.objects.filter(pk=receipt.pk).delete()
    if receipt.file:
        storage, name = receipt.file.storage, receipt.file.name
        transaction.on_commit(lambda: storage.delete(name))


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
    request = fire(
        application,
        "request_proof_changes",
        actor=actor,
        reason="\n".join(items),
        data={"items": items, "due_date": due_date},
        due_date=due_date,
    )
    request_items_create(request=request, items=items)
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
    committed = budgets.committed_for(application)
    budgets.reduce_commitment(
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
