"""factory_boy factories and a small world of personas for the grant domain.

``build_world()`` gives one programme with an open call and a budget, an applicant with its
owner and a colleague, an outsider, two case workers of the programme, a case worker of another
programme, and a finance clerk. ``advance(application, world, to=STATE)`` walks an application
through the real services to any state, so tests start from states reached the legal way.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from applicants.models import Applicant, ApplicantKind, Membership, User
from grants.models import (
    AgendaItem,
    Application,
    ApplicationState,
    Area,
    BaseRate,
    Budget,
    Call,
    Committee,
    CommitteeMember,
    CostCategory,
    CostLine,
    FieldOfAction,
    FinancingCategory,
    FinancingKind,
    FinancingLine,
    FinancingType,
    FinancingTypeRule,
    FundingBody,
    Payout,
    Programme,
    StaffRole,
    TargetGroup,
)
from grants.services.applications import (
    application_end_funding_period,
    application_start_project,
    application_start_review,
    application_submit,
)
from grants.services.committees import agenda_item_create, agenda_item_record_votes, meeting_create
from grants.services.decisions import application_waive_appeal, decision_confirm, decision_propose
from grants.services.payouts import (
    payout_certify,
    payout_mark_exported,
    payout_mark_paid,
    payout_order,
    payout_plan,
)
from grants.services.proof import application_submit_proof, proof_check_create
from grants.services.queue import application_requested_refresh

PASSWORD = "test-Passwort-1"
S = ApplicationState


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    kind = ApplicantKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Verein Miteinander {n} e. V.")
    legal_form = "eingetragener Verein"
    street = "Lange Laube 1"
    postal_code = "30159"
    city = "Hannover"
    email = factory.Sequence(lambda n: f"verein{n}@example.org")
    contact_name = "Ayşe Yılmaz"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    account_holder = factory.SelfAttribute("name")
    iban = "DE89370400440532013000"


class FundingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingBody
        django_get_or_create = ["name"]

    name = "Landeshauptstadt Hannover"
    account_holder = "Stadtkasse Hannover"
    iban = "DE89370400440532013000"
    bic = "COBADEFFXXX"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    funding_body = factory.SubFactory(FundingBodyFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Testprogramm {n}")
    teilhaushalt = "56"
    produkt = "11143"
    sachkonto = "43180000"
    kostenstelle = "56100000"
    max_amount_per_application = Decimal("50000.00")
    min_own_share_percent = Decimal("20.00")
    administrative_decision_limit = Decimal("10000.00")
    max_project_months = 12
    eligible_applicant_kinds = factory.LazyFunction(lambda: list(ApplicantKind.values))

    @factory.post_generation
    def configuration(obj, create, extracted, **kwargs):
        if not create:
            return
        for code, name in [("staff", "Personal"), ("fees", "Honorare"), ("material", "Sachkosten")]:
            CostCategory.objects.create(programme=obj, code=code, name=name)
        for code, name, kind in [
            ("own", "Eigenmittel", FinancingKind.OWN_FUNDS),
            ("work", "Eigenleistung", FinancingKind.OWN_WORK),
            ("public", "Andere öffentliche Mittel", FinancingKind.OTHER_PUBLIC),
            ("grant", "Beantragte Zuwendung", FinancingKind.GRANT),
        ]:
            FinancingCategory.objects.create(programme=obj, code=code, name=name, kind=kind)
        FieldOfAction.objects.create(programme=obj, code="bildung", name="Bildung")
        Area.objects.create(programme=obj, code="01", name="Mitte")
        TargetGroup.objects.create(programme=obj, code="youth", name="Jugendliche")
        for position, up_to, share, kind in [
            (1, Decimal("5000.00"), None, FinancingType.FIXED_AMOUNT),
            (2, Decimal("10000.00"), Decimal("20.00"), FinancingType.FIXED_AMOUNT),
            (3, None, None, FinancingType.PROPORTIONAL),
        ]:
            FinancingTypeRule.objects.create(
                programme=obj,
                position=position,
                amount_up_to=up_to,
                min_own_share_percent=share,
                financing_type=kind,
            )


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Aufruf {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    programme = factory.SubFactory(ProgrammeFactory)
    fiscal_year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount = Decimal("250000.00")


def staff(programme: Programme, role: str = StaffRole.Role.CASE_WORKER, **kwargs) -> User:
    user = UserFactory(is_staff=True, **kwargs)
    StaffRole.objects.create(user=user, programme=programme, role=role)
    return user


@dataclass
class World:
    programme: Programme
    call: Call
    budget: Budget
    next_budget: Budget
    applicant: Applicant
    owner: User
    colleague: User
    outsider: User
    case_worker: User
    second_case_worker: User
    foreign_case_worker: User
    finance: User


def restore_reference_data() -> None:
    """Puts back the base rates of the data migrations when a transactional test earlier in the
    session flushed them (a flush empties every table, reference data included)."""
    from django.apps import apps

    if BaseRate.objects.exists():
        return
    importlib.import_module("grants.migrations.0004_base_rates").seed(apps, None)
    importlib.import_module(
        "grants.migrations.0008_proof_lines_repayments_recovery_notice"
    ).base_rates_checked(apps, None)


def build_world(budget_amount: Decimal = Decimal("250000.00"), **programme_kwargs) -> World:
    restore_reference_data()
    programme = ProgrammeFactory(**programme_kwargs)
    applicant = ApplicantFactory()
    owner, colleague = UserFactory(), UserFactory()
    Membership.objects.create(user=owner, applicant=applicant, role=Membership.Role.OWNER)
    Membership.objects.create(user=colleague, applicant=applicant)
    outsider = UserFactory()
    Membership.objects.create(user=outsider, applicant=ApplicantFactory())
    return World(
        programme=programme,
        call=CallFactory(programme=programme),
        budget=BudgetFactory(programme=programme, amount=budget_amount),
        next_budget=BudgetFactory(
            programme=programme, amount=budget_amount, fiscal_year=timezone.localdate().year + 1
        ),
        applicant=applicant,
        owner=owner,
        colleague=colleague,
        outsider=outsider,
        case_worker=staff(programme),
        second_case_worker=staff(programme),
        foreign_case_worker=staff(ProgrammeFactory()),
        finance=staff(programme, StaffRole.Role.FINANCE),
    )


def add_plan(
    application: Application,
    *,
    costs: Decimal = Decimal("10000.00"),
    own: Decimal = Decimal("2000.00"),
    other: Decimal = Decimal("0.00"),
    grant: Decimal | None = None,
) -> Application:
    """A cost line and financing lines; the grant fills the gap unless given."""
    programme = application.programme
    cat = {c.kind: c for c in FinancingCategory.objects.filter(programme=programme)}
    CostLine.objects.create(
        application=application,
        category=CostCategory.objects.get(programme=programme, code="fees"),
        description="Honorare Kursleitung",
        amount=costs,
    )
    grant = costs - own - other if grant is None else grant
    for kind, amount in [
        (FinancingKind.OWN_FUNDS, own),
        (FinancingKind.OTHER_PUBLIC, other),
        (FinancingKind.GRANT, grant),
    ]:
        if amount:
            FinancingLine.objects.create(application=application, category=cat[kind], amount=amount)
    return application_requested_refresh(application=application)


def draft(world: World, **plan) -> Application:
    today = timezone.localdate()
    application = Application.objects.create(
        programme=world.programme,
        call=world.call,
        applicant=world.applicant,
        created_by=world.owner,
        title="Sprachcafé im Stadtteil",
        summary="Ein offenes Sprachcafé für Nachbar*innen.",
        goals="Begegnung und Deutsch üben.",
        start_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=200),
        expected_participants=40,
    )
    # Where it takes place: an area of the programme, as the classification step asks.
    application.areas.set(world.programme.areas.all()[:1])
    return add_plan(application, **plan)


# The order in which the main path reaches each state, and how to take the next step.
def _submit(app, w):
    application_submit(application=app, actor=w.owner)


def _review(app, w):
    application_start_review(application=app, actor=w.case_worker)


def year_split(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, Decimal] | None:
    """Half in each year when the period crosses New Year (tests run on any date)."""
    if start.year == end.year:
        return None
    first = (amount / 2).quantize(Decimal("0.01"))
    return {start.year: first, end.year: amount - first}


def _propose(app, w):
    # From tomorrow: the first fiscal year of the grant is this one (but on 31 December),
    # whatever the date the tests run on, and the project has not started yet.
    start = timezone.localdate() + dt.timedelta(days=1)
    end = app.start_date + dt.timedelta(days=150)
    amount = app.plan.requested_amount
    decision_propose(
        application=app,
        actor=w.case_worker,
        amount=amount,
        funding_start=start,
        funding_end=end,
        purpose="Sprachcafé",
        year_amounts=this_year_only(amount, start, end),
    )


def this_year_only(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, Decimal] | None:
    """The whole grant in the first fiscal year of the period: payouts follow the commitment
    by year, and ``pay`` pays it at once (see ``payable_on``)."""
    return None if start.year == end.year else {start.year: amount}


def _confirm(app, w):
    decision_confirm(application=app, actor=w.second_case_worker)


def _waive(app, w):
    application_waive_appeal(application=app, actor=w.owner)


def _backdate_funding_period(app: Application, *, ended: bool) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=200 if ended else 1)
    end = today - dt.timedelta(days=1) if ended else today + dt.timedelta(days=100)
    Application.objects.filter(pk=app.pk).update(funding_start=start, funding_end=end)
    app.funding_start, app.funding_end = start, end


def _start(app, w):
    _backdate_funding_period(app, ended=False)
    application_start_project(application=app)


def _end(app, w):
    _backdate_funding_period(app, ended=True)
    application_end_funding_period(application=app)


def payable_on(app: Application) -> dt.date:
    """Today, or the first day of the first fiscal year the grant is committed for when that
    is later (tests run in December too, with the funding period in the next year)."""
    from grants.selectors.payouts import commitment_by_year

    today = timezone.localdate()
    first = min(commitment_by_year(app), default=today.year)
    return today if today.year >= first else dt.date(first, 1, 1)


def pay(app: Application, w: World, amount: Decimal) -> Payout:
    """A payout through its whole lifecycle, as the four roles would do it."""
    payout = payout_plan(
        application=app, actor=w.case_worker, amount=amount, due_date=payable_on(app)
    )
    payout_certify(payout=payout, actor=w.case_worker)
    payout_order(payout=payout, actor=w.second_case_worker)
    payout_mark_exported(payout=payout, actor=w.finance)
    payout_mark_paid(payout=payout, actor=w.finance, paid_on=timezone.localdate())
    return payout


def _submit_proof(app, w):
    application_submit_proof(
        application=app,
        actor=w.owner,
        report="Das Sprachcafé fand 20-mal statt.",
        actual_costs={line.pk: line.amount for line in app.cost_lines.all()},
        actual_financing={
            line.pk: line.amount
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )


def _accept(app, w):
    proof_check_create(
        application=app,
        actor=w.case_worker,
        depth="quick",
        findings="Kurzprüfung ohne Beanstandung.",
    )


MAIN_PATH = [
    (S.DRAFT, _submit),
    (S.SUBMITTED, _review),
    (S.IN_REVIEW, _propose),
    (S.DECISION_PROPOSED, _confirm),
    (S.APPROVED, _waive),
    (S.FINAL, _start),
    (S.RUNNING, _end),
    (S.PROOF_DUE, _submit_proof),
    (S.PROOF_SUBMITTED, _accept),
    (S.PROOF_ACCEPTED, None),
]


def advance(application: Application, world: World, to: str) -> Application:
    """Walks ``application`` along the main path from where it is until it is in state ``to``."""
    states = [state for state, _step in MAIN_PATH]
    application.refresh_from_db()
    assert application.state in states, f"{application.state} is not on the main path"
    assert to in states, f"{to} is not on the main path"
    for _state, step in MAIN_PATH[states.index(application.state) : states.index(to)]:
        step(application, world)
        application.refresh_from_db()
    assert application.state == to
    return application


def refer(
    app: Application, world: World, *, body: str = "Fachjury", members: int = 5
) -> AgendaItem:
    """Puts ``app`` on the agenda of a meeting today of the programme's committee ``body``
    (made with ``members`` members if it does not exist), as the screens do."""
    committee, created = Committee.objects.get_or_create(programme=world.programme, name=body)
    if created:
        for n in range(members):
            CommitteeMember.objects.create(
                committee=committee, name=f"Mitglied {n + 1}", position=n
            )
    meeting = meeting_create(
        committee_id=committee.pk, actor=world.case_worker, date=timezone.localdate()
    )
    return agenda_item_create(
        application=app,
        actor=world.case_worker,
        meeting=meeting,
        proposed_amount=app.plan.requested_amount,
    )


def vote(item: AgendaItem, world: World, yes: int, no: int, abstain: int = 0) -> AgendaItem:
    """The members' votes on ``item``: the first ``yes`` say yes, the next ``no`` say no, … ."""
    members = list(item.meeting.committee.members.order_by("position"))
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    return agenda_item_record_votes(
        item=item,
        actor=world.case_worker,
        votes={member.pk: choice for member, choice in zip(members, choices, strict=False)},
    )


# The declarations of the check page (Erklärungen), as an applicant who may submit gives them.
DECLARATIONS = {
    "subsidy_facts": "on",
    "input_tax": "no",
    "not_started": "on",
    "other_funding": "no",
}
