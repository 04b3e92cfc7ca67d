"""The rules of the application lifecycle: its states (with the labels applicants see), who may act
(permissions) and the conditions of its transitions, each with the German refusal message that
says why a step is refused. The transitions themselves are declared on the models."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Membership
from core.types import StrOrPromise
from grants.models.base import CENT, ZERO, money, period_last_day, prefetched
from grants.models.eligibility import (
    amount_refusal,
    applicant_kind_refusal,
    place_refusal,
    start_refusal,
)
from grants.models.programmes import OWN_SHARE_KINDS, FinancingKind, StaffRole, has_programme_role
from grants.rules import AllOf, Permission, condition, rule

if TYPE_CHECKING:
    from grants.models.applications import Application


def _application_of(obj: models.Model) -> Application:
    # Payouts, claims and change requests point to their application; an application is its own.
    return getattr(obj, "application", obj)


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


APPLICANT_LABELS: dict[str, StrOrPromise] = {
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


# States in which the recipient may still edit the draft of the proof of use.
PROOF_EDITABLE_STATES = (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED)
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
        """For display only, rounded down so that it never shows a threshold not reached;
        rules compare with :meth:`own_share_reaches`."""
        if not self.total_costs:
            return ZERO
        return (self.own_share * 100 / self.total_costs).quantize(CENT, ROUND_DOWN)

    def own_share_reaches(self, percent: Decimal) -> bool:
        """Exactly, without rounding or division: own share / costs >= percent / 100."""
        if not self.total_costs:
            return percent <= 0
        return self.own_share * 100 >= percent * self.total_costs

    @property
    def funding_rate_percent(self) -> Decimal:
        if not self.total_costs:
            return ZERO
        return (self.requested_amount * 100 / self.total_costs).quantize(CENT, ROUND_HALF_UP)


def plan_of(app: Application) -> PlanSummary:
    """The plan's figures from its rows: summed in the database, or, when the caller loaded
    the rows with their categories (``prefetch_related``, as the case file does), from those
    rows, so that the rules of every step on one page add up the same rows only once."""
    financing: dict[str, Decimal] = {}
    if prefetched(app, "cost_lines") and prefetched(app, "financing_lines"):
        costs = sum((line.amount for line in app.cost_lines.all()), ZERO)
        for line in app.financing_lines.all():
            financing[line.category.kind] = financing.get(line.category.kind, ZERO) + line.amount
    else:
        costs = app.cost_lines.aggregate(total=Sum("amount"))["total"] or ZERO
        for row in app.financing_lines.values("category__kind").annotate(total=Sum("amount")):
            financing[row["category__kind"]] = row["total"]
    return PlanSummary(
        total_costs=money(costs),
        total_financing=money(sum(financing.values(), ZERO)),
        own_share=money(sum((financing.get(k, ZERO) for k in OWN_SHARE_KINDS), ZERO)),
        requested_amount=money(financing.get(FinancingKind.GRANT, ZERO)),
    )


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


@rule(_("Die beantragte Zuwendung liegt außerhalb der Spanne dieses Aufrufs."))
def amount_in_range(app: Application) -> str | None:
    requested = app.plan.requested_amount
    # No grant at all is said by grant_requested, in the plan's own words.
    return amount_refusal(app.call, requested) if requested > 0 else None


@condition(_("Der Förderaufruf ist nicht geöffnet oder die Einreichungsfrist ist abgelaufen."))
def call_open(app: Application) -> bool:
    return app.call.is_open()


@condition(_("Titel, Kurzbeschreibung, Ziele und Projektzeitraum müssen ausgefüllt sein."))
def project_described(app: Application) -> bool:
    return bool(app.title and app.summary and app.goals and app.start_date and app.end_date)


@rule(_("Das Projekt beginnt vor der Antragstellung ohne vorzeitigen Maßnahmebeginn."))
def not_started_yet(app: Application) -> str | None:
    # Without a start date the project is not described yet: project_described says so.
    started = app.start_date is not None and app.start_date <= timezone.localdate()
    early_start = app.early_start_requested or (started and app.early_start_consented)
    return start_refusal(started, early_start)


@condition(_("Die Projektlaufzeit überschreitet die Höchstlaufzeit des Programms."))
def period_within_limit(app: Application) -> bool:
    if not (app.start_date and app.end_date):
        return False
    return app.end_date <= period_last_day(app.start_date, app.programme.max_project_months)


@rule(_("Diese Art von Antragstellenden ist im Programm nicht antragsberechtigt."))
def applicant_eligible(app: Application) -> str | None:
    return applicant_kind_refusal(app.programme, app.applicant.kind)


@rule(_("Das Projekt findet nicht im Gebiet des Programms statt."))
def place_in_area(app: Application) -> str | None:
    # The classification step offers only the programme's areas: any area chosen is inside.
    return place_refusal(app.programme, app.areas.exists())


@condition(_("Es fehlen Pflichtunterlagen."))
def required_documents_attached(app: Application) -> bool:
    return not app.missing_document_types()


@condition(
    _(
        "Der Eigenanteil liegt unter dem Mindestanteil des Programms und es ist keine Begründung im Aktenvermerk erfasst."
    )
)
def own_share_rule_met(app: Application) -> bool:
    return app.plan.own_share_reaches(app.programme.min_own_share_percent) or bool(
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
    from grants.models.decisions import Decision

    proposal = app.pending_decision
    return proposal is not None and proposal.outcome == Decision.Outcome.APPROVE


@condition(_("Es liegt kein Entscheidungsvorschlag zur Ablehnung vor."))
def rejection_proposed(app: Application) -> bool:
    from grants.models.decisions import Decision

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
    from grants.models.proof import RepaymentClaim

    return not app.repayment_claims.filter(state=RepaymentClaim.State.OPEN).exists()


@condition(
    _(
        "Es sind noch Auszahlungen in Bearbeitung; die Akte nennt jede mit dem, was vor der "
        "Prüfung zu tun ist."
    )
)
def no_open_payouts(app: Application) -> bool:
    from grants.models.payouts import Payout

    if prefetched(app, "payouts"):
        return not any(p.state in Payout.OPEN_STATES for p in app.payouts.all())
    return not app.payouts.filter(state__in=Payout.OPEN_STATES).exists()
