"""The programme's rules a proposed approval must keep: the financing type by amount, the
committee's vote, the funding period's length, the fiscal years and the early start.

Each ``*_refusals`` function names, in German, every rule a decision breaks. The proposing
service refuses with these messages; the confirming transition (``approve``) checks them again
as conditions, so that no proposal made before a rule changed is confirmed against it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import day, eur
from grants.models.base import period_last_day
from grants.models.early_start import earliest_funding_start
from grants.models.programmes import FinancingType
from grants.rules import condition

if TYPE_CHECKING:
    from grants.models.application_rules import PlanSummary
    from grants.models.applications import Application
    from grants.models.committees import CommitteeVote
    from grants.models.decisions import Decision


def financing_type_refusals(decision: Decision, plan: PlanSummary | None = None) -> list[str]:
    application = decision.application
    amount = decision.amount
    if amount is None:  # a rejection has no amount and no financing type
        return []
    plan = plan or application.plan
    expected = application.programme.financing_type_ruled(amount, plan)
    if (
        expected is None
        or decision.financing_type == expected
        or decision.financing_type_justification.strip()
    ):
        return []
    return [
        _(
            "Nach den Regeln des Programms ist für %(amount)s die %(expected)s vorgesehen. "
            "Eine andere Finanzierungsart (%(chosen)s) braucht eine Begründung."
        )
        % {
            "amount": eur(amount),
            "expected": FinancingType(expected).label,
            "chosen": FinancingType(decision.financing_type).label,
        }
    ]


def binding_vote(application: Application) -> CommitteeVote | None:
    """The committee's latest vote: a new vote replaces the earlier ones."""
    return application.votes.order_by("-meeting_date", "-id").first()


def vote_refusals(decision: Decision, plan: PlanSummary | None = None) -> list[str]:
    """Above the administration's limit an approval needs a yes vote and at most the
    recommended amount; a deviation needs a new vote or, where the programme allows it, a
    recorded reason that the second person confirms."""
    from grants.models.committees import CommitteeVote

    application = decision.application
    amount = decision.amount
    if amount is None or not application.needs_committee_vote_for(plan or application.plan):
        return []
    vote = binding_vote(application)
    if vote is None:
        return [_("Für diesen Betrag muss zuerst ein Gremium ein Votum abgeben.")]
    deviations = []
    if vote.recommendation != CommitteeVote.Recommendation.APPROVE or (
        vote.votes_yes <= vote.votes_no
    ):
        deviations.append(
            _(
                "Das Gremium %(body)s hat am %(date)s keine Bewilligung empfohlen "
                "(Ja %(yes)s, Nein %(no)s, Enthaltung %(abstain)s)."
            )
            % {
                "body": vote.body,
                "date": day(vote.meeting_date),
                "yes": vote.votes_yes,
                "no": vote.votes_no,
                "abstain": vote.votes_abstain,
            }
        )
    elif vote.recommended_amount is not None and amount > vote.recommended_amount:
        deviations.append(
            _(
                "Die Zuwendung von %(amount)s übersteigt den vom Gremium empfohlenen Betrag von %(recommended)s."
            )
            % {"amount": eur(amount), "recommended": eur(vote.recommended_amount)}
        )
    if not deviations:
        return []
    if not application.programme.vote_deviation_allowed:
        return [
            *deviations,
            _("Das Votum bindet: Für eine Abweichung braucht es ein neues Votum des Gremiums."),
        ]
    if decision.vote_deviation_reason.strip():
        return []
    return [
        *deviations,
        _(
            "Eine Abweichung vom Votum braucht eine Begründung, die die zweite Person bestätigt "
            "(oder ein neues Votum)."
        ),
    ]


def period_refusals(decision: Decision) -> list[str]:
    application = decision.application
    programme = application.programme
    messages = []
    start, end = decision.funding_start, decision.funding_end
    if start is None or end is None:
        return [_("Bitte geben Sie den Förderzeitraum an.")]
    last_day = period_last_day(start, programme.max_project_months)
    if end > last_day:
        messages.append(
            _(
                "Der Förderzeitraum darf höchstens %(months)s Monate dauern: Bei Beginn am "
                "%(start)s endet er spätestens am %(last)s."
            )
            % {"months": programme.max_project_months, "start": day(start), "last": day(last_day)}
        )
    years = decision.year_amounts.count() if decision.pk else 0
    if years > programme.max_fiscal_years:
        messages.append(
            _(
                "Die Zuwendung darf auf höchstens %(max)s Haushaltsjahre aufgeteilt werden, "
                "vorgeschlagen sind %(count)s."
            )
            % {"max": programme.max_fiscal_years, "count": years}
        )
    earliest = earliest_funding_start(application)
    if earliest is not None and start < earliest:
        messages.append(
            _(
                "Der Förderzeitraum darf nicht vor dem %(earliest)s beginnen: Vor dem "
                "Antragseingang nur mit Zustimmung zum vorzeitigen Maßnahmebeginn."
            )
            % {"earliest": day(earliest)}
        )
    return messages


def approval_refusals(decision: Decision) -> list[str]:
    plan = decision.application.plan
    return [
        *financing_type_refusals(decision, plan),
        *vote_refusals(decision, plan),
        *period_refusals(decision),
    ]


def _pending_approval(app: Application) -> Decision | None:
    from grants.models.decisions import Decision

    proposal = app.pending_decision
    if proposal is None or proposal.outcome != Decision.Outcome.APPROVE:
        return None
    proposal.application = app  # the same object, with what it has read already
    return proposal


@condition(
    gettext_lazy(
        "Der Vorschlag verletzt die Regeln des Programms: Finanzierungsart ohne Begründung abweichend, Abweichung vom Votum des Gremiums ohne neues Votum oder zulässige Begründung, Höchstlaufzeit, Zahl der Haushaltsjahre oder Beginn vor Antragseingang ohne Zustimmung zum vorzeitigen Beginn."
    )
)
def programme_rules_kept(app: Application) -> bool:
    """One condition for all of them: the case file asks it on every page that offers the
    confirmation, and the rules share their reads (plan, proposal)."""
    proposal = _pending_approval(app)
    return proposal is None or not approval_refusals(proposal)
