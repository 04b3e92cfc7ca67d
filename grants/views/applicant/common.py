"""What several applicant pages show alike: the next step, the plan's figures, and the
request the applicant has to answer now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from core.formatting import eur
from grants.forms.correspondence import RequestItemAnswerForm
from grants.models import (
    Application,
    ApplicationState,
    Call,
    FinancingKind,
    PlanSummary,
    RepaymentClaim,
    amount_refusal,
)
from grants.selectors.correspondence import open_request

S = ApplicationState
PROOF_STATES = (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED)


@dataclass
class NextStep:
    text: str
    url: str = ""
    due: dt.date | None = None
    urgent: bool = False


def next_step(application: Application) -> NextStep:
    """The one thing the applicant should do now, or what they are waiting for."""
    pk = application.pk
    state = application.state
    if state == S.DRAFT:
        return NextStep(
            _("Antrag vervollständigen und einreichen"),
            reverse("portal:check", args=[pk]),
            application.call.deadline.date(),
        )
    if state == S.CHANGES_REQUESTED:
        return NextStep(
            _("Fehlende Unterlagen nachreichen"),
            reverse("portal:detail", args=[pk]) + "#nachforderung",
            application.response_due_date,
            urgent=True,
        )
    if state == S.APPROVED:
        return NextStep(
            _("Bescheid lesen und annehmen"),
            reverse("portal:detail", args=[pk]) + "#bescheid",
            application.appeal_deadline,
        )
    if (
        state in (S.FINAL, S.RUNNING)
        and application.approved_amount
        and application.paid_or_pending_amount < application.approved_amount
    ):
        return NextStep(
            _("Mittel abrufen, wenn Sie sie brauchen"), reverse("portal:payout", args=[pk])
        )
    if state in (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED) and (
        state != S.RUNNING or application.proof_overdue()
    ):
        return NextStep(
            _("Verwendungsnachweis einreichen")
            if state != S.PROOF_CHANGES_REQUESTED
            else _("Verwendungsnachweis ergänzen"),
            reverse("portal:proof", args=[pk]),
            application.response_due_date or application.proof_due_date,
            urgent=state != S.RUNNING,
        )
    if state == S.RUNNING:
        return NextStep(
            _("Projekt durchführen; Verwendungsnachweis folgt"),
            reverse("portal:proof", args=[pk]),
            application.proof_due_date,
        )
    if state == S.REPAYMENT_CLAIMED:
        claim = application.repayment_claims.filter(state=RepaymentClaim.State.OPEN).first()
        return NextStep(
            _("Rückforderung überweisen"),
            reverse("portal:detail", args=[pk]) + "#rueckforderung",
            claim.due_date if claim else None,
            urgent=True,
        )
    if state in (S.REJECTED, S.WITHDRAWN, S.CLOSED, S.REPAID, S.REVOKED, S.PROOF_ACCEPTED):
        return NextStep(_("Nichts zu tun"))
    return NextStep(_("Nichts zu tun – die Förderstelle meldet sich bei Ihnen"))


@dataclass
class PlanFigures:
    """What the plan step shows as totals; the same for the page and the live update."""

    summary: PlanSummary
    call: Call
    min_own_share_percent: Decimal

    @property
    def cap(self) -> Decimal:
        return self.call.cap

    @property
    def own_share_ok(self) -> bool:
        return self.summary.own_share_reaches(self.min_own_share_percent)

    @property
    def problems(self) -> list[str]:
        """Why the plan cannot be submitted as it is."""
        found = []
        summary = self.summary
        if summary.total_costs <= 0:
            found.append(_("Bitte tragen Sie mindestens eine Ausgabe ein."))
        elif not summary.balanced:
            found.append(
                _(
                    "Der Plan ist nicht ausgeglichen: Die Einnahmen sind %(diff)s %(direction)s "
                    "als die Ausgaben. Ausgaben und Einnahmen müssen gleich hoch sein."
                )
                % {
                    "diff": eur(abs(summary.difference)),
                    "direction": _("höher") if summary.difference > 0 else _("niedriger"),
                }
            )
        if summary.total_costs > 0 and summary.requested_amount <= 0:
            found.append(
                _("Bitte tragen Sie als Einnahme die beantragte Zuwendung ein (Art „%(kind)s“).")
                % {"kind": FinancingKind.GRANT.label}
            )
        # The amount rule the submission enforces; no grant at all is said above.
        refusal = summary.requested_amount > 0 and amount_refusal(
            self.call, summary.requested_amount
        )
        if refusal:
            found.append(refusal)
        return found


def _stored_figures(application: Application) -> PlanFigures:
    return PlanFigures(
        summary=application.plan,
        call=application.call,
        min_own_share_percent=application.programme.min_own_share_percent,
    )


def _open_request(application: Application, answer_forms: bool = False) -> dict | None:
    """The items and deadline of the request the applicant has to answer now; each item with
    its answer or, on the application's page, the form to answer it."""
    change = open_request(application)
    if change is None:
        return None
    data = change.data or {}
    items = data.get("items") or [line for line in change.reason.splitlines() if line.strip()]
    rows = list(change.items.select_related("answer").prefetch_related("answer__attachments"))
    if answer_forms:
        for row in rows:
            row.form = None if row.answered else RequestItemAnswerForm(item=row)  # type: ignore[attr-defined]
    return {
        "items": items,
        "rows": rows,
        "answer_here": answer_forms,
        "due_date": application.response_due_date,
        "asked_at": change.created_at,
    }
