"""Which domain event announces what to whom.

``on_domain_event`` runs inside the transaction of the lifecycle step (see grants.events), so
its outbox rows commit or roll back with the step. One function per event name, listed in
``HANDLERS`` where a reader can grep them. Events with ``announce=False`` write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import translation

from grants.models import Application, Decision, DomainEvent, Payout, RepaymentClaim
from notifications.models import Kind, Message
from notifications.outbox import decision_letter_attachment, recovery_notice_attachment
from notifications.services import (
    Recipient,
    applicant_recipients,
    base_context,
    format_date,
    format_money,
    message_create,
    send_after_commit,
    staff_recipients,
)

Handler = Callable[[DomainEvent], list[Message]]


def on_domain_event(event: DomainEvent) -> None:
    if not event.announce:
        return
    handler = HANDLERS.get(event.name)
    if handler is None or event.application is None:
        return
    messages = handler(event)
    send_after_commit([message.pk for message in messages])


def _write(
    event: DomainEvent,
    kind: str,
    recipients: list[Recipient],
    context: dict[str, Any] | None = None,
    files: list[dict[str, str]] | None = None,
) -> list[Message]:
    application = event.application
    full_context = {**base_context(application), **(context or {})}
    return [
        message_create(
            kind=kind,
            recipient=recipient,
            context=full_context,
            application=application,
            event=event,
            attachments=files or [],
            send=False,
        )
        for recipient in recipients
    ]


def _date(value: Any) -> Callable[[], str]:
    """Formatted later, in each recipient's language."""
    return lambda: format_date(value)


def _money(value: Any) -> Callable[[], str]:
    return lambda: format_money(value)


def _items(event: DomainEvent) -> list[str]:
    return [str(item) for item in event.payload.get("items", [])]


def _payout(event: DomainEvent) -> Payout:
    return Payout.objects.get(pk=event.payload["object_id"])


def _decision(event: DomainEvent) -> Decision:
    return Decision.objects.get(pk=event.payload["decision_id"])


# --- one function per announced step ---------------------------------------------------------


def submitted(event: DomainEvent) -> list[Message]:
    app = event.application
    return _write(
        event,
        Kind.RECEIPT,
        applicant_recipients(app),
        {"submitted_at": _date(app.submitted_at and app.submitted_at.date())},
    )


def changes_requested(event: DomainEvent) -> list[Message]:
    kind = (
        Kind.PROOF_CHANGES_REQUESTED
        if event.name == "application.request_proof_changes"
        else Kind.CHANGES_REQUESTED
    )
    return _write(
        event,
        kind,
        applicant_recipients(event.application),
        {"items": _items(event), "due_date": _date(event.payload.get("due_date"))},
    )


def resubmitted(event: DomainEvent) -> list[Message]:
    status_change = event.status_change
    return _write(
        event,
        Kind.RESUBMITTED,
        staff_recipients(event.application),
        {
            # Staff are sent to the file, not to the applicant's page.
            "page_url": base_context(event.application)["file_url"],
            "proof": event.name == "application.resubmit_proof",
            "note": status_change.reason if status_change else "",
        },
    )


def decided(event: DomainEvent) -> list[Message]:
    app: Application = event.application
    decision = _decision(event)
    approved = event.name == "application.approve"
    # The letter is made after the decision's commit; the mail names it and the sender
    # attaches it (see notifications.outbox.resolve_attachments).
    letters = [decision_letter_attachment(decision)]
    return _write(
        event,
        Kind.APPROVED if approved else Kind.REJECTED,
        applicant_recipients(app),
        {
            "decision_letter": bool(letters),
            "decision": decision,
            "amount": _money(decision.amount),
            "funding_start": _date(decision.funding_start),
            "funding_end": _date(decision.funding_end),
            "appeal_deadline": _date(app.appeal_deadline),
            "legal_remedy": _legal_remedy(app),
            "proof_due_date": _date(app.proof_due_date),
            "purpose": decision.purpose,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
        },
        letters,
    )


def notice_final(event: DomainEvent) -> list[Message]:
    return _write(
        event,
        Kind.NOTICE_FINAL,
        applicant_recipients(event.application),
        {
            "waived": event.name == "application.waive_appeal",
            "approved_amount": _money(event.application.approved_amount),
        },
    )


def payout_changed(event: DomainEvent) -> list[Message]:
    payout = _payout(event)
    paid = event.name == "payout.mark_paid"
    return _write(
        event,
        Kind.PAYOUT_PAID if paid else Kind.PAYOUT_ORDERED,
        applicant_recipients(event.application),
        {
            "payout": payout,
            "amount": _money(payout.amount),
            "due_date": _date(payout.due_date),
            "paid_on": _date(payout.paid_on),
            "payment_reference": payout.payment_reference,
        },
    )


def proof_accepted(event: DomainEvent) -> list[Message]:
    app = event.application
    justified = event.payload.get("justified_amount")
    paid = event.payload.get("paid")
    return _write(
        event,
        Kind.PROOF_ACCEPTED,
        applicant_recipients(app),
        {
            "justified_amount": _money(justified),
            "paid_amount": _money(paid),
            "approved_amount": _money(app.approved_amount),
            "repayment_expected": justified is not None
            and paid is not None
            and Decimal(str(paid)) > Decimal(str(justified)),
        },
    )


def repayment_claimed(event: DomainEvent) -> list[Message]:
    status_change = event.status_change
    claim_id = event.payload.get("claim_id")
    claim = RepaymentClaim.objects.filter(pk=claim_id).first() if claim_id else None
    body = event.application.programme.funding_body
    # The notice is made after the claim's commit; the sender attaches it as on file.
    letters = [recovery_notice_attachment(claim)] if claim is not None else []
    return _write(
        event,
        Kind.REPAYMENT_CLAIM,
        applicant_recipients(event.application),
        {
            "principal": _money(event.payload.get("principal")),
            "due_date": _date(event.payload.get("due_date")),
            "reason": status_change.reason if status_change else "",
            "recovery_notice": bool(letters),
            "account_holder": body.account_holder or body.name,
            "iban": body.iban,
            "bic": body.bic,
            "payment_reference": claim.payment_reference if claim else "",
            "legal_remedy": _legal_remedy(event.application),
        },
        letters,
    )


def _legal_remedy(application: Application) -> Callable[[], str]:
    """The programme's one legal remedy, in each recipient's language."""
    return lambda: application.programme.legal_remedy_in(translation.get_language() or "de")


HANDLERS: dict[str, Handler] = {
    "application.submit": submitted,
    "application.request_changes": changes_requested,
    "application.request_proof_changes": changes_requested,
    "application.resubmit": resubmitted,
    "application.resubmit_proof": resubmitted,
    "application.approve": decided,
    "application.reject": decided,
    "application.waive_appeal": notice_final,
    "application.expire_appeal_period": notice_final,
    "payout.order": payout_changed,
    "payout.mark_paid": payout_changed,
    "application.accept_proof": proof_accepted,
    "application.claim_repayment": repayment_claimed,
}
