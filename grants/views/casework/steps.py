"""The steps on a file: each with its form, the service it calls and when it is offered. Every
step service takes the same arguments (the application, the actor, the page's ``seen``
fingerprint and the form's values), so one view runs them all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from core.types import StrOrPromise
from grants.forms import casework as f
from grants.lifecycle import is_offered, refusals, transition_of
from grants.models import (
    CHANGEABLE_STATES,
    EARLY_START_STATES,
    PAYABLE_STATES,
    Application,
    ApplicationState,
    ChangeRequest,
)
from grants.services.applications import application_request_changes, application_start_review
from grants.services.assessment import (
    REVIEW_STATES,
    application_assign,
    assessment_create,
)
from grants.services.changes import change_request_decide
from grants.services.committees import (
    agenda_item_create,
)
from grants.services.decisions import (
    application_revoke,
    decision_confirm,
    decision_propose,
    decision_propose_rejection,
    decision_return,
)
from grants.services.early_start import early_start_decide, early_start_offered
from grants.services.payouts import (
    payout_plan,
    payout_plan_from_decision,
)
from grants.services.proof import (
    application_close,
    application_extend_proof_deadline,
    application_request_proof_changes,
    proof_check_create,
    repayment_claim_create,
)

S = ApplicationState


STEP_RUNNING = gettext_lazy("Der Schritt wird ausgeführt …")


@dataclass
class Step:
    """One step of the file: its form, the service it calls, and when it is offered."""

    slug: str
    label: StrOrPromise
    form: type[f.StepForm]
    run: Any  # (application, user, **form values) -> Any
    transitions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # for steps that are no lifecycle transition
    when: Any = None  # (application) -> bool, for steps that are no lifecycle transition
    danger: bool = False
    # What the step's page shows besides the form (read by step.html).
    shows_proposal: bool = False  # the pending proposal with its budget check
    shows_approved_amount: bool = False
    previews_budget: bool = False  # the form's amounts against the budget, live
    # Said while the step runs (the button is then inactive); steps that make a letter say so.
    busy: StrOrPromise = STEP_RUNNING
    shows_receipts: bool = False  # the list of receipts against the plan (Belegliste)

    def offered(self, app: Application, user) -> bool:
        if self.transitions:
            return any(is_offered(app, name, user) for name in self.transitions)
        return app.state in self.states and (self.when is None or self.when(app))

    def why_not(self, app: Application, user, offered: bool | None = None) -> list[str]:
        """Refusals of a step that exists in this state but is not allowed for this person
        (``offered``: what :meth:`offered` said, when the caller asked it already)."""
        if offered is None:
            offered = self.offered(app, user)
        if not self.transitions or offered:
            return []
        reasons: list[str] = []
        for name in self.transitions:
            if transition_of(app, name) is not None:
                reasons.extend(refusals(app, name, user))
        return reasons


def _open_change_request(application: Application) -> ChangeRequest | None:
    return application.change_requests.filter(state=ChangeRequest.State.REQUESTED).first()


STEPS: dict[str, Step] = {
    step.slug: step
    for step in [
        Step(
            "nachforderung",
            gettext_lazy("Unterlagen nachfordern"),
            f.RequestChangesForm,
            application_request_changes,
            ("request_changes",),
        ),
        Step(
            "pruefung",
            gettext_lazy("Fachliche Prüfung beginnen"),
            f.NoteStepForm,
            application_start_review,
            ("start_review",),
        ),
        Step(
            "pruefvermerk",
            gettext_lazy("Prüfvermerk erfassen"),
            f.AssessmentForm,
            assessment_create,
            states=REVIEW_STATES,
        ),
        Step(
            "tagesordnung",
            gettext_lazy("Auf die Tagesordnung setzen"),
            f.AgendaForm,
            agenda_item_create,
            ("refer_to_committee",),
        ),
        Step(
            "vorzeitiger-beginn",
            gettext_lazy("Über den vorzeitigen Beginn entscheiden"),
            f.EarlyStartDecisionForm,
            early_start_decide,
            states=EARLY_START_STATES,
            when=early_start_offered,
        ),
        Step(
            "bewilligung",
            gettext_lazy("Bewilligung vorschlagen"),
            f.ProposeForm,
            decision_propose,
            ("propose_approval",),
            previews_budget=True,
        ),
        Step(
            "ablehnung",
            gettext_lazy("Ablehnung vorschlagen"),
            f.RejectForm,
            decision_propose_rejection,
            ("propose_rejection",),
            danger=True,
        ),
        Step(
            "bestaetigen",
            gettext_lazy("Entscheidung bestätigen (zweite Person)"),
            f.NoteStepForm,
            decision_confirm,
            ("approve", "reject"),
            shows_proposal=True,
            # The letter is made in the background afterwards; the file says when it is there.
            busy=gettext_lazy("Die Entscheidung wird gebucht …"),
        ),
        Step(
            "zurueckgeben",
            gettext_lazy("Vorschlag zurückgeben"),
            f.ReasonForm,
            decision_return,
            ("return_proposal",),
        ),
        Step(
            "zahlungsplan",
            gettext_lazy("Zahlungsplan des Bescheids übernehmen"),
            f.StepForm,
            payout_plan_from_decision,
            states=PAYABLE_STATES,
        ),
        Step(
            "auszahlung",
            gettext_lazy("Auszahlung planen"),
            f.PayoutPlanForm,
            payout_plan,
            states=PAYABLE_STATES,
        ),
        Step(
            "aenderungsantrag",
            gettext_lazy("Über den Änderungsantrag entscheiden"),
            f.ChangeDecisionForm,
            change_request_decide,
            states=CHANGEABLE_STATES,
            when=lambda app: _open_change_request(app) is not None,
        ),
        Step(
            "nachweisfrist",
            gettext_lazy("Frist für den Verwendungsnachweis verlängern"),
            f.DeadlineForm,
            application_extend_proof_deadline,
            ("extend_proof_deadline",),
        ),
        Step(
            "nachweis-nachforderung",
            gettext_lazy("Nachweis: Unterlagen nachfordern"),
            f.RequestChangesForm,
            application_request_proof_changes,
            ("request_proof_changes",),
        ),
        Step(
            "nachweispruefung",
            gettext_lazy("Verwendungsnachweis prüfen"),
            f.ProofCheckForm,
            proof_check_create,
            ("accept_proof",),
            shows_approved_amount=True,
            shows_receipts=True,
        ),
        Step(
            "rueckforderung",
            gettext_lazy("Rückforderung erheben"),
            f.ClaimForm,
            repayment_claim_create,
            ("claim_repayment",),
            danger=True,
        ),
        Step(
            "abschluss",
            gettext_lazy("Vorgang abschließen"),
            f.NoteStepForm,
            application_close,
            ("close",),
        ),
        Step(
            "widerruf",
            gettext_lazy("Bescheid widerrufen"),
            f.ReasonForm,
            application_revoke,
            ("revoke",),
            danger=True,
        ),
        Step(
            "zustaendigkeit",
            gettext_lazy("Zuständigkeit ändern"),
            f.AssignForm,
            application_assign,
            states=tuple(s for s in S.values if s != S.DRAFT),
        ),
    ]
}
