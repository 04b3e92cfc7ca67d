"""Proof of use, repayment claims and closing the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from grants import budget
from grants.calculations import justified_grant
from grants.errors import RuleViolated
from grants.formatting import eur
from grants.lifecycle import check, fire, record
from grants.models import (
    ZERO,
    Application,
    BudgetEntry,
    FinancingKind,
    RepaymentClaim,
    money,
)
from grants.services.base import S, _lock, _require_reason


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
