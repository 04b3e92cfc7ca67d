"""Applications with their django-fsm lifecycle. States, permissions and conditions are in
``application_rules``; plans in ``application_plans``; submissions and their file numbers in
``application_submissions``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applicants.models import Applicant
from grants.models.application_rules import (
    APPLICANT,
    APPLICANT_LABELS,
    CASE_WORKER,
    GRANTED_STATES,
    SECOND_CASE_WORKER,
    SYSTEM,
    WITHDRAWABLE_STATES,
    ApplicationState,
    PlanSummary,
    S,
    amount_in_range,
    appeal_period_over,
    applicant_eligible,
    approval_proposed,
    call_open,
    committee_required,
    funding_period_over,
    funding_period_started,
    grant_requested,
    no_open_payouts,
    not_started_yet,
    nothing_to_repay,
    own_share_rule_met,
    period_within_limit,
    place_in_area,
    plan_balances,
    plan_of,
    project_described,
    rejection_proposed,
    repayment_settled,
    required_documents_attached,
    something_to_repay,
    vote_requirement_met,
)
from grants.models.base import MONEY, ZERO, add_months, money, prefetched
from grants.models.decision_rules import programme_rules_kept
from grants.models.programmes import (
    Area,
    Call,
    DocumentType,
    FieldOfAction,
    FinancingType,
    FundingArea,
    Programme,
    TargetGroup,
)

if TYPE_CHECKING:
    from grants.models.decisions import Decision


# Which date is an application's next deadline in each state (stored as ``next_deadline``).
DEADLINE_BY_STATE = {
    ApplicationState.APPROVED: "appeal_deadline",  # then the notice becomes final
    ApplicationState.CHANGES_REQUESTED: "response_due_date",  # requested items
    ApplicationState.PROOF_CHANGES_REQUESTED: "response_due_date",
    ApplicationState.RUNNING: "proof_due_date",
    ApplicationState.PROOF_DUE: "proof_due_date",
}


class Application(ConcurrentTransitionMixin, models.Model):
    """Antrag auf Zuwendung, from the first draft to the closed file."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    funding_area = models.ForeignKey(
        FundingArea, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("zuständig"),
    )
    state = FSMField(
        _("Status"),
        default=S.DRAFT,
        choices=ApplicationState.choices,
        protected=True,
        db_index=True,
    )
    file_number = models.CharField(
        _("Aktenzeichen"), max_length=30, null=True, blank=True, unique=True, editable=False
    )

    title = models.CharField(_("Projekttitel"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    goals = models.TextField(_("Ziele"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, verbose_name=_("Zielgruppen"))
    fields_of_action = models.ManyToManyField(
        FieldOfAction, blank=True, verbose_name=_("Handlungsfelder")
    )
    areas = models.ManyToManyField(Area, blank=True, verbose_name=_("Gebiete"))
    start_date = models.DateField(_("Projektbeginn"), null=True, blank=True)
    end_date = models.DateField(_("Projektende"), null=True, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("Erwartete Teilnehmende"), null=True, blank=True
    )
    early_start_requested = models.BooleanField(
        _("Vorzeitiger Maßnahmebeginn beantragt"), default=False
    )
    early_start_reason = models.TextField(_("Begründung vorzeitiger Beginn"), blank=True)

    proof_report = models.TextField(_("Sachbericht"), blank=True)

    own_share_justification = models.TextField(
        _("Aktenvermerk: Begründung geringerer Eigenanteil"), blank=True
    )

    # Booked by services when the decision is confirmed; never typed in a form.
    approved_amount = models.DecimalField(
        _("Bewilligter Betrag"), **MONEY, null=True, blank=True, editable=False
    )
    financing_type = models.CharField(
        _("Finanzierungsart"),
        max_length=20,
        choices=FinancingType.choices,
        blank=True,
        editable=False,
    )
    funding_start = models.DateField(_("Förderzeitraum von"), null=True, blank=True, editable=False)
    funding_end = models.DateField(_("Förderzeitraum bis"), null=True, blank=True, editable=False)
    appeal_deadline = models.DateField(
        _("Ende der Rechtsbehelfsfrist"), null=True, blank=True, editable=False
    )
    proof_due_date = models.DateField(
        _("Verwendungsnachweis fällig am"), null=True, blank=True, editable=False
    )
    justified_amount = models.DecimalField(
        _("Nach Prüfung zustehende Zuwendung"), **MONEY, null=True, blank=True, editable=False
    )
    response_due_date = models.DateField(
        _("Frist für Nachreichung"), null=True, blank=True, editable=False
    )

    # Kept by the services that change them (grants/services/queue.py), so that the work queue
    # sorts and pages on indexed columns and never aggregates every application per request.
    requested_amount = models.DecimalField(
        _("beantragte Zuwendung"), **MONEY, default=ZERO, editable=False
    )
    next_deadline = models.DateField(_("nächste Frist"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        # One per sort of the work queue (both directions by a backward scan). The nullable
        # dates have a second, descending index with empty values last, made by migration
        # 0007 in each database's own syntax (SQLite has no NULLS LAST in an index).
        indexes = [
            models.Index(fields=["programme", "state"], name="application_programme_state"),
            models.Index(fields=["submitted_at", "id"], name="application_submitted"),
            models.Index(fields=["next_deadline", "id"], name="application_deadline"),
            models.Index(fields=["requested_amount", "id"], name="application_requested"),
            models.Index(fields=["title", "id"], name="application_title"),
            models.Index(fields=["state", "id"], name="application_state"),
            # Counted from the index alone: the overdue deadlines and "meine Fälle" per state.
            models.Index(fields=["programme", "next_deadline"], name="application_overdue"),
            models.Index(
                fields=["assigned_to", "programme", "state"], name="application_assigned_state"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="application_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="application_approved_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(file_number__isnull=False),
                name="application_file_number_after_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_number or _('Entwurf')}: {self.title}"

    def get_state_display(self) -> str:  # type: ignore[no-redef]  # declared by django-stubs
        # Django's own rebuilds the labels of all states, translating each, on every call: the
        # queue's fifty rows paid a thousand translations for fifty labels.
        return str(ApplicationState(self.state).label)

    # --- derived figures ------------------------------------------------------------------

    def deadline_now(self) -> dt.date | None:
        """The next deadline in the current state; what ``next_deadline`` must hold."""
        field = DEADLINE_BY_STATE.get(self.state)
        return getattr(self, field) if field else None

    @property
    def plan(self) -> PlanSummary:
        return plan_of(self)

    @property
    def applicant_label(self) -> str:
        return APPLICANT_LABELS[self.state]

    @property
    def needs_committee_vote(self) -> bool:
        return self.needs_committee_vote_for(None)

    def needs_committee_vote_for(self, plan: PlanSummary | None) -> bool:
        track = self.call.decision_track
        if track == Call.DecisionTrack.COMMITTEE:
            return True
        if track == Call.DecisionTrack.ADMINISTRATION:
            return False
        plan = plan or self.plan
        return plan.requested_amount > self.programme.administrative_decision_limit

    @property
    def pending_decision(self) -> Decision | None:
        from grants.models.decisions import Decision

        if prefetched(self, "decisions"):
            proposed = [d for d in self.decisions.all() if d.status == Decision.Status.PROPOSED]
            return max(proposed, key=lambda d: d.pk, default=None)
        return self.decisions.filter(status=Decision.Status.PROPOSED).order_by("-id").first()

    # Pages may read the totals with the application (grants.selectors.applications);
    # everyone else, services above all, asks the database when asking.

    @property
    def paid_amount(self) -> Decimal:
        from grants.models.payouts import Payout

        if "paid_total" in self.__dict__:
            return money(self.__dict__["paid_total"])
        if prefetched(self, "payouts"):
            return money(sum(p.amount for p in self.payouts.all() if p.state == Payout.State.PAID))
        total = self.payouts.filter(state=Payout.State.PAID).aggregate(s=Sum("amount"))["s"]
        return money(total)

    @property
    def paid_or_pending_amount(self) -> Decimal:
        """Money paid or on its way: what the approval must still cover."""
        from grants.models.payouts import Payout

        if "paid_or_pending_total" in self.__dict__:
            return money(self.__dict__["paid_or_pending_total"])
        total = self.payouts.exclude(state=Payout.State.CANCELLED).aggregate(s=Sum("amount"))["s"]
        return money(total)

    @property
    def repayable_amount(self) -> Decimal:
        """Paid money the checked figures (or a revocation) no longer justify and that has not
        yet been claimed back."""
        from grants.models.proof import RepaymentClaim

        if self.justified_amount is None:
            return ZERO
        if prefetched(self, "repayment_claims"):
            cancelled = RepaymentClaim.State.CANCELLED
            claims = self.repayment_claims.all()
            claimed = sum(c.principal for c in claims if c.state != cancelled)
        else:
            claims = self.repayment_claims.exclude(state=RepaymentClaim.State.CANCELLED)
            claimed = claims.aggregate(s=Sum("principal"))["s"]
        return max(ZERO, self.paid_amount - self.justified_amount - money(claimed))

    @property
    def early_start_consented(self) -> bool:
        # Over the early starts as loaded: the case file prefetches them.
        return any(e.state == "consented" for e in self.early_starts.all())

    def missing_document_types(self) -> list[DocumentType]:
        """The required document types with no file: an attachment of that type, or a file
        sent in answer to an item of a Nachforderung that asked for that type."""
        # One query (the flags of the case file and the rules of several steps ask this).
        answered = self.request_items.filter(
            document_type=OuterRef("pk"), answer__attachments__isnull=False
        )
        return list(
            self.programme.document_types.filter(
                stage=DocumentType.Stage.APPLICATION, required_for_submission=True
            )
            .exclude(Exists(self.attachments.filter(document_type=OuterRef("pk"))))
            .exclude(Exists(answered))
        )

    def proof_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state in (S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED, S.RUNNING) and bool(
            self.proof_due_date and self.proof_due_date < today
        )

    # --- lifecycle ------------------------------------------------------------------------
    # Transition bodies only change this object in memory; services save, book and log.

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=APPLICANT,
        conditions=[
            project_described,
            applicant_eligible,
            place_in_area,
            call_open,
            not_started_yet,
            period_within_limit,
            plan_balances,
            grant_requested,
            amount_in_range,
            required_documents_attached,
        ],
    )
    def submit(self, *, file_number: str) -> None:
        """Einreichen: the file number is given and the application is locked."""
        self.file_number = file_number
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=[S.SUBMITTED, S.IN_REVIEW],
        target=S.CHANGES_REQUESTED,
        permission=CASE_WORKER,
    )
    def request_changes(self, *, due_date: dt.date) -> None:
        """Nachforderung: unlocks the application for the applicant until ``due_date``."""
        self.response_due_date = due_date

    @transition(
        field=state,
        source=S.CHANGES_REQUESTED,
        target=S.SUBMITTED,
        permission=APPLICANT,
        conditions=[
            project_described,
            plan_balances,
            grant_requested,
            amount_in_range,
            period_within_limit,
            required_documents_attached,
        ],
    )
    def resubmit(self) -> None:
        """Nachgereicht: back to the case worker; the call's deadline no longer applies."""
        self.response_due_date = None

    @transition(field=state, source=S.SUBMITTED, target=S.IN_REVIEW, permission=CASE_WORKER)
    def start_review(self) -> None:
        """Formal check passed; the content assessment begins."""

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.VOTED],
        target=S.AWAITING_VOTE,
        permission=CASE_WORKER,
        conditions=[committee_required],
    )
    def refer_to_committee(self) -> None:
        """Put on the agenda of the deciding committee; again after a vote, when the
        decision is to deviate from it (a new vote replaces the earlier one)."""

    @transition(field=state, source=S.AWAITING_VOTE, target=S.VOTED, permission=CASE_WORKER)
    def record_vote(self) -> None:
        """The committee's vote (Votum) is recorded."""

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.VOTED],
        target=S.DECISION_PROPOSED,
        permission=CASE_WORKER,
        conditions=[vote_requirement_met, plan_balances, amount_in_range, own_share_rule_met],
    )
    def propose_approval(self) -> None:
        """First pair of eyes: proposes a funding notice."""

    @transition(
        field=state,
        source=[S.SUBMITTED, S.IN_REVIEW, S.VOTED],
        target=S.DECISION_PROPOSED,
        permission=CASE_WORKER,
    )
    def propose_rejection(self) -> None:
        """First pair of eyes: proposes a reasoned rejection."""

    @transition(
        field=state,
        source=S.DECISION_PROPOSED,
        target=S.IN_REVIEW,
        permission=SECOND_CASE_WORKER,
    )
    def return_proposal(self) -> None:
        """The second person does not confirm; the proposal goes back for rework."""

    @transition(
        field=state,
        source=S.DECISION_PROPOSED,
        target=S.APPROVED,
        permission=SECOND_CASE_WORKER,
        conditions=[approval_proposed, programme_rules_kept],
    )
    def approve(self, *, decision: Decision, appeal_deadline: dt.date) -> None:
        """Bewilligung confirmed by a second person; the service commits the budget."""
        self.approved_amount = decision.amount
        self.financing_type = decision.financing_type
        self.funding_start = decision.funding_start
        self.funding_end = decision.funding_end
        self.appeal_deadline = appeal_deadline
        self.proof_due_date = add_months(decision.funding_end, self.programme.proof_of_use_months)
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.DECISION_PROPOSED,
        target=S.REJECTED,
        permission=SECOND_CASE_WORKER,
        conditions=[rejection_proposed],
    )
    def reject(self) -> None:
        """Ablehnung confirmed by a second person."""
        self.decided_at = timezone.now()

    @transition(field=state, source=WITHDRAWABLE_STATES, target=S.WITHDRAWN, permission=APPLICANT)
    def withdraw(self) -> None:
        """The applicant withdraws before the notice is issued."""

    @transition(field=state, source=S.APPROVED, target=S.FINAL, permission=APPLICANT)
    def waive_appeal(self) -> None:
        """Rechtsbehelfsverzicht: the notice becomes final at once."""

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.FINAL,
        permission=SYSTEM,
        conditions=[appeal_period_over],
    )
    def expire_appeal_period(self) -> None:
        """Bestandskraft after the appeal period passed without appeal."""

    @transition(
        field=state,
        source=S.FINAL,
        target=S.RUNNING,
        permission=SYSTEM,
        conditions=[funding_period_started],
    )
    def start_project(self) -> None:
        """The funding period has begun."""

    @transition(
        field=state,
        source=S.RUNNING,
        target=S.PROOF_DUE,
        permission=SYSTEM,
        conditions=[funding_period_over],
    )
    def end_funding_period(self) -> None:
        """The funding period is over; the proof of use is due."""

    @transition(
        field=state,
        source=[S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED],
        target=None,
        permission=CASE_WORKER,
    )
    def extend_proof_deadline(self, *, due_date: dt.date) -> None:
        """Fristverlängerung for the proof of use; the state stays as it is."""
        self.proof_due_date = due_date

    @transition(field=state, source=[S.FINAL, S.RUNNING], target=None, permission=CASE_WORKER)
    def extend_funding_period(self, *, funding_end: dt.date) -> None:
        """An approved change request extends the funding period, and with it the due date of
        the proof of use; the state stays as it is."""
        self.funding_end = funding_end
        self.proof_due_date = add_months(funding_end, self.programme.proof_of_use_months)

    @transition(
        field=state,
        source=[S.RUNNING, S.PROOF_DUE],
        target=S.PROOF_SUBMITTED,
        permission=APPLICANT,
    )
    def submit_proof(self, *, report: str) -> None:
        """Verwendungsnachweis eingereicht, with its narrative report (Sachbericht)."""
        self.proof_report = report

    @transition(
        field=state,
        source=S.PROOF_SUBMITTED,
        target=S.PROOF_CHANGES_REQUESTED,
        permission=CASE_WORKER,
    )
    def request_proof_changes(self, *, due_date: dt.date) -> None:
        """Nachforderung zum Verwendungsnachweis, with a deadline."""
        self.response_due_date = due_date

    @transition(
        field=state,
        source=S.PROOF_CHANGES_REQUESTED,
        target=S.PROOF_SUBMITTED,
        permission=APPLICANT,
    )
    def resubmit_proof(self, *, report: str) -> None:
        """The completed proof of use goes back to the case worker."""
        self.proof_report = report
        self.response_due_date = None

    @transition(
        field=state,
        source=S.PROOF_SUBMITTED,
        target=S.PROOF_ACCEPTED,
        permission=CASE_WORKER,
        conditions=[no_open_payouts],
    )
    def accept_proof(self, *, justified_amount: Decimal) -> None:
        """Proof of use checked; ``justified_amount`` is what the actual figures justify."""
        self.justified_amount = justified_amount

    @transition(
        field=state,
        source=[S.PROOF_ACCEPTED, S.REVOKED],
        target=S.REPAYMENT_CLAIMED,
        permission=CASE_WORKER,
        conditions=[something_to_repay],
    )
    def claim_repayment(self) -> None:
        """Rückforderung: part or all of the paid grant is claimed back; the recovery notice
        (Rückforderungs- und Widerrufsbescheid, PDF) is made after the commit and mailed with
        the claim."""

    @transition(
        field=state,
        source=S.REPAYMENT_CLAIMED,
        target=S.REPAID,
        permission=CASE_WORKER,
        conditions=[repayment_settled],
    )
    def record_repayment(self) -> None:
        """The claim has been paid back in full."""

    @transition(
        field=state,
        source=GRANTED_STATES,
        target=S.REVOKED,
        permission=CASE_WORKER,
    )
    def revoke(self) -> None:
        """Widerruf of the notice, in full; paid money is then claimed back."""
        self.justified_amount = ZERO

    @transition(
        field=state,
        source=[S.PROOF_ACCEPTED, S.REPAID, S.REVOKED],
        target=S.CLOSED,
        permission=CASE_WORKER,
        conditions=[nothing_to_repay, no_open_payouts],
    )
    def close(self) -> None:
        """Abschluss of the file."""
