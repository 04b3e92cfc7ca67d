"""A demo story: one application from its draft to where the demo leaves it, as dated steps.

The builder methods only record steps; ``grants.demo.seeding`` replays the steps of all stories
in calendar order, each with the clock set to its moment. Every step calls the service the
portal's own screen calls for it (``grants/views/``), as the person who would take it, so the
history is exactly what the portal writes; the draft, too, is filled in through the form's
services (project, classification, plan, attachment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from applicants.models import Applicant, User
from grants.demo import payout_steps
from grants.demo.committees import meeting_on
from grants.demo.content import Line, choose, description_pdf, plan
from grants.demo.programmes import PROGRAMMES
from grants.demo.proof_steps import submit_proof
from grants.models import (
    ZERO,
    AgendaItem,
    Application,
    Area,
    Assessment,
    Call,
    FieldOfAction,
    Meeting,
    MemberVote,
    Payout,
    Programme,
    ProofCheck,
    RepaymentClaim,
    TargetGroup,
    add_months,
    money,
)
from grants.services import applications, assessment, committees, decisions, payouts, proof

DEFAULT_CONDITIONS = (
    "Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung sind Bestandteil "
    "dieses Bescheids. Mittel dürfen nur abgerufen werden, soweit sie innerhalb von zwei "
    "Monaten nach der Auszahlung benötigt werden. Öffentlichkeitsarbeit weist auf die "
    "Förderung hin."
)


@dataclass
class Cast:
    """Who and what the stories act with, looked up once."""

    programmes: dict[str, Programme]
    calls: dict[str, Call]
    applicants: dict[str, Applicant]
    owners: dict[str, User]
    case_workers: dict[str, tuple[User, User]]
    finance: User
    meeting_places: dict[str, str] = field(default_factory=dict)


@dataclass
class Step:
    at: dt.datetime
    label: str
    run: Callable[[Story, Cast], Any]


def collector() -> tuple[list[Story], Callable[..., Story]]:
    """A list of stories and ``story(**fields)``, which adds one and returns it to chain on."""
    stories: list[Story] = []

    def story(**fields: Any) -> Story:
        stories.append(Story(**fields))
        return stories[-1]

    return stories, story


@dataclass
class Story:
    programme: str
    call: str
    applicant: str
    title: str
    summary: str
    goals: str
    period: tuple[dt.date, dt.date]
    costs: list[Line]
    financing: list[Line]
    fields: list[str]
    areas: list[str]
    groups: list[str]
    participants: int
    expect: str
    # Filled by the builder methods:
    steps: list[Step] = field(default_factory=list, init=False)
    budget_years: set[int] = field(default_factory=set, init=False)
    tick: int = field(default=0, init=False)
    payout_count: int = field(default=0, init=False)
    # (due date, amount or None for "what remains") of each payout, for the notice's years.
    payment_plan: list[tuple[dt.date, Decimal | None]] = field(default_factory=list, init=False)
    funding: tuple[dt.date, dt.date] | None = field(default=None, init=False)
    confirmed_on: dt.date | None = field(default=None, init=False)
    underspend: Decimal = field(default=ZERO, init=False)
    # Filled while replaying:
    application_id: int | None = field(default=None, init=False)
    payout_ids: list[int] = field(default_factory=list, init=False)

    # --- helpers used while replaying ---------------------------------------------------------

    def app(self) -> Application:
        return Application.objects.get(pk=self.application_id)

    def payout_obj(self, number: int) -> Payout:
        return Payout.objects.get(pk=self.payout_ids[number])

    def owner(self, cast: Cast) -> User:
        return cast.owners[self.applicant]

    def case_worker(self, cast: Cast, second: bool = False) -> User:
        return cast.case_workers[self.programme][1 if second else 0]

    def _add(self, day: dt.date, label: str, run: Callable, *, system: bool = False) -> Story:
        # Office work from 9 o'clock, the nightly deadline run at 1 o'clock; one minute per
        # step keeps the steps of one day in the order they were written.
        self.tick += 1
        start = dt.time(1) if system else dt.time(9)
        at = timezone.make_aware(dt.datetime.combine(day, start)) + dt.timedelta(minutes=self.tick)
        self.steps.append(Step(at, label, run))
        return self

    # --- the applicant drafts and submits -----------------------------------------------------

    def draft(self, on: dt.date, *, attach: bool = True) -> Story:
        """The applicant fills in the form step by step, as its screens save it."""

        def run(story: Story, cast: Cast) -> None:
            owner = story.owner(cast)
            app = applications.application_create(
                actor=owner,
                applicant=cast.applicants[story.applicant],
                call=cast.calls[story.call],
                title=story.title,
            )
            story.application_id = app.pk
            applications.application_update_project(
                application=app,
                actor=owner,
                title=story.title,
                summary=story.summary,
                goals=story.goals,
                start_date=story.period[0],
                end_date=story.period[1],
                expected_participants=story.participants,
                early_start_requested=False,
                early_start_reason="",
            )
            programme = app.programme
            applications.application_update_classification(
                application=app,
                actor=owner,
                target_groups=choose(TargetGroup, programme, story.groups),
                fields_of_action=choose(FieldOfAction, programme, story.fields),
                areas=choose(Area, programme, story.areas),
            )
            applications.application_replace_plan(
                application=app, actor=owner, **plan(programme, story.costs, story.financing)
            )
            if attach:
                applications.attachment_add(
                    application=app,
                    actor=owner,
                    document_type=programme.document_types.get(code="projektbeschreibung"),
                    upload=description_pdf(
                        story.title,
                        cast.applicants[story.applicant].name,
                        story.summary,
                        story.goals,
                    ),
                )

        return self._add(on, "Entwurf", run)

    def submit(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Einreichung",
            lambda s, c: applications.application_submit(application=s.app(), actor=s.owner(c)),
        )

    def request_changes(self, on: dt.date, items: list[str], due_in: int = 21) -> Story:
        return self._add(
            on,
            "Nachforderung",
            lambda s, c: applications.application_request_changes(
                application=s.app(),
                actor=s.case_worker(c),
                items=items,
                due_date=on + dt.timedelta(days=due_in),
            ),
        )

    def resubmit(self, on: dt.date, note: str) -> Story:
        return self._add(
            on,
            "Nachreichung",
            lambda s, c: applications.application_resubmit(
                application=s.app(), actor=s.owner(c), note=note
            ),
        )

    def withdraw(self, on: dt.date, reason: str) -> Story:
        return self._add(
            on,
            "Rücknahme",
            lambda s, c: applications.application_withdraw(
                application=s.app(), actor=s.owner(c), reason=reason
            ),
        )

    # --- assessment, committee and decision ---------------------------------------------------

    def review(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Fachliche Prüfung",
            lambda s, c: applications.application_start_review(
                application=s.app(),
                actor=s.case_worker(c),
                note="Formelle Prüfung ohne Beanstandung.",
            ),
        )

    def justify_own_share(self, on: dt.date, text: str) -> Story:
        """Prüfvermerk with a recommendation and the justification a low own share needs."""
        return self._add(
            on,
            "Prüfvermerk mit Begründung des Eigenanteils",
            lambda s, c: assessment.assessment_create(
                application=s.app(),
                actor=s.case_worker(c),
                summary="Fachlich überzeugend; Förderung wird empfohlen.",
                recommendation=Assessment.Recommendation.APPROVE,
                checklist={},
                scores={},
                own_share_justification=text,
            ),
        )

    def refer(self, on: dt.date, meeting: dt.date) -> Story:
        """Puts the application on the agenda of the deciding committee's meeting on
        ``meeting`` (the meeting is scheduled first if nobody has yet)."""

        def run(story: Story, cast: Cast) -> None:
            app = story.app()
            actor = story.case_worker(cast)
            committees.agenda_item_create(
                application=app,
                actor=actor,
                meeting=meeting_on(
                    app, meeting, actor, cast.meeting_places.get(app.programme.code, "")
                ),
                proposed_amount=app.plan.requested_amount,
            )

        return self._add(on, "Vorlage im Gremium", run)

    def vote(
        self, on: dt.date, yes: int, no: int, abstain: int = 0, *, amount: str | None = None
    ) -> Story:
        """The committee votes member by member (the first ``yes`` members yes, and so on);
        the next day the case worker closes the minutes once every item is voted on."""

        def run(story: Story, cast: Cast) -> None:
            item = AgendaItem.objects.select_related("meeting__committee").get(
                application_id=story.application_id, vote__isnull=True
            )
            members = list(item.meeting.committee.members.filter(is_active=True))
            choices = [MemberVote.Choice.YES] * yes + [MemberVote.Choice.NO] * no
            choices += [MemberVote.Choice.ABSTAIN] * abstain
            if len(choices) > len(members):
                raise ValueError(f"{item.meeting.committee} hat nur {len(members)} Mitglieder")
            committees.agenda_item_record_votes(
                item=item,
                actor=story.case_worker(cast),
                votes={m.pk: c for m, c in zip(members[: len(choices)], choices, strict=True)},
                recommended_amount=Decimal(amount) if amount else None,
            )

        def minutes(story: Story, cast: Cast) -> None:
            meeting = Meeting.objects.get(items__application_id=story.application_id, date=on)
            if meeting.closed_at is None and not meeting.items.filter(vote__isnull=True).exists():
                committees.meeting_save_minutes(
                    meeting=meeting,
                    actor=story.case_worker(cast),
                    minutes=f"Niederschrift der Sitzung vom {on:%d.%m.%Y} (Demo): "
                    "Die Voten sind bei den Tagesordnungspunkten erfasst.",
                    close=True,
                )

        self._add(on, "Votum", run)
        return self._add(on + dt.timedelta(days=1), "Niederschrift", minutes)

    def propose(
        self,
        on: dt.date,
        *,
        amount: str | None = None,
        funding: tuple[dt.date, dt.date] | None = None,
        financing_type: str | None = None,
        purpose: str | None = None,
    ) -> Story:
        funding = funding or self.period
        self.funding = funding
        self.budget_years.update(range(funding[0].year, funding[1].year + 1))

        def run(story: Story, cast: Cast) -> None:
            app = story.app()
            granted = Decimal(amount) if amount else app.plan.requested_amount
            decisions.decision_propose(
                application=app,
                actor=story.case_worker(cast),
                amount=granted,
                funding_start=funding[0],
                funding_end=funding[1],
                purpose=purpose
                or f"Durchführung des Projekts „{story.title}“ nach Maßgabe des Antrags "
                "und des Kosten- und Finanzierungsplans.",
                conditions=DEFAULT_CONDITIONS,
                financing_type=financing_type,
                year_amounts=payout_steps.year_amounts(
                    granted, funding, story.payment_plan, app.programme.max_fiscal_years
                ),
            )

        return self._add(on, "Bewilligungsvorschlag", run)

    def propose_rejection(self, on: dt.date, reasons: str) -> Story:
        return self._add(
            on,
            "Ablehnungsvorschlag",
            lambda s, c: decisions.decision_propose_rejection(
                application=s.app(), actor=s.case_worker(c), reasons=reasons
            ),
        )

    def return_proposal(self, on: dt.date, reason: str) -> Story:
        return self._add(
            on,
            "Vorschlag zurückgegeben",
            lambda s, c: decisions.decision_return(
                application=s.app(), actor=s.case_worker(c, second=True), reason=reason
            ),
        )

    def confirm(self, on: dt.date) -> Story:
        """Second pair of eyes. The service has a background task make the letter after its
        commit; the demo makes it at once, on the demo clock, so that the letter bears the day
        of the decision (the task then finds it made)."""
        self.confirmed_on = on

        def run(story: Story, cast: Cast) -> None:
            actor = story.case_worker(cast, second=True)
            decision = decisions.decision_confirm(application=story.app(), actor=actor)
            decisions.decision_letter_create(decision=decision, actor=actor)

        return self._add(on, "Entscheidung bestätigt", run)

    def waive_appeal(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Rechtsbehelfsverzicht",
            lambda s, c: decisions.application_waive_appeal(application=s.app(), actor=s.owner(c)),
        )

    # --- deadlines: the nightly run on the day they pass --------------------------------------

    def _nightly(self, day: dt.date, label: str) -> Story:
        return self._add(day, label, lambda s, c: applications.run_deadlines(), system=True)

    def expire_appeal(self) -> Story:
        assert self.confirmed_on is not None, "expire_appeal() needs confirm() first"
        appeal_months = PROGRAMMES[self.programme]["appeal_period_months"]
        day = add_months(self.confirmed_on, appeal_months) + dt.timedelta(days=1)
        return self._nightly(day, "Bestandskraft (Fristablauf)")

    def start(self) -> Story:
        assert self.funding is not None, "start() needs propose() first"
        return self._nightly(self.funding[0], "Projektbeginn")

    def end(self) -> Story:
        assert self.funding is not None, "end() needs propose() first"
        return self._nightly(self.funding[1] + dt.timedelta(days=1), "Ende Förderzeitraum")

    # --- payouts ------------------------------------------------------------------------------

    def payout(
        self,
        on: dt.date,
        amount: str | None = None,
        *,
        planned: bool = False,
        until: str = Payout.State.PAID,
        kind: str = Payout.Kind.INSTALMENT,
        needed_in: int = 14,
    ) -> Story:
        """A Mittelabruf by the recipient, or (``planned``) an instalment the case worker
        schedules, taken ``until`` the given state: certified the next day, ordered by the
        second case worker the day after, exported and paid by finance. Without ``amount``
        it is what remains of the justified (after the proof of use) or approved grant."""
        number = self.payout_count
        self.payout_count += 1
        due = on + dt.timedelta(days=needed_in)
        self.payment_plan.append((due, Decimal(amount) if amount else None))

        def create(story: Story, cast: Cast) -> None:
            app = story.app()
            # Money is needed for the project: not before its funding period begins.
            due_on = max(due, app.funding_start) if app.funding_start else due
            value = payout_steps.payable(app, Decimal(amount) if amount else None, due_on)
            if planned:
                payout = payouts.payout_plan(
                    application=app,
                    actor=story.case_worker(cast),
                    amount=value,
                    due_date=due_on,
                    kind=kind,
                )
            else:
                payout = payouts.payout_request(
                    application=app, actor=story.owner(cast), amount=value, needed_on=due_on
                )
            story.payout_ids.append(payout.pk)

        self._add(on, "Auszahlung angelegt", create)
        chain = [
            (1, Payout.State.CERTIFIED, payout_steps.certify),
            (2, Payout.State.ORDERED, payout_steps.order),
            (3, Payout.State.EXPORTED, payout_steps.export),
            (5, Payout.State.PAID, payout_steps.mark_paid),
        ]
        states = [state for _days, state, _step in chain]
        for days, state, step in chain[: states.index(until) + 1 if until in states else 0]:
            self._add(
                on + dt.timedelta(days=days),
                f"Auszahlung {state.label}",
                lambda s, c, step=step: step(s, c, number),
            )
        return self

    def change_bank_details(self, on: dt.date, iban: str, bic: str) -> Story:
        return self._add(
            on,
            "Bankverbindung geändert",
            lambda s, c: payout_steps.change_bank_details(s, c, iban, bic),
        )

    def cancel_payout(self, on: dt.date, number: int, reason: str) -> Story:
        self.payment_plan[number] = (self.payment_plan[number][0], None)
        return self._add(
            on,
            "Auszahlung storniert",
            lambda s, c: payouts.payout_cancel(
                payout=s.payout_obj(number), actor=s.case_worker(c), reason=reason
            ),
        )

    # --- proof of use, repayment, closing -------------------------------------------------

    def proof(self, on: dt.date, report: str, *, underspend: str = "0") -> Story:
        """Verwendungsnachweis: actual figures as planned, except ``underspend`` less spent
        on the largest cost line."""
        self.underspend = money(underspend)
        return self._add(
            on,
            "Verwendungsnachweis",
            lambda s, c: submit_proof(s.app(), s.owner(c), s.underspend, report),
        )

    def income(self, on: dt.date, kind: str, description: str, amount: str) -> Story:
        """Money outside the financing plan, declared with the proof of use."""
        return self._add(
            on,
            "Einnahme außerhalb des Plans",
            lambda s, c: proof.unplanned_income_add(
                application=s.app(),
                actor=s.owner(c),
                kind=kind,
                description=description,
                amount=Decimal(amount),
            ),
        )

    def resubmit_proof(self, on: dt.date, report: str) -> Story:
        return self._add(
            on,
            "Verwendungsnachweis ergänzt",
            lambda s, c: submit_proof(s.app(), s.owner(c), s.underspend, report),
        )

    def request_proof_changes(self, on: dt.date, items: list[str], due_in: int = 30) -> Story:
        return self._add(
            on,
            "Nachforderung zum Verwendungsnachweis",
            lambda s, c: proof.application_request_proof_changes(
                application=s.app(),
                actor=s.case_worker(c),
                items=items,
                due_date=on + dt.timedelta(days=due_in),
            ),
        )

    def extend_proof_deadline(self, on: dt.date, extra_months: int, reason: str) -> Story:
        def run(story: Story, cast: Cast) -> None:
            app = story.app()
            proof.application_extend_proof_deadline(
                application=app,
                actor=story.case_worker(cast),
                due_date=add_months(app.proof_due_date, extra_months),
                reason=reason,
            )

        return self._add(on, "Fristverlängerung Verwendungsnachweis", run)

    def accept_proof(self, on: dt.date, note: str = "") -> Story:
        """Kurzprüfung: the actual figures are recognised as claimed."""
        return self._add(
            on,
            "Verwendungsnachweis geprüft",
            lambda s, c: proof.proof_check_create(
                application=s.app(),
                actor=s.case_worker(c),
                depth=ProofCheck.Depth.QUICK,
                findings=note or "Kurzprüfung ohne Beanstandung.",
            ),
        )

    def claim(self, on: dt.date, reason: str, due_in: int = 30) -> Story:
        return self._add(
            on,
            "Rückforderung",
            lambda s, c: proof.repayment_claim_create(
                application=s.app(),
                actor=s.case_worker(c),
                reason=reason,
                due_date=on + dt.timedelta(days=due_in),
            ),
        )

    def repay_part(self, on: dt.date, amount: str) -> Story:
        """Part of the claimed money comes back; from that day it bears no more interest."""

        def run(story: Story, cast: Cast) -> None:
            proof.repayment_claim_record_repayment(
                claim=story.app().repayment_claims.get(state=RepaymentClaim.State.OPEN),
                actor=story.case_worker(cast),
                repaid_on=on,
                amount=Decimal(amount),
            )

        return self._add(on, "Teilzahlung eingegangen", run)

    def settle(self, on: dt.date) -> Story:
        """The money comes back; interest under § 49a VwVfG from the stored base rates."""

        def run(story: Story, cast: Cast) -> None:
            proof.repayment_claim_record_repayment(
                claim=story.app().repayment_claims.get(state=RepaymentClaim.State.OPEN),
                actor=story.case_worker(cast),
                repaid_on=on,
            )

        return self._add(on, "Erstattung eingegangen", run)

    def revoke(self, on: dt.date, reason: str) -> Story:
        return self._add(
            on,
            "Widerruf",
            lambda s, c: decisions.application_revoke(
                application=s.app(), actor=s.case_worker(c), reason=reason
            ),
        )

    def close(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Abschluss",
            lambda s, c: proof.application_close(
                application=s.app(), actor=s.case_worker(c), note="Vorgang abgeschlossen."
            ),
        )
