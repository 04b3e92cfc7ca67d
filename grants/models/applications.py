"""The four lifecycles: applications (with their plans, attachments, votes and decisions),
payouts, repayment claims and change requests. Rules live here as django-fsm transitions with their permissions
and conditions; work across several models lives in ``grants/services/``."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applicants.models import Applicant, Membership
from grants.models.base import CENT, MONEY, ZERO, add_months, money
from grants.models.budgets import Call
from grants.models.configuration import (
    OWN_SHARE_KINDS,
    Area,
    CostCategory,
    DocumentType,
    FieldOfAction,
    FinancingCategory,
    FinancingKind,
    FinancingType,
    FundingArea,
    Programme,
    StaffRole,
    TargetGroup,
    has_programme_role,
)
from grants.rules import AllOf, Permission, condition

if TYPE_CHECKING:
    from applicants.models import User


# ---------------------------------------------------------------------------------------------
# Who may act
# ---------------------------------------------------------------------------------------------


def _application_of(obj: models.Model) -> Application:
    return obj if isinstance(obj, Application) else obj.application


APPLICANT = Permission(
    _("Antragsteller*in"),
    _("Nur Mitglieder der antragstellenden Organisation dürfen diesen Schritt ausführen."),
    lambda obj, user: (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(
            user=user, applicant_id=_application_of(obj).applicant_id
        ).exists()
    ),
)
CASE_WORKER = Permission(
    _("Sachbearbeitung des Programms"),
    _("Nur die für dieses Programm zuständige Sachbearbeitung darf diesen Schritt ausführen."),
    lambda obj, user: has_programme_role(
        user, _application_of(obj).programme_id, StaffRole.Role.CASE_WORKER
    ),
)
FINANCE = Permission(
    _("Finanzbuchhaltung des Programms"),
    _("Nur die für dieses Programm zuständige Finanzbuchhaltung darf diesen Schritt ausführen."),
    lambda obj, user: has_programme_role(
        user, _application_of(obj).programme_id, StaffRole.Role.FINANCE
    ),
)
SYSTEM = Permission(
    _("System (Fristenlauf)"),
    _("Dieser Schritt wird nur vom System beim Fristablauf ausgeführt."),
    lambda obj, user: user is None,
)
NOT_PROPOSER = Permission(
    _("nicht die vorschlagende Person (Vier-Augen-Prinzip)"),
    _(
        "Vier-Augen-Prinzip: Die Entscheidung muss von einer anderen Person bestätigt werden "
        "als der, die sie vorgeschlagen hat."
    ),
    lambda app, user: (
        (proposal := app.pending_decision) is not None and proposal.proposed_by_id != user.pk
    ),
)
NOT_CERTIFIER = Permission(
    _("nicht die Person, die sachlich/rechnerisch richtig gezeichnet hat (Vier-Augen-Prinzip)"),
    _(
        "Vier-Augen-Prinzip: Die Anordnung muss eine andere Person treffen als die, die "
        "sachlich und rechnerisch richtig gezeichnet hat."
    ),
    lambda payout, user: payout.certified_by_id != user.pk,
)
SECOND_CASE_WORKER = AllOf(CASE_WORKER, NOT_PROPOSER)
ORDERING_CASE_WORKER = AllOf(CASE_WORKER, NOT_CERTIFIER)


# ---------------------------------------------------------------------------------------------
# Application and its lifecycle
# ---------------------------------------------------------------------------------------------


class ApplicationState(models.TextChoices):
    """States as staff name them; ``APPLICANT_LABELS`` says the same for applicants."""

    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("Eingereicht – formelle Prüfung")
    CHANGES_REQUESTED = "changes_requested", _("Nachforderung")
    IN_REVIEW = "in_review", _("Fachliche Prüfung")
    AWAITING_VOTE = "awaiting_vote", _("Wartet auf Votum")
    VOTED = "voted", _("Votum liegt vor")
    DECISION_PROPOSED = "decision_proposed", _("Entscheidung vorgeschlagen")
    APPROVED = "approved", _("Bewilligt")
    REJECTED = "rejected", _("Abgelehnt")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")
    FINAL = "final", _("Bestandskräftig")
    RUNNING = "running", _("Projekt läuft")
    PROOF_DUE = "proof_due", _("Verwendungsnachweis fällig")
    PROOF_SUBMITTED = "proof_submitted", _("Verwendungsnachweis in Prüfung")
    PROOF_CHANGES_REQUESTED = "proof_changes_requested", _("Verwendungsnachweis: Nachforderung")
    PROOF_ACCEPTED = "proof_accepted", _("Verwendungsnachweis geprüft")
    REPAYMENT_CLAIMED = "repayment_claimed", _("Rückforderung offen")
    REPAID = "repaid", _("Erstattet")
    REVOKED = "revoked", _("Widerrufen")
    CLOSED = "closed", _("Abgeschlossen")


S = ApplicationState

APPLICANT_LABELS: dict[str, str] = {
    S.DRAFT: _("Entwurf – noch nicht eingereicht"),
    S.SUBMITTED: _("Eingegangen – wird geprüft"),
    S.CHANGES_REQUESTED: _("Bitte Unterlagen nachreichen"),
    S.IN_REVIEW: _("In Bearbeitung"),
    S.AWAITING_VOTE: _("In Bearbeitung – Beratung im Gremium"),
    S.VOTED: _("In Bearbeitung – Entscheidung folgt"),
    S.DECISION_PROPOSED: _("In Bearbeitung – Entscheidung folgt"),
    S.APPROVED: _("Bewilligt – Bescheid liegt vor"),
    S.REJECTED: _("Abgelehnt"),
    S.WITHDRAWN: _("Zurückgezogen"),
    S.FINAL: _("Bewilligt – Mittel können abgerufen werden"),
    S.RUNNING: _("Projekt läuft"),
    S.PROOF_DUE: _("Bitte Verwendungsnachweis einreichen"),
    S.PROOF_SUBMITTED: _("Verwendungsnachweis eingegangen – wird geprüft"),
    S.PROOF_CHANGES_REQUESTED: _("Bitte Verwendungsnachweis ergänzen"),
    S.PROOF_ACCEPTED: _("Verwendungsnachweis geprüft"),
    S.REPAYMENT_CLAIMED: _("Rückzahlung offen"),
    S.REPAID: _("Rückzahlung eingegangen"),
    S.REVOKED: _("Bescheid widerrufen"),
    S.CLOSED: _("Abgeschlossen"),
}

# States in which the applicant may still edit the application's content.
EDITABLE_STATES = (S.DRAFT, S.CHANGES_REQUESTED)
# Before the notice the applicant may withdraw.
WITHDRAWABLE_STATES = (
    S.SUBMITTED,
    S.CHANGES_REQUESTED,
    S.IN_REVIEW,
    S.AWAITING_VOTE,
    S.VOTED,
    S.DECISION_PROPOSED,
)
# With a notice in force: money may be called, the notice may be revoked.
GRANTED_STATES = (
    S.APPROVED,
    S.FINAL,
    S.RUNNING,
    S.PROOF_DUE,
    S.PROOF_SUBMITTED,
    S.PROOF_CHANGES_REQUESTED,
    S.PROOF_ACCEPTED,
)
PAYABLE_STATES = (
    S.FINAL,
    S.RUNNING,
    S.PROOF_DUE,
    S.PROOF_SUBMITTED,
    S.PROOF_CHANGES_REQUESTED,
    S.PROOF_ACCEPTED,
)
# Budget figures count these as committed.
COMMITTED_STATES = (*GRANTED_STATES, S.REPAYMENT_CLAIMED, S.REPAID, S.CLOSED)


@dataclass(frozen=True)
class PlanSummary:
    """Figures derived from the cost and financing plan; never typed by anyone."""

    total_costs: Decimal
    total_financing: Decimal
    own_share: Decimal
    requested_amount: Decimal

    @property
    def balanced(self) -> bool:
        return self.total_costs > 0 and self.total_costs == self.total_financing

    @property
    def difference(self) -> Decimal:
        return self.total_financing - self.total_costs

    @property
    def own_share_percent(self) -> Decimal:
        if not self.total_costs:
            return ZERO
        return (self.own_share * 100 / self.total_costs).quantize(CENT, ROUND_HALF_UP)

    @property
    def funding_rate_percent(self) -> Decimal:
        if not self.total_costs:
            return ZERO
        return (self.requested_amount * 100 / self.total_costs).quantize(CENT, ROUND_HALF_UP)


# --- conditions of application transitions -------------------------------------------------


@condition(
    _(
        "Der Finanzierungsplan ist nicht ausgeglichen: Ausgaben und Einnahmen müssen gleich hoch sein."
    )
)
def plan_balances(app: Application) -> bool:
    return app.plan.balanced


@condition(_("Es ist keine Zuwendung beantragt."))
def grant_requested(app: Application) -> bool:
    return app.plan.requested_amount > 0


@condition(_("Die beantragte Zuwendung übersteigt den Höchstbetrag dieses Aufrufs."))
def within_cap(app: Application) -> bool:
    return app.plan.requested_amount <= app.call.cap


@condition(_("Der Förderaufruf ist nicht geöffnet oder die Einreichungsfrist ist abgelaufen."))
def call_open(app: Application) -> bool:
    return app.call.is_open()


@condition(_("Titel, Kurzbeschreibung, Ziele und Projektzeitraum müssen ausgefüllt sein."))
def project_described(app: Application) -> bool:
    return bool(app.title and app.summary and app.goals and app.start_date and app.end_date)


@condition(
    _(
        "Das Projekt darf nicht vor der Antragstellung beginnen (außer mit Antrag auf vorzeitigen Maßnahmebeginn)."
    )
)
def not_started_yet(app: Application) -> bool:
    return app.early_start_requested or (
        app.start_date is not None and app.start_date > timezone.localdate()
    )


@condition(_("Die Projektlaufzeit überschreitet die Höchstlaufzeit des Programms."))
def period_within_limit(app: Application) -> bool:
    if not (app.start_date and app.end_date):
        return False
    return app.end_date <= add_months(app.start_date, app.programme.max_project_months)


@condition(_("Diese Art von Antragstellenden ist im Programm nicht antragsberechtigt."))
def applicant_eligible(app: Application) -> bool:
    return app.applicant.kind in app.programme.eligible_applicant_kinds


@condition(_("Es fehlen Pflichtunterlagen."))
def required_documents_attached(app: Application) -> bool:
    return not app.missing_document_types()


@condition(
    _(
        "Der Eigenanteil liegt unter dem Mindestanteil des Programms und es ist keine Begründung im Aktenvermerk erfasst."
    )
)
def own_share_rule_met(app: Application) -> bool:
    return app.plan.own_share_percent >= app.programme.min_own_share_percent or bool(
        app.own_share_justification.strip()
    )


@condition(_("Für diesen Betrag muss zuerst ein Gremium ein Votum abgeben."))
def vote_requirement_met(app: Application) -> bool:
    return not app.needs_committee_vote or app.votes.exists()


@condition(_("Für diesen Antrag ist kein Gremiumsvotum vorgesehen."))
def committee_required(app: Application) -> bool:
    return app.needs_committee_vote


@condition(_("Es liegt kein Entscheidungsvorschlag zur Bewilligung vor."))
def approval_proposed(app: Application) -> bool:
    proposal = app.pending_decision
    return proposal is not None and proposal.outcome == Decision.Outcome.APPROVE


@condition(_("Es liegt kein Entscheidungsvorschlag zur Ablehnung vor."))
def rejection_proposed(app: Application) -> bool:
    proposal = app.pending_decision
    return proposal is not None and proposal.outcome == Decision.Outcome.REJECT


@condition(_("Die Rechtsbehelfsfrist ist noch nicht abgelaufen."))
def appeal_period_over(app: Application) -> bool:
    return app.appeal_deadline is not None and app.appeal_deadline < timezone.localdate()


@condition(_("Der Förderzeitraum hat noch nicht begonnen."))
def funding_period_started(app: Application) -> bool:
    return app.funding_start is not None and app.funding_start <= timezone.localdate()


@condition(_("Der Förderzeitraum ist noch nicht beendet."))
def funding_period_over(app: Application) -> bool:
    return app.funding_end is not None and app.funding_end < timezone.localdate()


@condition(_("Es besteht ein Erstattungsanspruch; bitte zuerst eine Rückforderung erheben."))
def nothing_to_repay(app: Application) -> bool:
    return app.repayable_amount == 0


@condition(_("Es wurde nichts ausgezahlt, was zurückgefordert werden könnte."))
def something_to_repay(app: Application) -> bool:
    return app.repayable_amount > 0


@condition(_("Die Rückforderung ist noch nicht vollständig beglichen."))
def repayment_settled(app: Application) -> bool:
    return not app.repayment_claims.filter(state=RepaymentClaim.State.OPEN).exists()


@condition(_("Es sind noch Auszahlungen in Bearbeitung."))
def no_open_payouts(app: Application) -> bool:
    return not app.payouts.filter(state__in=Payout.OPEN_STATES).exists()


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

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
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

    # --- derived figures ------------------------------------------------------------------

    @property
    def plan(self) -> PlanSummary:
        costs = self.cost_lines.aggregate(total=Sum("amount"))["total"] or ZERO
        financing = {
            row["category__kind"]: row["total"]
            for row in self.financing_lines.values("category__kind").annotate(total=Sum("amount"))
        }
        return PlanSummary(
            total_costs=money(costs),
            total_financing=money(sum(financing.values(), ZERO)),
            own_share=money(sum((financing.get(k, ZERO) for k in OWN_SHARE_KINDS), ZERO)),
            requested_amount=money(financing.get(FinancingKind.GRANT, ZERO)),
        )

    @property
    def applicant_label(self) -> str:
        return APPLICANT_LABELS[self.state]

    @property
    def needs_committee_vote(self) -> bool:
        track = self.call.decision_track
        if track == Call.DecisionTrack.COMMITTEE:
            return True
        if track == Call.DecisionTrack.ADMINISTRATION:
            return False
        return self.plan.requested_amount > self.programme.administrative_decision_limit

    @property
    def pending_decision(self) -> Decision | None:
        return self.decisions.filter(status=Decision.Status.PROPOSED).order_by("-id").first()

    @property
    def paid_amount(self) -> Decimal:
        total = self.payouts.filter(state=Payout.State.PAID).aggregate(s=Sum("amount"))["s"]
        return money(total)

    @property
    def paid_or_pending_amount(self) -> Decimal:
        """Money paid or on its way: what the approval must still cover."""
        total = self.payouts.exclude(state=Payout.State.CANCELLED).aggregate(s=Sum("amount"))["s"]
        return money(total)

    @property
    def repayable_amount(self) -> Decimal:
        """Paid money the checked figures (or a revocation) no longer justify and that has not
        yet been claimed back."""
        if self.justified_amount is None:
            return ZERO
        claimed = self.repayment_claims.exclude(state=RepaymentClaim.State.CANCELLED).aggregate(
            s=Sum("principal")
        )["s"]
        return max(ZERO, self.paid_amount - self.justified_amount - money(claimed))

    def missing_document_types(self) -> list[DocumentType]:
        present = set(self.attachments.values_list("document_type_id", flat=True))
        return [
            doc
            for doc in self.programme.document_types.filter(
                stage=DocumentType.Stage.APPLICATION, required_for_submission=True
            )
            if doc.pk not in present
        ]

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
            call_open,
            not_started_yet,
            period_within_limit,
            plan_balances,
            grant_requested,
            within_cap,
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
            within_cap,
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
        source=S.IN_REVIEW,
        target=S.AWAITING_VOTE,
        permission=CASE_WORKER,
        conditions=[committee_required],
    )
    def refer_to_committee(self) -> None:
        """Put on the agenda of the deciding committee."""

    @transition(field=state, source=S.AWAITING_VOTE, target=S.VOTED, permission=CASE_WORKER)
    def record_vote(self) -> None:
        """The committee's vote (Votum) is recorded."""

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.VOTED],
        target=S.DECISION_PROPOSED,
        permission=CASE_WORKER,
        conditions=[vote_requirement_met, plan_balances, within_cap, own_share_rule_met],
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
        conditions=[approval_proposed],
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
        """Rückforderung: part or all of the paid grant is claimed back."""

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


class CostLine(models.Model):
    """A row of the cost plan (Ausgabenplan), with the actual amount from the proof of use."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cost_lines"
    )
    category = models.ForeignKey(CostCategory, on_delete=models.PROTECT)
    description = models.CharField(_("Beschreibung"), max_length=200)
    amount = models.DecimalField(_("geplant"), **MONEY, validators=[MinValueValidator(CENT)])
    actual_amount = models.DecimalField(
        _("tatsächlich"), **MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Ausgabenposition")
        verbose_name_plural = _("Ausgabenplan")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cost_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class FinancingLine(models.Model):
    """A row of the financing plan (Finanzierungsplan)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="financing_lines"
    )
    category = models.ForeignKey(FinancingCategory, on_delete=models.PROTECT)
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])
    actual_amount = models.DecimalField(
        _("tatsächlich"), **MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Finanzierungsposition")
        verbose_name_plural = _("Finanzierungsplan")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="financing_line_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A document belonging to an application, stored outside the web root."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    file = models.FileField(_("Datei"), upload_to=attachment_path)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Receipt(models.Model):
    """An entry of the list of receipts (Belegliste) of a proof of use."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="receipts")
    cost_line = models.ForeignKey(
        CostLine,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("Ausgabenposition"),
    )
    number = models.PositiveSmallIntegerField(_("Beleg-Nr."))
    date = models.DateField(_("Datum"))
    payee = models.CharField(_("Empfänger*in"), max_length=200)
    description = models.CharField(_("Zweck"), max_length=200)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belegliste")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="receipt_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.payee} {self.amount}"


class CommitteeVote(models.Model):
    """Votum of a committee or jury on one application."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Bewilligung empfohlen")
        REJECT = "reject", _("Ablehnung empfohlen")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="votes")
    body = models.CharField(_("Gremium"), max_length=200)
    meeting_date = models.DateField(_("Sitzung am"))
    votes_yes = models.PositiveSmallIntegerField(_("Ja"), default=0)
    votes_no = models.PositiveSmallIntegerField(_("Nein"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltung"), default=0)
    recommendation = models.CharField(_("Ergebnis"), max_length=10, choices=Recommendation.choices)
    recommended_amount = models.DecimalField(
        _("empfohlener Betrag"), **MONEY, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Votum")
        verbose_name_plural = _("Voten")

    def __str__(self) -> str:
        return f"{self.body} {self.meeting_date}: {self.get_recommendation_display()}"


class Decision(models.Model):
    """A proposed and (by a second person) confirmed Bewilligung or Ablehnung."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Bewilligung")
        REJECT = "reject", _("Ablehnung")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        CONFIRMED = "confirmed", _("bestätigt")
        RETURNED = "returned", _("zurückgegeben")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("Entscheidung"), max_length=10, choices=Outcome.choices)
    status = models.CharField(
        _("Stand"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    amount = models.DecimalField(_("Zuwendung"), **MONEY, null=True, blank=True)
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=20, choices=FinancingType.choices, blank=True
    )
    funding_start = models.DateField(_("Förderzeitraum von"), null=True, blank=True)
    funding_end = models.DateField(_("Förderzeitraum bis"), null=True, blank=True)
    purpose = models.TextField(_("Zuwendungszweck"), blank=True)
    conditions = models.TextField(_("Nebenbestimmungen"), blank=True)
    reasons = models.TextField(_("Begründung"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("proposed_by")),
                name="decision_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(outcome="reject")
                | (
                    Q(amount__gt=0)
                    & Q(funding_start__isnull=False)
                    & Q(funding_end__gte=F("funding_start"))
                ),
                name="decision_approval_complete",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="proposed"),
                name="decision_one_pending_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.get_status_display()})"


class DecisionYearAmount(models.Model):
    """The share of an approved grant charged to one fiscal year's budget."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="year_amounts")
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("Jahresanteil")
        verbose_name_plural = _("Jahresanteile")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "fiscal_year"], name="decision_year_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="decision_year_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.amount}"


# ---------------------------------------------------------------------------------------------
# Payouts
# ---------------------------------------------------------------------------------------------


@condition(_("Der Bescheid ist noch nicht bestandskräftig oder das Projekt ist abgeschlossen."))
def application_payable(payout: Payout) -> bool:
    return payout.application.state in PAYABLE_STATES


class Payout(ConcurrentTransitionMixin, models.Model):
    """Auszahlung: planned in the notice or called by the recipient (Mittelabruf)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("geplant")
        REQUESTED = "requested", _("abgerufen")
        CERTIFIED = "certified", _("sachlich und rechnerisch richtig")
        ORDERED = "ordered", _("angeordnet")
        EXPORTED = "exported", _("an die Kasse übergeben")
        PAID = "paid", _("ausgezahlt")
        CANCELLED = "cancelled", _("storniert")

    class Kind(models.TextChoices):
        INSTALMENT = "instalment", _("Abschlagszahlung")
        FINAL = "final", _("Schlusszahlung")

    OPEN_STATES = (State.PLANNED, State.REQUESTED, State.CERTIFIED, State.ORDERED, State.EXPORTED)

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payouts")
    state = FSMField(
        _("Status"), default=State.PLANNED, choices=State.choices, protected=True, db_index=True
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.INSTALMENT)
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(CENT)])
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    due_date = models.DateField(_("fällig am"))
    payment_reference = models.CharField(_("Verwendungszweck"), max_length=140)
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=30, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ordered_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("ausgezahlt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Auszahlung")
        verbose_name_plural = _("Auszahlungen")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(ordered_by__isnull=True) | ~Q(ordered_by=F("certified_by")),
                name="payout_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.amount} ({self.get_state_display()})"

    @transition(
        field=state,
        source=[State.PLANNED, State.REQUESTED],
        target=State.CERTIFIED,
        permission=CASE_WORKER,
        conditions=[application_payable],
    )
    def certify(self, *, by: User) -> None:
        """Sachlich und rechnerisch richtig."""
        self.certified_by = by
        self.certified_at = timezone.now()

    @transition(
        field=state,
        source=State.CERTIFIED,
        target=State.ORDERED,
        permission=ORDERING_CASE_WORKER,
        conditions=[application_payable],
    )
    def order(self, *, by: User) -> None:
        """Anordnung by a second person."""
        self.ordered_by = by
        self.ordered_at = timezone.now()

    @transition(field=state, source=State.ORDERED, target=State.EXPORTED, permission=FINANCE)
    def mark_exported(self) -> None:
        """Handed to the cash office in a payout order list."""
        self.exported_at = timezone.now()

    @transition(field=state, source=State.EXPORTED, target=State.PAID, permission=FINANCE)
    def mark_paid(self, *, paid_on: dt.date) -> None:
        """The cash office has paid the money out."""
        self.paid_on = paid_on

    @transition(
        field=state,
        source=[State.PLANNED, State.REQUESTED, State.CERTIFIED, State.ORDERED],
        target=State.CANCELLED,
        permission=CASE_WORKER,
    )
    def cancel(self) -> None:
        """Storno before the money left for the cash office."""


# ---------------------------------------------------------------------------------------------
# Repayment claims
# ---------------------------------------------------------------------------------------------


class RepaymentClaim(ConcurrentTransitionMixin, models.Model):
    """Rückforderung of paid money, with interest under § 49a VwVfG."""

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        SETTLED = "settled", _("beglichen")
        CANCELLED = "cancelled", _("aufgehoben")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="repayment_claims"
    )
    state = FSMField(_("Status"), default=State.OPEN, choices=State.choices, protected=True)
    principal = models.DecimalField(
        _("Erstattungsbetrag"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    interest = models.DecimalField(_("Zinsen"), **MONEY, default=ZERO)
    reason = models.TextField(_("Begründung"))
    due_date = models.DateField(_("zahlbar bis"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    repaid_on = models.DateField(_("erstattet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rückforderung")
        verbose_name_plural = _("Rückforderungen")
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="claim_principal_positive"),
            models.CheckConstraint(
                condition=Q(interest__gte=0), name="claim_interest_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.principal}"

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest

    @transition(field=state, source=State.OPEN, target=State.SETTLED, permission=CASE_WORKER)
    def settle(self, *, repaid_on: dt.date, interest: Decimal) -> None:
        """The repayment has arrived, with the interest charged under § 49a VwVfG."""
        self.repaid_on = repaid_on
        self.interest = interest

    @transition(field=state, source=State.OPEN, target=State.CANCELLED, permission=CASE_WORKER)
    def cancel(self) -> None:
        """Aufhebung of a claim made in error; a new claim may follow."""


# ---------------------------------------------------------------------------------------------
# Change requests
# ---------------------------------------------------------------------------------------------

# While the project may still change: the notice is final or the project is running.
CHANGEABLE_STATES = (S.FINAL, S.RUNNING)


@condition(
    _(
        "Änderungen sind nur möglich, solange der Bescheid bestandskräftig ist oder das Projekt läuft."
    )
)
def application_still_running(change_request: ChangeRequest) -> bool:
    return change_request.application.state in CHANGEABLE_STATES


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """Änderungsantrag during the project: a longer funding period or a changed financing
    plan, requested by the recipient and approved or rejected by the case worker."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("beantragt")
        APPROVED = "approved", _("genehmigt")
        REJECTED = "rejected", _("abgelehnt")

    class Kind(models.TextChoices):
        PERIOD = "period", _("Verlängerung des Förderzeitraums")
        PLAN = "plan", _("Änderung des Finanzierungsplans")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    new_funding_end = models.DateField(_("Neues Ende des Förderzeitraums"), null=True, blank=True)
    reason = models.TextField(_("Begründung"))
    state = FSMField(
        _("Status"), default=State.REQUESTED, choices=State.choices, protected=True, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("beantragt am"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_note = models.TextField(_("Vermerk zur Entscheidung"), blank=True)

    class Meta:
        verbose_name = _("Änderungsantrag")
        verbose_name_plural = _("Änderungsanträge")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="requested"),
                name="change_request_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(kind="period") | Q(new_funding_end__isnull=False),
                name="change_request_period_has_new_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.file_number}: {self.get_kind_display()} ({self.get_state_display()})"

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.APPROVED,
        permission=CASE_WORKER,
        conditions=[application_still_running],
    )
    def approve(self, *, by: User, note: str = "") -> None:
        """The case worker approves the change."""
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REJECTED,
        permission=CASE_WORKER,
        conditions=[application_still_running],
    )
    def reject(self, *, by: User, note: str) -> None:
        """The case worker rejects the change, with a reason."""
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note
