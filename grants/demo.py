"""Demo data: the two programmes with their real figures, staff and applicant logins, and about
forty applications in every state of the procedure (``python manage.py seed_demo``).

How the history is made
-----------------------
Every application is walked through the services of ``grants/services/`` by the persona who
would take the step, so status changes, decisions, budget bookings and payouts are exactly what
the portal itself writes. Many steps lie in the past, and the services judge dates against
today: a call must be open, a project may not have started when it is submitted, a funding
period must have begun or ended, money cannot be paid tomorrow. Each step therefore runs on a
*demo clock* set to the moment it took place: while it runs, ``django.utils.timezone.now()``
returns that moment, and every rule is applied as it would have been on that day. The steps of
all applications are replayed in calendar order, so file numbers (WIR2-2023-0001 …) and budget
bookings follow the calendar. Every change of state goes through a service; only the draft's
content (texts, plan lines, the attachment) is written directly, as the applicant's form would,
because there is no service for editing a draft. The clock is process-wide: run the seed in a
single thread (the command does).

Old applications use fixed dates in 2023/2024 (the years with real budgets); everything that
is still in progress is dated relative to today, so the demo works on any day.

Idempotent: configuration rows are looked up by their natural keys and left alone when they
exist; an application that exists (same applicant, same title) is skipped with its history.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils import timezone as django_timezone
from schwifty import IBAN

from applicants.models import Applicant, ApplicantKind, Membership, User
from grants.models import (
    ZERO,
    AgendaItem,
    Application,
    ApplicationState,
    Area,
    Attachment,
    Budget,
    Call,
    Committee,
    CommitteeMember,
    CostCategory,
    CostLine,
    DocumentType,
    FieldOfAction,
    FinancingCategory,
    FinancingKind,
    FinancingLine,
    FinancingType,
    FinancingTypeRule,
    FundingArea,
    FundingBody,
    Letter,
    Meeting,
    Payout,
    Programme,
    ProofCheck,
    RepaymentClaim,
    StaffRole,
    TargetGroup,
    add_months,
    money,
)
from grants.services.applications import (
    application_create,
    application_end_funding_period,
    application_expire_appeal_period,
    application_request_changes,
    application_resubmit,
    application_start_project,
    application_start_review,
    application_submit,
    application_withdraw,
)
from grants.services.assessment import application_record_own_share_justification
from grants.services.committees import (
    agenda_item_create,
    agenda_item_record_votes,
    meeting_create,
)
from grants.services.decisions import (
    application_revoke,
    application_waive_appeal,
    decision_confirm,
    decision_letter_create,
    decision_propose,
    decision_propose_rejection,
    decision_return,
)
from grants.services.payouts import (
    payout_cancel,
    payout_certify,
    payout_mark_exported,
    payout_mark_paid,
    payout_order,
    payout_plan,
    payout_request,
)
from grants.services.proof import (
    application_close,
    application_extend_proof_deadline,
    application_request_proof_changes,
    application_submit_proof,
    proof_check_create,
    repayment_claim_create,
    repayment_claim_settle,
)

# Every demo login uses this password; the README lists the logins.
DEMO_PASSWORD = "Demo-2026!"

# § 49a Abs. 3 VwVfG: 5 percentage points above the base rate (§ 247 BGB). The base rate is a
# Beispielwert here; real claims use the rate of each half-year.
DEMO_BASE_RATE_PERCENT = Decimal("1.27")

S = ApplicationState
D = Decimal

# ---------------------------------------------------------------------------------------------
# Programmes and their configuration
# ---------------------------------------------------------------------------------------------

FUNDING_BODIES = {
    "Landeshauptstadt Hannover": {
        "department": "Fachbereich Gesellschaftliche Teilhabe (OE 56.10)",
        "address": "Trammplatz 2\n30159 Hannover",
        "email": "wir2-foerderung@stadt-hannover.example",
    },
    "Region Hannover": {
        "department": "Koordinierungsstelle Regionsfonds für Vielfalt und Teilhabe",
        "address": "Hildesheimer Straße 18\n30169 Hannover",
        "email": "regionsfonds@region-hannover.example",
    },
}

PROGRAMMES: dict[str, dict[str, Any]] = {
    "WIR2": {
        "funding_body": "Landeshauptstadt Hannover",
        "name": "WIR 2.0-Förderprogramm",
        "legal_basis": (
            "Beschlussdrucksache 1941/2022 „WIR 2.0 Migration und Teilhabe. Strategien, Ziele "
            "und Maßnahmen“; Förderrichtlinie WIR 2.0 (Drucksache 0993/2022)."
        ),
        "description": (
            "Die Stadt Hannover fördert Projekte für Migration und Teilhabe. Vereine, "
            "Migrant*innenorganisationen, Verbände, Initiativen und Einzelpersonen können "
            "einen Antrag stellen. Kleinprojekte können Sie laufend beantragen, Großprojekte "
            "zu den Bekanntmachungen. Sie tragen mindestens 20 Prozent der Kosten selbst, auch "
            "mit ehrenamtlicher Arbeit.\n\n"
            "Hinweis (Demo): Sachkonto 44310000 und Kostenstelle 56100100 sind Beispielwerte; "
            "die echte Kontierung ist bei der Stadtkämmerei zu erfragen."
        ),
        "responsible_unit": "OE 56.10 Fachbereich Gesellschaftliche Teilhabe",
        "teilhaushalt": "56",
        "produkt": "11143",
        "produkt_name": "Einwanderungsstadt Hannover",
        "sachkonto": "44310000",
        "kostenstelle": "56100100",
        "max_amount_per_application": D("50000.00"),
        "min_own_share_percent": D("20.00"),
        "administrative_decision_limit": D("5000.00"),
        "max_project_months": 12,
        "proof_of_use_months": 6,
        "appeal_period_months": 1,
        "payout_need_months": 2,
        "eligible_applicant_kinds": [
            ApplicantKind.MIGRANT_ORGANISATION,
            ApplicantKind.ASSOCIATION,
            ApplicantKind.FEDERATION,
            ApplicantKind.COLLECTIVE,
            ApplicantKind.INDIVIDUAL,
        ],
        # Förderrichtlinie Nr. 17.2: first matching rule wins.
        "financing_rules": [
            (D("5000.00"), None, FinancingType.FIXED_AMOUNT),
            (D("10000.00"), D("20.00"), FinancingType.FIXED_AMOUNT),
            (None, None, FinancingType.PROPORTIONAL),
        ],
        "funding_areas": [("2", "Großprojekte"), ("3", "Kleinprojekte")],
        "fields_of_action": [
            ("bildung", "Bildung"),
            ("soziales", "Soziales"),
            ("demokratie", "Demokratie"),
            ("stadtleben", "Stadtleben und Kultur"),
            ("wirtschaft", "Wirtschaft"),
            ("verwaltung", "Stadtverwaltung und interkulturelle Öffnung"),
        ],
        "areas": [
            ("01", "Mitte"),
            ("02", "Vahrenwald-List"),
            ("03", "Bothfeld-Vahrenheide"),
            ("04", "Buchholz-Kleefeld"),
            ("05", "Misburg-Anderten"),
            ("06", "Kirchrode-Bemerode-Wülferode"),
            ("07", "Südstadt-Bult"),
            ("08", "Döhren-Wülfel"),
            ("09", "Ricklingen"),
            ("10", "Linden-Limmer"),
            ("11", "Ahlem-Badenstedt-Davenstedt"),
            ("12", "Herrenhausen-Stöcken"),
            ("13", "Nord"),
        ],
        # fiscal year → {Förderbereich code: amount}, is_example, note
        "budgets": {
            2023: ({"2": D("200000.00"), "3": D("50000.00")}, False, "real"),
            2024: ({"2": D("200000.00"), "3": D("50000.00")}, False, "real"),
            2025: ({"2": D("200000.00"), "3": D("50000.00")}, True, "example"),
            2026: ({"2": D("200000.00"), "3": D("50000.00")}, True, "example"),
            2027: ({"2": D("200000.00"), "3": D("50000.00")}, True, "example"),
        },
        "budget_notes": {
            "real": "Ansatz 250.000 € lt. Drucksache 1941/2022; Aufteilung Großprojekte/"
            "Kleinprojekte wird jährlich neu festgelegt.",
            "example": "Beispielwert: kein beschlossener Ansatz; Höhe und Aufteilung wie 2024 "
            "angenommen.",
        },
    },
    "RFVT": {
        "funding_body": "Region Hannover",
        "name": "Regionsfonds für Vielfalt und Teilhabe",
        "legal_basis": (
            "Haushaltsbegleitantrag 3185 (V) des Haushaltsausschusses der Region Hannover vom "
            "12.11.2024; Förderaufrufe der Koordinierungsstelle."
        ),
        "description": (
            "Die Region Hannover fördert Projekte für ein gutes Miteinander in Vielfalt in "
            "allen 21 Städten und Gemeinden der Region. Kleine, schnelle Projekte entscheidet "
            "die Koordinierungsstelle, größere Projekte wählt eine Fachjury aus. Projekte können "
            "bis zu zwei Jahre dauern und bis zu 40.000 € erhalten. Ihr Projekt darf erst nach "
            "dem Antrag beginnen. Politische Organisationen können keinen Antrag stellen.\n\n"
            "Hinweis (Demo): Sachkonto 43180000 und Kostenstelle 52000300 sind Beispielwerte."
        ),
        "responsible_unit": "Koordinierungsstelle Regionsfonds, Team Teilhabe",
        "teilhaushalt": "52",
        "produkt": "331111",
        "produkt_name": "Regionsfonds",
        "sachkonto": "43180000",
        "kostenstelle": "52000300",
        "max_amount_per_application": D("40000.00"),
        "min_own_share_percent": D("0.00"),
        # Each call names its track (Koordinierungsstelle or Fachjury); no amount limit applies.
        "administrative_decision_limit": D("0.00"),
        "max_project_months": 24,
        "proof_of_use_months": 6,
        "appeal_period_months": 1,
        "payout_need_months": 2,
        "eligible_applicant_kinds": [
            ApplicantKind.ASSOCIATION,
            ApplicantKind.FEDERATION,
            ApplicantKind.PARISH,
            ApplicantKind.SCHOOL_OPERATOR,
            ApplicantKind.DAYCARE_OPERATOR,
            ApplicantKind.MUNICIPALITY,
            ApplicantKind.CHARITY,
            ApplicantKind.INDIVIDUAL,
        ],
        # No rules known: the case worker chooses the financing type in each notice.
        "financing_rules": [],
        "funding_areas": [],
        "fields_of_action": [
            ("schule", "Schule und Bildung"),
            ("arbeit", "Arbeitsmarkt und Qualifizierung"),
            ("sprache", "Sprachförderung"),
            ("miteinander", "Miteinander in Vielfalt"),
            ("nachbarschaft", "Leben in der Nachbarschaft"),
            ("demokratie", "Demokratieförderung und Anti-Rassismus"),
            ("kultur", "Kunst und Kultur"),
            ("sport", "Sport und Gesundheit"),
        ],
        "areas": [
            ("barsinghausen", "Barsinghausen"),
            ("burgdorf", "Burgdorf"),
            ("burgwedel", "Burgwedel"),
            ("garbsen", "Garbsen"),
            ("gehrden", "Gehrden"),
            ("hannover", "Hannover"),
            ("hemmingen", "Hemmingen"),
            ("isernhagen", "Isernhagen"),
            ("laatzen", "Laatzen"),
            ("langenhagen", "Langenhagen"),
            ("lehrte", "Lehrte"),
            ("neustadt", "Neustadt am Rübenberge"),
            ("pattensen", "Pattensen"),
            ("ronnenberg", "Ronnenberg"),
            ("seelze", "Seelze"),
            ("sehnde", "Sehnde"),
            ("springe", "Springe"),
            ("uetze", "Uetze"),
            ("wedemark", "Wedemark"),
            ("wennigsen", "Wennigsen"),
            ("wunstorf", "Wunstorf"),
        ],
        "budgets": {
            2023: ({None: D("150000.00")}, False, "real2023"),
            2024: ({None: D("200000.00")}, False, "real2024"),
            2025: ({None: D("200000.00")}, True, "example"),
            2026: ({None: D("200000.00")}, True, "example"),
            2027: ({None: D("200000.00")}, True, "example"),
        },
        "budget_notes": {
            "real2023": "(verify) 150.000 € vor Einführung des Ansatzes von 200.000 € jährlich.",
            "real2024": "(verify) 200.000 € jährlich lt. Antrag 3185 (V) HHA vom 12.11.2024.",
            "example": "Beispielwert: 200.000 € wie seit 2024 angenommen, kein beschlossener "
            "Ansatz.",
        },
    },
}

# Budgets for years outside the list above, created only when a demo story needs one (the
# demo's current projects are dated relative to today).
EXAMPLE_BUDGET_NOTE = "Beispielwert: von seed_demo für ein weiteres Haushaltsjahr ergänzt."

TARGET_GROUPS = [
    ("kinder", "Kinder"),
    ("jugendliche", "Jugendliche"),
    ("junge-erwachsene", "Junge Erwachsene"),
    ("familien", "Eltern und Familien"),
    ("frauen", "Frauen"),
    ("aeltere", "Ältere Menschen"),
    ("neuzugewanderte", "Neuzugewanderte"),
    ("gefluechtete", "Geflüchtete Menschen"),
    ("behinderung", "Menschen mit Behinderungen"),
    ("ehrenamtliche", "Ehrenamtliche und Multiplikator*innen"),
    ("fachkraefte", "Fachkräfte und Verwaltung"),
    ("nachbarschaft", "Nachbarschaft und alle Bewohner*innen"),
]

COST_CATEGORIES = [
    ("staff", "Personalausgaben"),
    ("fees", "Honorare"),
    ("rent", "Miete und Raumkosten"),
    ("material", "Sachkosten und Material"),
    ("publicity", "Druck und Öffentlichkeitsarbeit"),
    ("travel", "Reise- und Fahrtkosten"),
    ("catering", "Verpflegung"),
    ("purchases", "Anschaffungen"),
    ("other", "Sonstige Ausgaben"),
]

FINANCING_CATEGORIES = [
    ("own_funds", "Eigenmittel", FinancingKind.OWN_FUNDS),
    ("own_work", "Eigenleistung und Sachleistungen (Geldwert)", FinancingKind.OWN_WORK),
    ("public_applied", "Andere öffentliche Mittel (beantragt)", FinancingKind.OTHER_PUBLIC),
    ("public_granted", "Andere öffentliche Mittel (bewilligt)", FinancingKind.OTHER_PUBLIC),
    ("private", "Stiftungen und Spenden", FinancingKind.PRIVATE),
    ("income", "Teilnahmebeiträge und Einnahmen", FinancingKind.INCOME),
    ("grant", "Beantragte Zuwendung", FinancingKind.GRANT),
]

A, P = DocumentType.Stage.APPLICATION, DocumentType.Stage.PROOF_OF_USE
# Only the project description is required: individuals have no statutes or register entry,
# and the cost and financing plan is entered in the form itself.
DOCUMENT_TYPES = [
    ("projektbeschreibung", "Ausführliche Projektbeschreibung", A, True),
    ("satzung", "Satzung", A, False),
    ("registerauszug", "Auszug aus dem Vereinsregister", A, False),
    ("freistellung", "Freistellungsbescheid des Finanzamts", A, False),
    ("kostenangebote", "Kostenangebote", A, False),
    ("kooperation", "Kooperationsvereinbarung oder Absichtserklärung", A, False),
    ("sachbericht", "Sachbericht", P, False),
    ("belegliste", "Belegliste", P, False),
    ("teilnahmestatistik", "Teilnahmestatistik (Zahlen, keine Namen)", P, False),
    ("belegexemplare", "Belegexemplare der Öffentlichkeitsarbeit", P, False),
    ("schriftverkehr", "Schriftverkehr", DocumentType.Stage.CORRESPONDENCE, False),
]

WIR2_COMMITTEE = "Arbeitsausschuss des WIR 2.0-Kuratoriums"
RFVT_JURY = "Fachjury des Regionsfonds für Vielfalt und Teilhabe"

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------

CW, FIN = StaffRole.Role.CASE_WORKER, StaffRole.Role.FINANCE

# email, first name, last name, [(programme, role)], description for the README
STAFF = [
    ("sachbearbeitung1@stadt-hannover.example", "Katrin", "Albers", [("WIR2", CW)]),
    ("sachbearbeitung2@stadt-hannover.example", "Yusuf", "Demir", [("WIR2", CW)]),
    ("sachbearbeitung1@region-hannover.example", "Jana", "Wolff", [("RFVT", CW)]),
    ("sachbearbeitung2@region-hannover.example", "Thomas", "Brandt", [("RFVT", CW)]),
    ("finanzen@foerderportal.example", "Petra", "Lindner", [("WIR2", FIN), ("RFVT", FIN)]),
]
ADMIN_EMAIL = "admin@foerderportal.example"

APPLICANTS: dict[str, dict[str, Any]] = {
    "verein1": {
        "user": ("verein1@antragstellende.example", "Amina", "Okafor"),
        "kind": ApplicantKind.MIGRANT_ORGANISATION,
        "name": "Mosaik – Migrant*innenselbstorganisation Hannover e. V.",
        "legal_form": "eingetragener Verein",
        "register_court": "Amtsgericht Hannover",
        "register_number": "VR 209871",
        "tax_exemption_office": "Finanzamt Hannover-Nord",
        "tax_exemption_date": dt.date(2024, 3, 14),
        "street": "Engelbosteler Damm 72",
        "postal_code": "30167",
        "city": "Hannover",
        "email": "info@mosaik-hannover.example",
        "phone": "0511 1234560",
        "iban": "DE89370400440532013000",
    },
    "verein2": {
        "user": ("verein2@antragstellende.example", "Jürgen", "Meyer"),
        "kind": ApplicantKind.ASSOCIATION,
        "name": "Nachbarschaftsverein Linden-Süd e. V.",
        "legal_form": "eingetragener Verein",
        "register_court": "Amtsgericht Hannover",
        "register_number": "VR 7734",
        "tax_exemption_office": "Finanzamt Hannover-Mitte",
        "tax_exemption_date": dt.date(2023, 11, 2),
        "street": "Deisterstraße 21",
        "postal_code": "30449",
        "city": "Hannover",
        "email": "kontakt@linden-sued.example",
        "phone": "0511 2345670",
        "iban": "DE02120300000000202051",
    },
    "verein3": {
        "user": ("verein3@antragstellende.example", "Elif", "Arslan"),
        "kind": ApplicantKind.FEDERATION,
        "name": "Forum Vielfalt Region Hannover – Verband interkultureller Initiativen e. V.",
        "legal_form": "eingetragener Verein (Dachverband)",
        "register_court": "Amtsgericht Hannover",
        "register_number": "VR 202415",
        "tax_exemption_office": "Finanzamt Hannover-Land I",
        "tax_exemption_date": dt.date(2024, 6, 20),
        "street": "Hildesheimer Straße 96",
        "postal_code": "30173",
        "city": "Hannover",
        "email": "buero@forum-vielfalt.example",
        "phone": "0511 3456780",
        "iban": "DE02500105170137075030",
    },
    "einzelperson": {
        "user": ("einzelperson@antragstellende.example", "Mariam", "Haddad"),
        "kind": ApplicantKind.INDIVIDUAL,
        "name": "Mariam Haddad",
        "street": "Marktstraße 5",
        "postal_code": "30880",
        "city": "Laatzen",
        "email": "einzelperson@antragstellende.example",
        "phone": "",
        "iban": "DE88100900001234567892",
    },
}


def demo_logins() -> list[tuple[str, str]]:
    """(e-mail, role) of every demo login, for the command's output and the README."""
    logins = [(ADMIN_EMAIL, "Administration (Superuser)")]
    for email, _first, _last, roles in STAFF:
        labels = ", ".join(f"{StaffRole.Role(role).label} {code}" for code, role in roles)
        logins.append((email, labels))
    for spec in APPLICANTS.values():
        logins.append((spec["user"][0], f"Antragsteller*in: {spec['name']}"))
    return logins


# ---------------------------------------------------------------------------------------------
# The demo clock
# ---------------------------------------------------------------------------------------------

_REAL_DATETIME = dt.datetime


@contextmanager
def demo_clock(moment: dt.datetime) -> Iterator[None]:
    """While active, ``django.utils.timezone.now()`` (and so ``localdate()``, field defaults
    and ``auto_now_add``) returns ``moment`` plus the time that has passed since entering.

    ``timezone.now()`` reads ``datetime.now()`` through the module's global name, which is
    the one name replaced here; it is put back however the block ends."""
    offset = moment - _REAL_DATETIME.now(dt.UTC)

    class DemoDateTime(_REAL_DATETIME):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return _REAL_DATETIME.now(tz) + offset

    previous = django_timezone.datetime
    django_timezone.datetime = DemoDateTime  # type: ignore[misc]
    try:
        yield
    finally:
        django_timezone.datetime = previous  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Stories: one application each, its steps dated
# ---------------------------------------------------------------------------------------------

Line = tuple[str, str, str]  # category code, description, amount

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


@dataclass
class Step:
    at: dt.datetime
    label: str
    run: Callable[[Story, Cast], Any]


DEMO_COMMITTEE_MEMBERS = [
    "Dr. Sabine Krüger",
    "Mehmet Aydın",
    "Ursula Brandt",
    "Thomas Wendt",
    "Aylin Demir",
    "Klaus Hoffmann",
    "Renate Vogel",
    "Jonas Petersen",
]


def _demo_meeting(story: Story, cast: Cast, day: dt.date) -> Meeting:
    """The meeting of the call's deciding body on ``day``, with the committee and its members
    made on first use (the screens' services need a meeting to put an application on)."""
    programme = story.app().programme
    committee, created = Committee.objects.get_or_create(
        programme=programme, name=cast.calls[story.call].deciding_body
    )
    if created:
        CommitteeMember.objects.bulk_create(
            CommitteeMember(committee=committee, name=name, position=n)
            for n, name in enumerate(DEMO_COMMITTEE_MEMBERS)
        )
    meeting = Meeting.objects.filter(committee=committee, date=day).first()
    return meeting or meeting_create(
        committee_id=committee.pk, actor=story.case_worker(cast), date=day, location="Rathaus"
    )


@dataclass
class Story:
    """An application from its draft to where the demo leaves it, as dated steps.

    The builder methods only record steps; :func:`seed` replays the steps of all stories in
    calendar order, each on the demo clock."""

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
        def run(story: Story, cast: Cast) -> None:
            owner = story.owner(cast)
            app = application_create(
                actor=owner,
                applicant=cast.applicants[story.applicant],
                call=cast.calls[story.call],
                title=story.title,
            )
            app.summary, app.goals = story.summary, story.goals
            app.start_date, app.end_date = story.period
            app.expected_participants = story.participants
            app.save(
                update_fields=[
                    "summary",
                    "goals",
                    "start_date",
                    "end_date",
                    "expected_participants",
                ]
            )
            programme = app.programme
            app.fields_of_action.set(_items(FieldOfAction, programme, story.fields))
            app.areas.set(_items(Area, programme, story.areas))
            app.target_groups.set(_items(TargetGroup, programme, story.groups))
            _write_plan(app, story.costs, story.financing)
            if attach:
                _attach_description(app, owner)
            story.application_id = app.pk

        return self._add(on, "Entwurf", run)

    def submit(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Einreichung",
            lambda s, c: application_submit(application=s.app(), actor=s.owner(c)),
        )

    def request_changes(self, on: dt.date, items: list[str], due_in: int = 21) -> Story:
        return self._add(
            on,
            "Nachforderung",
            lambda s, c: application_request_changes(
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
            lambda s, c: application_resubmit(application=s.app(), actor=s.owner(c), note=note),
        )

    def withdraw(self, on: dt.date, reason: str) -> Story:
        return self._add(
            on,
            "Rücknahme",
            lambda s, c: application_withdraw(application=s.app(), actor=s.owner(c), reason=reason),
        )

    # --- assessment, vote and decision ------------------------------------------------------

    def review(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Fachliche Prüfung",
            lambda s, c: application_start_review(
                application=s.app(),
                actor=s.case_worker(c),
                note="Formelle Prüfung ohne Beanstandung.",
            ),
        )

    def justify_own_share(self, on: dt.date, text: str) -> Story:
        return self._add(
            on,
            "Aktenvermerk Eigenanteil",
            lambda s, c: application_record_own_share_justification(
                application=s.app(), actor=s.case_worker(c), justification=text
            ),
        )

    def refer(self, on: dt.date, meeting: dt.date) -> Story:
        return self._add(
            on,
            "Vorlage im Gremium",
            lambda s, c: agenda_item_create(
                application=s.app(),
                actor=s.case_worker(c),
                meeting=_demo_meeting(s, c, meeting),
                proposed_amount=s.app().plan.requested_amount,
            ),
        )

    def vote(
        self, on: dt.date, yes: int, no: int, abstain: int = 0, *, amount: str | None = None
    ) -> Story:
        def run(s: Story, c: Cast) -> AgendaItem:
            item = AgendaItem.objects.filter(application=s.app()).latest("id")
            members = list(item.meeting.committee.members.order_by("position"))
            choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
            return agenda_item_record_votes(
                item=item,
                actor=s.case_worker(c),
                votes={m.pk: choice for m, choice in zip(members, choices, strict=False)},
                recommended_amount=D(amount) if amount else None,
            )

        return self._add(on, "Votum", run)

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
            granted = D(amount) if amount else app.plan.requested_amount
            decision_propose(
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
                year_amounts=year_split(granted, *funding),
            )

        return self._add(on, "Bewilligungsvorschlag", run)

    def propose_rejection(self, on: dt.date, reasons: str) -> Story:
        return self._add(
            on,
            "Ablehnungsvorschlag",
            lambda s, c: decision_propose_rejection(
                application=s.app(), actor=s.case_worker(c), reasons=reasons
            ),
        )

    def return_proposal(self, on: dt.date, reason: str) -> Story:
        return self._add(
            on,
            "Vorschlag zurückgegeben",
            lambda s, c: decision_return(
                application=s.app(), actor=s.case_worker(c, second=True), reason=reason
            ),
        )

    def confirm(self, on: dt.date) -> Story:
        self.confirmed_on = on

        def run(s: Story, c: Cast) -> Letter:
            actor = s.case_worker(c, second=True)
            decision = decision_confirm(application=s.app(), actor=actor)
            # Made now, on the demo clock, so that the letter bears the day of the decision;
            # the step after the seed's commit then finds it.
            return decision_letter_create(decision=decision, actor=actor)

        return self._add(on, "Entscheidung bestätigt", run)

    def waive_appeal(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Rechtsbehelfsverzicht",
            lambda s, c: application_waive_appeal(application=s.app(), actor=s.owner(c)),
        )

    # --- deadlines: the nightly run on the day they pass --------------------------------------

    def expire_appeal(self) -> Story:
        assert self.confirmed_on is not None, "expire_appeal() needs confirm() first"
        months = PROGRAMMES[self.programme]["appeal_period_months"]
        day = add_months(self.confirmed_on, months) + dt.timedelta(days=1)
        return self._add(
            day,
            "Bestandskraft (Fristablauf)",
            lambda s, c: application_expire_appeal_period(application=s.app()),
            system=True,
        )

    def start(self) -> Story:
        assert self.funding is not None, "start() needs propose() first"
        return self._add(
            self.funding[0],
            "Projektbeginn",
            lambda s, c: application_start_project(application=s.app()),
            system=True,
        )

    def end(self) -> Story:
        assert self.funding is not None, "end() needs propose() first"
        return self._add(
            self.funding[1] + dt.timedelta(days=1),
            "Ende Förderzeitraum",
            lambda s, c: application_end_funding_period(application=s.app()),
            system=True,
        )

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

        def create(story: Story, cast: Cast) -> None:
            app = story.app()
            value = D(amount) if amount else _remaining(app)
            if planned:
                payout = payout_plan(
                    application=app,
                    actor=story.case_worker(cast),
                    amount=value,
                    due_date=due,
                    kind=kind,
                )
            else:
                payout = payout_request(
                    application=app, actor=story.owner(cast), amount=value, needed_on=due
                )
            story.payout_ids.append(payout.pk)

        self._add(on, "Auszahlung angelegt", create)
        chain = [
            (1, Payout.State.CERTIFIED, _certify),
            (2, Payout.State.ORDERED, _order),
            (3, Payout.State.EXPORTED, _export),
            (5, Payout.State.PAID, _mark_paid),
        ]
        states = [state for _days, state, _step in chain]
        for days, state, step in chain[: states.index(until) + 1 if until in states else 0]:
            self._add(
                on + dt.timedelta(days=days),
                f"Auszahlung {state.label}",
                lambda s, c, step=step: step(s, c, number),
            )
        return self

    def cancel_payout(self, on: dt.date, number: int, reason: str) -> Story:
        return self._add(
            on,
            "Auszahlung storniert",
            lambda s, c: payout_cancel(
                payout=s.payout_obj(number), actor=s.case_worker(c), reason=reason
            ),
        )

    # --- proof of use, repayment, closing -------------------------------------------------

    def proof(self, on: dt.date, report: str, *, underspend: str = "0") -> Story:
        """Verwendungsnachweis: actual figures as planned, except ``underspend`` less spent
        on the largest cost line."""
        self.underspend = money(underspend)
        return self._add(on, "Verwendungsnachweis", lambda s, c: _submit_proof(s, c, report))

    def resubmit_proof(self, on: dt.date, report: str) -> Story:
        return self._add(
            on, "Verwendungsnachweis ergänzt", lambda s, c: _submit_proof(s, c, report)
        )

    def request_proof_changes(self, on: dt.date, items: list[str], due_in: int = 30) -> Story:
        return self._add(
            on,
            "Nachforderung zum Verwendungsnachweis",
            lambda s, c: application_request_proof_changes(
                application=s.app(),
                actor=s.case_worker(c),
                items=items,
                due_date=on + dt.timedelta(days=due_in),
            ),
        )

    def extend_proof_deadline(self, on: dt.date, months: int, reason: str) -> Story:
        def run(story: Story, cast: Cast) -> None:
            app = story.app()
            application_extend_proof_deadline(
                application=app,
                actor=story.case_worker(cast),
                due_date=add_months(app.proof_due_date, months),
                reason=reason,
            )

        return self._add(on, "Fristverlängerung Verwendungsnachweis", run)

    def accept_proof(self, on: dt.date, note: str = "") -> Story:
        return self._add(
            on,
            "Verwendungsnachweis geprüft",
            lambda s, c: proof_check_create(
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
            lambda s, c: repayment_claim_create(
                application=s.app(),
                actor=s.case_worker(c),
                reason=reason,
                due_date=on + dt.timedelta(days=due_in),
            ),
        )

    def settle(self, on: dt.date) -> Story:
        def run(story: Story, cast: Cast) -> None:
            app = story.app()
            claim = app.repayment_claims.get(state=RepaymentClaim.State.OPEN)
            last_paid = app.payouts.filter(state=Payout.State.PAID).aggregate(d=Max("paid_on"))
            repayment_claim_settle(
                claim=claim,
                actor=story.case_worker(cast),
                repaid_on=on,
                interest=interest(claim.principal, last_paid["d"], on),
            )

        return self._add(on, "Erstattung eingegangen", run)

    def revoke(self, on: dt.date, reason: str) -> Story:
        return self._add(
            on,
            "Widerruf",
            lambda s, c: application_revoke(
                application=s.app(), actor=s.case_worker(c), reason=reason
            ),
        )

    def close(self, on: dt.date) -> Story:
        return self._add(
            on,
            "Abschluss",
            lambda s, c: application_close(
                application=s.app(), actor=s.case_worker(c), note="Vorgang abgeschlossen."
            ),
        )


def _certify(story: Story, cast: Cast, number: int) -> None:
    payout_certify(payout=story.payout_obj(number), actor=story.case_worker(cast))


def _order(story: Story, cast: Cast, number: int) -> None:
    payout_order(payout=story.payout_obj(number), actor=story.case_worker(cast, second=True))


def _export(story: Story, cast: Cast, number: int) -> None:
    payout_mark_exported(
        payout=story.payout_obj(number),
        actor=cast.finance,
        batch_reference=f"AO-{timezone.localdate():%Y%m%d}",
    )


def _mark_paid(story: Story, cast: Cast, number: int) -> None:
    payout_mark_paid(
        payout=story.payout_obj(number), actor=cast.finance, paid_on=timezone.localdate()
    )


def _remaining(app: Application) -> Decimal:
    ceiling = app.justified_amount if app.justified_amount is not None else app.approved_amount
    return ceiling - app.paid_or_pending_amount


def _submit_proof(story: Story, cast: Cast, report: str) -> None:
    app = story.app()
    lines = list(app.cost_lines.order_by("-amount", "position"))
    actual_costs = {line.pk: line.amount for line in lines}
    actual_costs[lines[0].pk] -= story.underspend
    actual_financing = {
        line.pk: line.amount
        for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
    }
    application_submit_proof(
        application=app,
        actor=story.owner(cast),
        report=report,
        actual_costs=actual_costs,
        actual_financing=actual_financing,
    )


def year_split(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, Decimal] | None:
    """The grant spread over the fiscal years of its funding period, by days."""
    if start.year == end.year:
        return None
    total_days = (end - start).days + 1
    split: dict[int, Decimal] = {}
    for year in range(start.year, end.year + 1):
        first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        split[year] = money(amount * ((last - first).days + 1) / total_days)
    split[end.year] = amount - sum((v for y, v in split.items() if y != end.year), ZERO)
    return split


def interest(principal: Decimal, since: dt.date | None, until: dt.date) -> Decimal:
    """Interest under § 49a Abs. 3 VwVfG from the last payout to the repayment."""
    if since is None or until <= since:
        return ZERO
    rate = (DEMO_BASE_RATE_PERCENT + 5) / 100
    return money(principal * rate * (until - since).days / 365)


def _items(model: type[models.Model], programme: Programme, codes: list[str]) -> list:
    found = list(model.objects.filter(programme=programme, code__in=codes))
    missing = set(codes) - {item.code for item in found}
    if missing:
        raise LookupError(f"{model.__name__} {sorted(missing)} fehlt in {programme.code}")
    return found


def _write_plan(app: Application, costs: list[Line], financing: list[Line]) -> None:
    """Cost and financing plan; the grant line is what the other financing leaves open."""
    cost_categories = {c.code: c for c in CostCategory.objects.filter(programme=app.programme)}
    financing_categories = {
        c.code: c for c in FinancingCategory.objects.filter(programme=app.programme)
    }
    total = other = ZERO
    for position, (code, text, amount) in enumerate(costs, 1):
        line = CostLine(
            application=app,
            category=cost_categories[code],
            description=text,
            amount=money(amount),
            position=position,
        )
        line.full_clean()
        line.save()
        total += line.amount
    for position, (code, text, amount) in enumerate(financing, 1):
        line = FinancingLine(
            application=app,
            category=financing_categories[code],
            description=text,
            amount=money(amount),
            position=position,
        )
        line.full_clean()
        line.save()
        other += line.amount
    if total - other <= 0:
        raise ValueError(f"„{app.title}“: nach den übrigen Mitteln bleibt keine Zuwendung offen")
    FinancingLine.objects.create(
        application=app,
        category=financing_categories["grant"],
        description="Zuwendung aus diesem Programm",
        amount=total - other,
        position=len(financing) + 1,
    )


def _attach_description(app: Application, owner: User) -> None:
    data = demo_pdf(
        [
            "Ausführliche Projektbeschreibung (Demo-Dokument)",
            "",
            app.title,
            app.applicant.name,
            "",
            *textwrap.wrap(app.summary, 90),
            "",
            "Ziele:",
            *textwrap.wrap(app.goals, 90),
        ]
    )
    document_type = DocumentType.objects.get(programme=app.programme, code="projektbeschreibung")
    Attachment.objects.create(
        application=app,
        document_type=document_type,
        file=ContentFile(data, name="projektbeschreibung.pdf"),
        original_name="Projektbeschreibung.pdf",
        content_type="application/pdf",
        size=len(data),
        uploaded_by=owner,
    )


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with plain text lines (Helvetica, WinAnsi), enough for a demo upload."""

    def text(value: str) -> bytes:
        raw = value.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = (
        b"BT /F1 11 Tf 14 TL 56 790 Td "
        + b" ".join(b"(" + text(line) + b") Tj T*" for line in lines[:50])
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------------------------

ADMINISTRATION = Call.DecisionTrack.ADMINISTRATION
COMMITTEE = Call.DecisionTrack.COMMITTEE
BY_AMOUNT = Call.DecisionTrack.BY_AMOUNT


def calls(today: dt.date) -> dict[str, dict[str, Any]]:
    """Calls by story key. Titles are stable (no dates that move with today), because the title
    identifies a call when the seed runs again; windows of current calls follow today."""

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def ahead(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    next_year = today.year + 1
    catalogue = "Maßnahmen aus dem WIR 2.0-Maßnahmenkatalog"
    wir2_gross = {"programme": "WIR2", "area": "2", "track": COMMITTEE, "body": WIR2_COMMITTEE}
    wir2_klein = {
        "programme": "WIR2",
        "area": "3",
        "track": BY_AMOUNT,
        "body": WIR2_COMMITTEE,
    }
    rfvt_quick = {
        "programme": "RFVT",
        "area": None,
        "track": ADMINISTRATION,
        "body": "Koordinierungsstelle Regionsfonds",
        "cap": D("5000.00"),
    }
    rfvt_jury = {"programme": "RFVT", "area": None, "track": COMMITTEE, "body": RFVT_JURY}
    return {
        # --- WIR 2.0, Großprojekte: two measures of the catalogue, fixed deadline -----------
        "wir2-gross-2023": {
            **wir2_gross,
            "title": "Großprojekte 2023: Bekanntmachung „Medienrepräsentation“ und "
            "„Elternbeteiligung“",
            "theme": f"{catalogue} (Beispiel): „Medienrepräsentation und Kommunikationsstrategie“ "
            "(Stadtleben und Kultur) und „Eltern als Bildungspartner*innen stärken“ (Bildung).",
            "window": (dt.date(2023, 1, 16), dt.date(2023, 3, 17)),
        },
        "wir2-gross-2024": {
            **wir2_gross,
            "title": "Großprojekte 2024: Bekanntmachung „Selbstständige in Ankunftsquartieren“ "
            "und „Aufsuchende politische Erwachsenenbildung“",
            "theme": f"{catalogue}: „Potenzielle Selbstständige in Ankunftsquartieren "
            "unterstützen“ (Handlungsfeld Soziales) und „Aufsuchende politische "
            "Erwachsenenbildung“ (Handlungsfeld Demokratie).",
            "window": (dt.date(2024, 1, 15), dt.date(2024, 3, 15)),
        },
        "wir2-gross-earlier": {
            **wir2_gross,
            "title": "Großprojekte: Bekanntmachung „Sichtbare Vielfalt“ und „Interkulturelle "
            "Öffnung“",
            "theme": f"{catalogue} (Beispiel): Sichtbarkeit von Vielfalt im Stadtleben; "
            "interkulturelle Öffnung von Verwaltung und Gesundheitswesen.",
            "window": (ago(600), ago(545)),
        },
        "wir2-gross-last": {
            **wir2_gross,
            "title": "Großprojekte: Bekanntmachung „Bildungswege“ und „Arbeit und Ausbildung“",
            "theme": f"{catalogue} (Beispiel): Eltern und Bildungswege; Übergang in Arbeit und "
            "Ausbildung.",
            "window": (ago(330), ago(275)),
        },
        "wir2-gross-open": {
            **wir2_gross,
            "title": "Großprojekte: Bekanntmachung „Capacity Building“ und „Produktive Orte der "
            "Vielfalt“",
            "theme": f"{catalogue}, Handlungsfeld Stadtleben und Kultur: „Capacity Building und "
            "Förderstrukturen“ und „Produktive Orte der Vielfalt“. Bis 50.000 € je Projekt.",
            "window": (ago(35), ahead(75)),
        },
        # --- WIR 2.0, Kleinprojekte: rolling, a deadline before each committee meeting -------
        "wir2-klein-2023": {
            **wir2_klein,
            "title": "Kleinprojekte 2023: fortlaufende Antragstellung",
            "theme": "Kleinprojekte bis 5.000 €, die sich auf die Ziele des WIR 2.0 beziehen.",
            "window": (dt.date(2023, 1, 2), dt.date(2023, 10, 31)),
            "cap": D("5000.00"),
        },
        "wir2-klein-2024": {
            **wir2_klein,
            "title": "Kleinprojekte 2024: fortlaufende Antragstellung",
            "theme": "Kleinprojekte bis 5.000 €, die sich auf die Ziele des WIR 2.0 beziehen.",
            "window": (dt.date(2024, 1, 2), dt.date(2024, 10, 31)),
            "cap": D("5000.00"),
        },
        "wir2-klein-past": {
            **wir2_klein,
            "title": "Kleinprojekte: fortlaufende Antragstellung (abgeschlossene Runden)",
            "theme": "Kleinprojekte bis 10.000 € (verify); bis 5.000 € entscheidet die "
            "Verwaltung, darüber der Arbeitsausschuss.",
            "window": (ago(520), ago(61)),
            "cap": D("10000.00"),
        },
        "wir2-klein-open": {
            **wir2_klein,
            "title": "Kleinprojekte: fortlaufende Antragstellung (aktuelle Runde)",
            "theme": "Kleinprojekte bis 10.000 € (verify). Einsendeschluss zwei Wochen vor der "
            f"nächsten Sitzung des Arbeitsausschusses am {ahead(44):%d.%m.%Y}.",
            "window": (ago(60), ahead(30)),
            "cap": D("10000.00"),
        },
        # --- Regionsfonds: the yearly main call, quick projects, jury calls -----------------
        "rfvt-2023": {
            **rfvt_jury,
            "title": "Regionsfonds 2023: Förderaufruf (Fachjury)",
            "theme": "Projekte für Vielfalt und Teilhabe in der Region Hannover, bis 24 Monate.",
            "window": (dt.date(2023, 4, 10), dt.date(2023, 5, 28)),
        },
        "rfvt-2024": {
            **rfvt_jury,
            "title": "Regionsfonds 2024: Förderaufruf (Fachjury)",
            "theme": "Projekte für Vielfalt und Teilhabe in der Region Hannover, bis 24 Monate.",
            "window": (dt.date(2024, 4, 10), dt.date(2024, 5, 28)),
        },
        "rfvt-jury-earlier": {
            **rfvt_jury,
            "title": "Fachjury-Aufruf „Teilhabe vor Ort“ (abgeschlossen)",
            "theme": "Projekte in den Städten und Gemeinden der Region, bis 24 Monate.",
            "window": (ago(560), ago(510)),
        },
        "rfvt-jury-last": {
            **rfvt_jury,
            "title": "Fachjury-Aufruf „Vielfalt im Verein“ (abgeschlossen)",
            "theme": "Vereine, Sport und Kultur als Orte des Miteinanders.",
            "window": (ago(150), ago(100)),
        },
        "rfvt-jury-open": {
            **rfvt_jury,
            "title": "Fachjury-Aufruf „Demokratie stärken – Rassismus begegnen“",
            "theme": "Demokratieförderung und Anti-Rassismus in der Region; Auswahl durch die "
            "fünfköpfige Fachjury.",
            "window": (ago(45), ahead(45)),
        },
        "rfvt-quick-past": {
            **rfvt_quick,
            "title": "Schnelle Projekte (abgeschlossene Runde)",
            "theme": "Niedrigschwellige Kleinprojekte bis 5.000 € (Beispielwert), Entscheidung "
            "durch die Koordinierungsstelle.",
            "window": (ago(500), ago(91)),
        },
        "rfvt-quick-open": {
            **rfvt_quick,
            "title": "Schnelle Projekte: niedrigschwellige Förderung",
            "theme": "Niedrigschwellige Kleinprojekte bis 5.000 € (Beispielwert), Entscheidung "
            "durch die Koordinierungsstelle innerhalb weniger Wochen.",
            "window": (ago(90), ahead(120)),
        },
        "rfvt-next": {
            **rfvt_jury,
            "title": f"Regionsfonds {next_year}: Förderaufruf (Fachjury)",
            "theme": "Projekte für Vielfalt und Teilhabe in der Region Hannover, bis 24 Monate; "
            "Auswahl durch die Fachjury.",
            "window": (dt.date(next_year, 4, 10), dt.date(next_year, 5, 28)),
        },
    }


# ---------------------------------------------------------------------------------------------
# The stories
# ---------------------------------------------------------------------------------------------


def _months(start: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """A project period of ``months`` months from ``start`` (last day included)."""
    return start, add_months(start, months) - dt.timedelta(days=1)


def _two_fiscal_years(after: dt.date) -> tuple[dt.date, dt.date]:
    """From the first of the month after ``after`` to the end of the following year: at most
    24 months, charged to exactly two fiscal years."""
    start = add_months(after.replace(day=1), 1)
    return start, dt.date(start.year + 1, 12, 31)


def stories(today: dt.date) -> list[Story]:
    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def ahead(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    day = dt.date
    result: list[Story] = []

    def story(**kwargs: Any) -> Story:
        result.append(Story(**kwargs))
        return result[-1]

    # ============ Finished projects of 2023 and 2024 (real budgets) ==========================

    (
        story(
            programme="WIR2",
            call="wir2-gross-2023",
            applicant="verein1",
            title="Elternlots*innen Nordstadt: mehrsprachige Begleitung in Kita und Schule",
            summary="Geschulte Elternlots*innen begleiten Familien in sechs Sprachen zu "
            "Elternabenden, Entwicklungsgesprächen und Anmeldungen in Kita und Schule.",
            goals="120 Familien erreichen; 12 Elternlots*innen qualifizieren; ein monatliches "
            "Elterncafé im Stadtteil etablieren.",
            period=(day(2023, 5, 1), day(2024, 4, 30)),
            costs=[
                ("staff", "Projektkoordination (19,5 Std./Woche, 12 Monate)", "21600"),
                ("fees", "Honorare Elternlots*innen (240 Std. à 35 €)", "8400"),
                ("rent", "Raummiete Elterncafé", "1200"),
                ("material", "Lern- und Spielmaterial", "1500"),
                ("publicity", "Flyer und Plakate in sechs Sprachen", "1300"),
                ("catering", "Verpflegung bei Elterncafés", "1000"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "3000"),
                ("own_work", "Ehrenamtliche Mitarbeit (300 Std. à 15 €)", "4500"),
            ],
            fields=["bildung"],
            areas=["13", "12"],
            groups=["familien", "neuzugewanderte"],
            participants=120,
            expect=S.CLOSED,
        )
        .draft(day(2023, 2, 6))
        .submit(day(2023, 2, 20))
        .review(day(2023, 3, 1))
        .refer(day(2023, 3, 6), meeting=day(2023, 4, 12))
        .vote(day(2023, 4, 12), 6, 0, 1)
        .propose(day(2023, 4, 14))
        .confirm(day(2023, 4, 17))
        .waive_appeal(day(2023, 4, 24))
        .start()
        .payout(day(2023, 5, 2), "9000")
        .payout(day(2023, 9, 1), "9000")
        .payout(day(2024, 1, 8), "6000")
        .end()
        .proof(
            day(2024, 8, 20), "Das Projekt wurde wie geplant durchgeführt; 134 Familien erreicht."
        )
        .accept_proof(day(2024, 10, 1))
        .payout(day(2024, 10, 2), planned=True, kind=Payout.Kind.FINAL, needed_in=7)
        .close(day(2024, 10, 15))
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-2023",
            applicant="verein3",
            title="Mehrsprachige Medienwerkstatt: Migrant*innen erzählen ihre Stadt",
            summary="Eine Medienwerkstatt, in der Teilnehmende Kurzfilme und Podcasts über ihren "
            "Stadtteil produzieren.",
            goals="Zehn Beiträge produzieren und im Stadtteilkino zeigen.",
            period=(day(2023, 6, 1), day(2023, 12, 31)),
            costs=[
                ("fees", "Honorare Medienpädagog*innen", "18000"),
                ("staff", "Projektleitung", "12000"),
                ("purchases", "Kameras, Mikrofone, Schnittrechner", "5000"),
                ("publicity", "Premiere und Öffentlichkeitsarbeit", "3000"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "2000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "6000"),
            ],
            fields=["stadtleben"],
            areas=["01"],
            groups=["junge-erwachsene"],
            participants=25,
            expect=S.REJECTED,
        )
        .draft(day(2023, 2, 27))
        .submit(day(2023, 3, 10))
        .review(day(2023, 3, 20))
        .refer(day(2023, 3, 22), meeting=day(2023, 4, 12))
        .vote(day(2023, 4, 12), 1, 5, 1)
        .propose_rejection(
            day(2023, 4, 14),
            "Der Arbeitsausschuss des WIR 2.0-Kuratoriums hat am 12.04.2023 empfohlen, das Projekt "
            "nicht zu fördern: Die Anschaffungen stehen in keinem angemessenen Verhältnis zur Zahl "
            "der Teilnehmenden, und die Maßnahmen der Bekanntmachung werden nur am Rande berührt.",
        )
        .confirm(day(2023, 4, 18))
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-2023",
            applicant="verein2",
            title="Interkulturelles Nachbarschaftsfest auf dem Lindener Marktplatz",
            summary="Ein Fest mit Musik, Tanz und Essen, das Nachbar*innen aller Herkünfte gemeinsam "
            "vorbereiten.",
            goals="500 Besucher*innen; 15 Vereine und Initiativen aus Linden beteiligen.",
            period=(day(2023, 5, 15), day(2023, 7, 31)),
            costs=[
                ("fees", "Auftritte von Musik- und Tanzgruppen", "1800"),
                ("rent", "Bühne, Zelt und Toilettenwagen", "1400"),
                ("material", "Dekoration und Spielmaterial", "600"),
                ("publicity", "Plakate und Handzettel in fünf Sprachen", "400"),
                ("catering", "Getränke und Speisen für Mitwirkende", "1200"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "300"),
                ("own_work", "Ehrenamtliche Helfer*innen (80 Std. à 10 €)", "800"),
                ("private", "Spenden aus dem Stadtteil", "300"),
            ],
            fields=["stadtleben"],
            areas=["10"],
            groups=["nachbarschaft"],
            participants=500,
            expect=S.CLOSED,
        )
        .draft(day(2023, 3, 1))
        .submit(day(2023, 3, 8))
        .review(day(2023, 3, 15))
        .propose(day(2023, 3, 22))
        .confirm(day(2023, 3, 24))
        .expire_appeal()
        .start()
        .payout(day(2023, 5, 16), "4000")
        .end()
        .proof(
            day(2023, 9, 20),
            "Das Fest fand am 24.06.2023 mit rund 600 Gästen statt.",
            underspend="400",
        )
        .accept_proof(day(2023, 10, 10))
        .close(day(2023, 10, 12))
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-2024",
            applicant="einzelperson",
            title="Erzählcafé „Ankommen in Hannover“ in der Stadtteilbibliothek Döhren",
            summary="Monatliche Erzählnachmittage, an denen Menschen von ihrem Ankommen in Hannover "
            "berichten.",
            goals="Sechs Erzählcafés mit je 20 Gästen.",
            period=(day(2024, 4, 1), day(2024, 9, 30)),
            costs=[
                ("fees", "Honorare Moderation und Sprachmittlung", "1200"),
                ("catering", "Kaffee und Kuchen", "600"),
                ("publicity", "Einladungen", "200"),
            ],
            financing=[("own_work", "Eigene Organisation (40 Std. à 10 €)", "400")],
            fields=["stadtleben"],
            areas=["08"],
            groups=["aeltere", "neuzugewanderte"],
            participants=120,
            expect=S.WITHDRAWN,
        )
        .draft(day(2024, 1, 22))
        .submit(day(2024, 2, 5))
        .review(day(2024, 2, 12))
        .withdraw(
            day(2024, 2, 26),
            "Die Räume der Bibliothek stehen nicht mehr zur Verfügung; ich reiche im Herbst neu ein.",
        )
    )

    (
        story(
            programme="RFVT",
            call="rfvt-2023",
            applicant="verein3",
            title="Sprachpat*innen für Neuzugewanderte in Garbsen und Seelze",
            summary="Ehrenamtliche Sprachpat*innen treffen sich wöchentlich mit Neuzugewanderten "
            "zum Deutschüben im Alltag.",
            goals="40 Tandems bilden; zwei Lerntreffs dauerhaft einrichten.",
            period=(day(2023, 8, 1), day(2024, 7, 31)),
            costs=[
                ("staff", "Koordination (10 Std./Woche)", "12000"),
                ("fees", "Schulungen für Sprachpat*innen", "4800"),
                ("material", "Lehr- und Lernmaterial", "3800"),
                ("rent", "Raummiete Lerntreffs", "3000"),
                ("travel", "Fahrtkosten Ehrenamtliche (ÖPNV)", "2400"),
                ("publicity", "Öffentlichkeitsarbeit", "1000"),
                ("catering", "Verpflegung bei Tandemtreffen", "1000"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "1500"),
                ("own_work", "Ehrenamtliche Koordination", "3000"),
                ("public_granted", "Zuschuss der Stadt Garbsen", "2500"),
            ],
            fields=["sprache", "miteinander"],
            areas=["garbsen", "seelze"],
            groups=["neuzugewanderte", "ehrenamtliche"],
            participants=80,
            expect=S.CLOSED,
        )
        .draft(day(2023, 4, 20))
        .submit(day(2023, 5, 15))
        .review(day(2023, 5, 30))
        .refer(day(2023, 6, 5), meeting=day(2023, 6, 28))
        .vote(day(2023, 6, 28), 5, 0)
        .propose(day(2023, 7, 3), financing_type=FinancingType.DEFICIT)
        .confirm(day(2023, 7, 5))
        .waive_appeal(day(2023, 7, 10))
        .start()
        .payout(day(2023, 8, 2), "10000")
        .payout(day(2023, 12, 1), "7000")
        .end()
        .proof(
            day(2024, 10, 15),
            "38 Tandems; die Lerntreffs laufen ehrenamtlich weiter.",
            underspend="1000",
        )
        .accept_proof(day(2024, 11, 20))
        .payout(day(2024, 11, 21), planned=True, kind=Payout.Kind.FINAL, needed_in=7)
        .close(day(2024, 12, 5))
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-2024",
            applicant="verein2",
            title="Politik im Quartier: aufsuchende politische Bildung in Linden und Ricklingen",
            summary="Teamer*innen gehen in Sprachkurse, Moscheegemeinden, Kulturvereine und "
            "Nachbarschaftstreffs und laden zu Gesprächen über Kommunalpolitik ein.",
            goals="30 Gesprächsrunden; Besuch einer Sitzung des Stadtbezirksrats mit 50 Menschen.",
            period=(day(2024, 6, 1), day(2024, 12, 31)),
            costs=[
                ("staff", "Projektleitung", "14000"),
                ("fees", "Honorare Teamer*innen", "9000"),
                ("rent", "Raummieten", "2000"),
                ("publicity", "Mehrsprachige Einladungen", "2400"),
                ("catering", "Verpflegung", "2000"),
                ("travel", "Fahrtkosten", "600"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "2500"),
                ("own_work", "Ehrenamtliche Mitarbeit", "4000"),
            ],
            fields=["demokratie"],
            areas=["10", "09"],
            groups=["neuzugewanderte", "nachbarschaft"],
            participants=300,
            expect=S.CLOSED,
        )
        .draft(day(2024, 2, 19))
        .submit(day(2024, 3, 8))
        .review(day(2024, 3, 18))
        .refer(day(2024, 3, 20), meeting=day(2024, 4, 17))
        .vote(day(2024, 4, 17), 7, 0)
        .propose(day(2024, 4, 19))
        .confirm(day(2024, 4, 22))
        .expire_appeal()
        .payout(day(2024, 5, 27), "12000", planned=True)
        .start()
        .payout(day(2024, 9, 2), "8000", planned=True)
        .end()
        .proof(
            day(2025, 3, 20),
            "32 Gesprächsrunden mit insgesamt 410 Teilnehmenden.",
            underspend="2000",
        )
        .accept_proof(day(2025, 4, 28))
        .payout(day(2025, 4, 29), planned=True, kind=Payout.Kind.FINAL, needed_in=7)
        .close(day(2025, 5, 20))
    )

    (
        story(
            programme="RFVT",
            call="rfvt-2024",
            applicant="verein3",
            title="Ausbildungsmentoring für junge Geflüchtete in Lehrte und Sehnde",
            summary="Mentor*innen aus Betrieben begleiten junge Geflüchtete von der Berufsorientierung "
            "bis zum ersten Ausbildungsjahr.",
            goals="30 Mentoring-Tandems; 20 Ausbildungsverträge.",
            period=(day(2024, 7, 1), day(2025, 12, 31)),
            costs=[
                ("staff", "Projektkoordination", "30000"),
                ("fees", "Bewerbungstrainings", "6000"),
                ("travel", "Fahrtkosten", "1800"),
                ("material", "Material", "1200"),
                ("publicity", "Öffentlichkeitsarbeit", "1000"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "2000"),
                ("own_work", "Ehrenamtliche Mentor*innen (Geldwert)", "4000"),
            ],
            fields=["arbeit", "schule"],
            areas=["lehrte", "sehnde"],
            groups=["gefluechtete", "junge-erwachsene"],
            participants=60,
            expect=S.CLOSED,
        )
        .draft(day(2024, 4, 22))
        .submit(day(2024, 5, 21))
        .review(day(2024, 6, 3))
        .refer(day(2024, 6, 5), meeting=day(2024, 6, 19))
        .vote(day(2024, 6, 19), 5, 0)
        .propose(day(2024, 6, 21), financing_type=FinancingType.PROPORTIONAL)
        .confirm(day(2024, 6, 24))
        .waive_appeal(day(2024, 6, 27))
        .start()
        .payout(day(2024, 7, 2), "12000")
        .payout(day(2025, 1, 6), "12000")
        .payout(day(2025, 6, 2), "10000")
        .end()
        .proof(day(2026, 3, 16), "26 Tandems, 17 Ausbildungsverträge.", underspend="4000")
        .accept_proof(day(2026, 4, 27))
        .claim(
            day(2026, 5, 4),
            "Die zuwendungsfähigen Ausgaben lagen 4.000 € unter dem Plan; bei Anteilsfinanzierung "
            "(85 %) verringert sich die Zuwendung auf 30.600 €.",
        )
        .settle(day(2026, 5, 26))
        .close(day(2026, 6, 10))
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-2024",
            applicant="einzelperson",
            title="Mehrsprachige Vorlesestunden in der Stadtteilbibliothek Vahrenheide",
            summary="Vorlesestunden auf Arabisch, Türkisch, Ukrainisch und Deutsch für Kinder und "
            "ihre Eltern.",
            goals="16 Vorlesestunden; 25 mehrsprachige Bücher für den Bestand.",
            period=(day(2024, 9, 1), day(2024, 12, 20)),
            costs=[
                ("fees", "Honorare Vorleser*innen", "1600"),
                ("purchases", "Mehrsprachige Bilderbücher", "500"),
                ("catering", "Getränke und Obst", "250"),
                ("publicity", "Plakate", "150"),
            ],
            financing=[("own_work", "Eigene Organisation (50 Std. à 10 €)", "500")],
            fields=["bildung"],
            areas=["03"],
            groups=["kinder", "familien"],
            participants=200,
            expect=S.CLOSED,
        )
        .draft(day(2024, 6, 10))
        .submit(day(2024, 6, 24))
        .review(day(2024, 7, 1))
        .propose(day(2024, 7, 8))
        .confirm(day(2024, 7, 10))
        .waive_appeal(day(2024, 7, 15))
        .payout(day(2024, 8, 26), "2000", planned=True, needed_in=6)
        .start()
        .end()
        .proof(day(2025, 2, 10), "Alle 16 Vorlesestunden fanden statt.")
        .accept_proof(day(2025, 3, 3))
        .close(day(2025, 3, 5))
    )

    # ============ Current applications, dated relative to today ===========================

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein1",
            title="Vereinsakademie: Capacity Building für junge Migrant*innenorganisationen",
            summary="Eine Workshopreihe zu Vereinsrecht, Finanzen, Fördermitteln und "
            "Öffentlichkeitsarbeit für junge Vereine.",
            goals="20 Vereine qualifizieren; ein Netzwerk für gegenseitige Beratung gründen.",
            period=_months(ahead(120), 12),
            costs=[
                ("staff", "Projektkoordination", "18000"),
                ("fees", "Referent*innen", "11500"),
                ("rent", "Seminarräume", "2400"),
                ("publicity", "Öffentlichkeitsarbeit", "1600"),
                ("catering", "Verpflegung", "1000"),
                ("travel", "Fahrtkosten", "500"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "2000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "5000"),
            ],
            fields=["stadtleben"],
            areas=["01", "13"],
            groups=["ehrenamtliche"],
            participants=60,
            expect=S.DRAFT,
        ).draft(ago(3), attach=False)
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-open",
            applicant="einzelperson",
            title="Interkulturelles Kochbuch „Laatzen kocht“",
            summary="Nachbar*innen kochen gemeinsam Rezepte aus ihrer Familie; daraus entsteht ein "
            "Kochbuch.",
            goals="Acht Kochabende; ein Kochbuch mit 40 Rezepten in 300 Exemplaren.",
            period=(ahead(60), ahead(240)),
            costs=[
                ("publicity", "Druck des Kochbuchs (300 Exemplare)", "2200"),
                ("fees", "Fotografin", "800"),
                ("catering", "Zutaten für die Kochabende", "600"),
            ],
            financing=[("income", "Verkaufserlöse Kochbuch", "600")],
            fields=["miteinander", "nachbarschaft"],
            areas=["laatzen"],
            groups=["nachbarschaft"],
            participants=40,
            expect=S.DRAFT,
        ).draft(ago(2), attach=False)
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-open",
            applicant="verein2",
            title="Sprachcafé für Nachbar*innen im Freizeitheim Linden",
            summary="Ein wöchentliches Sprachcafé, in dem Nachbar*innen Deutsch im Gespräch üben.",
            goals="48 Termine mit je 15 Gästen.",
            period=(ahead(45), ahead(225)),
            costs=[
                ("fees", "Moderation (48 Termine à 50 €)", "2400"),
                ("rent", "Raummiete", "600"),
                ("material", "Spiele und Lernmaterial", "300"),
                ("catering", "Getränke und Gebäck", "700"),
            ],
            financing=[("own_work", "Ehrenamtliche Mitarbeit", "800")],
            fields=["bildung", "stadtleben"],
            areas=["10"],
            groups=["neuzugewanderte", "nachbarschaft"],
            participants=150,
            expect=S.SUBMITTED,
        )
        .draft(ago(9))
        .submit(ago(4))
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-open",
            applicant="verein3",
            title="Argumentationstraining gegen Alltagsrassismus in Burgdorf und Lehrte",
            summary="Workshops für Vereine, Schulen und Betriebe: rassistischen Sprüchen im Alltag "
            "widersprechen.",
            goals="24 Workshops mit 300 Teilnehmenden; 12 Multiplikator*innen ausbilden.",
            period=_months(ahead(90), 11),
            costs=[
                ("fees", "Trainer*innen (24 Workshops à 400 €)", "9600"),
                ("rent", "Raummieten", "1800"),
                ("catering", "Verpflegung", "1500"),
                ("publicity", "Öffentlichkeitsarbeit", "1200"),
                ("travel", "Fahrtkosten", "900"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "1000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "2000"),
            ],
            fields=["demokratie"],
            areas=["burgdorf", "lehrte"],
            groups=["ehrenamtliche", "jugendliche"],
            participants=300,
            expect=S.SUBMITTED,
        )
        .draft(ago(12))
        .submit(ago(6))
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein3",
            title="Produktive Orte der Vielfalt: offene Werkstätten in Stadtteilzentren",
            summary="Offene Näh-, Holz- und Fahrradwerkstätten in drei Stadtteilzentren, geleitet von "
            "Menschen mit Migrationsgeschichte.",
            goals="Drei Werkstätten mit je zwei Öffnungstagen pro Woche; 400 Besuche im Jahr.",
            period=_months(ahead(150), 12),
            costs=[
                ("staff", "Koordination", "15000"),
                ("fees", "Werkstattleitungen", "10000"),
                ("purchases", "Werkzeug und Maschinen", "4000"),
                ("rent", "Nebenkosten Werkstatträume", "3000"),
                ("publicity", "Öffentlichkeitsarbeit", "1500"),
                ("catering", "Verpflegung", "1500"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "3000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "4000"),
            ],
            fields=["stadtleben", "wirtschaft"],
            areas=["04", "09", "12"],
            groups=["nachbarschaft", "frauen"],
            participants=400,
            expect=S.CHANGES_REQUESTED,
        )
        .draft(ago(30))
        .submit(ago(25))
        .review(ago(18))
        .request_changes(
            ago(10),
            [
                "Kooperationsvereinbarungen mit den drei Stadtteilzentren",
                "Aufschlüsselung der Honorare nach Werkstatt und Stundensatz",
            ],
        )
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-open",
            applicant="verein2",
            title="Reparaturcafé international im Stadtteil Linden",
            summary="Einmal im Monat reparieren Nachbar*innen gemeinsam Fahrräder, Kleidung und "
            "Elektrogeräte.",
            goals="Zehn Termine mit je 30 Gästen; Reparaturwissen in mehreren Sprachen teilen.",
            period=(ahead(40), ahead(240)),
            costs=[
                ("purchases", "Werkzeug und Ersatzteile", "1500"),
                ("rent", "Raummiete", "900"),
                ("catering", "Kaffee und Kuchen", "600"),
                ("publicity", "Plakate", "400"),
            ],
            financing=[("own_work", "Ehrenamtliche Reparateur*innen", "600")],
            fields=["nachbarschaft", "miteinander"],
            areas=["hannover"],
            groups=["nachbarschaft"],
            participants=300,
            expect=S.IN_REVIEW,
        )
        .draft(ago(20))
        .submit(ago(15))
        .review(ago(8))
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein1",
            title="Vorstandsmentoring für junge Migrant*innenorganisationen",
            summary="Erfahrene Vorstände begleiten neu gegründete Vereine ein Jahr lang in allen "
            "Fragen der Vereinsführung.",
            goals="15 Mentoring-Tandems; Handreichung „Verein gründen und führen“ in vier Sprachen.",
            period=_months(ahead(100), 12),
            costs=[
                ("staff", "Koordination", "16000"),
                ("fees", "Fachberatung Recht und Steuern", "8000"),
                ("catering", "Verpflegung bei Netzwerktreffen", "1500"),
                ("publicity", "Handreichung (Druck und Übersetzung)", "1300"),
                ("travel", "Fahrtkosten", "1200"),
            ],
            financing=[
                ("own_funds", "Mitgliedsbeiträge", "1000"),
                ("own_work", "Ehrenamtliche Mentor*innen", "3000"),
            ],
            fields=["stadtleben"],
            areas=["01"],
            groups=["ehrenamtliche"],
            participants=30,
            expect=S.IN_REVIEW,
        )
        .draft(ago(34))
        .submit(ago(32))
        .review(ago(29))
        .request_changes(
            ago(26), ["Qualifikation der Koordination", "Zeitplan der Mentoring-Tandems"], due_in=14
        )
        .resubmit(ago(19), "Lebenslauf und Zeitplan sind angehängt.")
        .review(ago(15))
        .justify_own_share(
            ago(11),
            "Der Verein wurde 2024 gegründet und finanziert sich allein aus Mitgliedsbeiträgen. Ein "
            "Eigenanteil von rund 14 % (davon 3.000 € ehrenamtliche Arbeit) ist angemessen "
            "(Nr. 17.2 der Förderrichtlinie).",
        )
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein2",
            title="Begegnungsladen Linden-Süd: ein produktiver Ort der Vielfalt",
            summary="Ein leerstehender Laden wird zum Treffpunkt mit Beratung, Sprachkursen und "
            "Kulturabenden, den Nachbar*innen selbst gestalten.",
            goals="An vier Tagen pro Woche geöffnet; 2.000 Besuche im Jahr.",
            period=_months(ahead(120), 10),
            costs=[
                ("staff", "Koordination", "12000"),
                ("fees", "Honorare Kursleitungen", "9000"),
                ("rent", "Ladenmiete", "1500"),
                ("catering", "Verpflegung", "1500"),
                ("material", "Ausstattung und Material", "1000"),
                ("publicity", "Öffentlichkeitsarbeit", "1000"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "1500"),
                ("own_work", "Ehrenamtliche Ladendienste", "4000"),
            ],
            fields=["stadtleben", "soziales"],
            areas=["10"],
            groups=["nachbarschaft", "frauen"],
            participants=2000,
            expect=S.AWAITING_VOTE,
        )
        .draft(ago(31))
        .submit(ago(28))
        .review(ago(21))
        .refer(ago(14), meeting=ahead(21))
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-open",
            applicant="einzelperson",
            title="Lesepatenschaften in Laatzener Kitas",
            summary="Ehrenamtliche lesen in Kitas mehrsprachig vor und bringen Eltern und Kita ins "
            "Gespräch.",
            goals="Zwölf Lesepat*innen in sechs Kitas.",
            period=_months(ahead(75), 11),
            costs=[
                ("purchases", "Mehrsprachige Bilderbücher", "1800"),
                ("fees", "Schulung der Lesepat*innen", "1200"),
                ("travel", "Fahrtkosten", "400"),
                ("publicity", "Plakate", "300"),
                ("catering", "Verpflegung", "300"),
            ],
            financing=[("own_work", "Ehrenamtliche Lesezeit", "800")],
            fields=["schule", "sprache"],
            areas=["laatzen"],
            groups=["kinder", "familien"],
            participants=150,
            expect=S.AWAITING_VOTE,
        )
        .draft(ago(44))
        .submit(ago(40))
        .review(ago(33))
        .refer(ago(20), meeting=ahead(12))
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein3",
            title="Fördermittelwerkstatt für Migrant*innenorganisationen",
            summary="Beratung und Schreibwerkstätten, in denen Vereine eigene Förderanträge "
            "entwickeln.",
            goals="25 Vereine beraten; 15 Anträge bei Stadt, Land und Stiftungen.",
            period=_months(ahead(90), 12),
            costs=[
                ("staff", "Beratung (0,5 Stelle)", "20000"),
                ("fees", "Referent*innen", "10000"),
                ("rent", "Raummiete", "2000"),
                ("publicity", "Öffentlichkeitsarbeit", "1500"),
                ("catering", "Verpflegung", "1500"),
                ("travel", "Fahrtkosten", "1000"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "2200"),
                ("own_work", "Ehrenamtliche Mitarbeit", "5000"),
            ],
            fields=["stadtleben", "verwaltung"],
            areas=["01", "02", "13"],
            groups=["ehrenamtliche"],
            participants=80,
            expect=S.VOTED,
        )
        .draft(ago(34))
        .submit(ago(33))
        .review(ago(30))
        .refer(ago(28), meeting=ago(7))
        .vote(ago(7), 6, 1, amount="25000")
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-open",
            applicant="verein1",
            title="Schwimmkurse für Frauen mit Kinderbetreuung in Vahrenheide",
            summary="Schwimmkurse für Frauen, die als Kind nicht schwimmen lernen konnten; die Kinder "
            "werden währenddessen betreut.",
            goals="Drei Kurse mit je zehn Teilnehmerinnen.",
            period=(ahead(30), add_months(ahead(30), 5)),
            costs=[
                ("fees", "Schwimmlehrerin", "2400"),
                ("rent", "Bahnmiete Hallenbad", "1600"),
                ("fees", "Kinderbetreuung", "800"),
                ("publicity", "Einladungen in fünf Sprachen", "200"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "400"),
                ("own_work", "Ehrenamtliche Begleitung", "600"),
            ],
            fields=["soziales"],
            areas=["03"],
            groups=["frauen", "familien"],
            participants=30,
            expect=S.DECISION_PROPOSED,
        )
        .draft(ago(25))
        .submit(ago(20))
        .review(ago(14))
        .propose(ago(6))
        .return_proposal(
            ago(5), "Bitte den Zuwendungszweck genauer fassen: Zahl der Kurse und Teilnehmerinnen."
        )
        .propose(
            ago(2),
            purpose="Drei Schwimmkurse für je zehn Frauen mit Kinderbetreuung im Stadtbezirk "
            "Bothfeld-Vahrenheide.",
        )
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-open",
            applicant="verein2",
            title="Jubiläumsfeier des Nachbarschaftsvereins",
            summary="Ein Fest zum 40-jährigen Bestehen des Vereins für Mitglieder und Gäste.",
            goals="Das Engagement der Mitglieder würdigen.",
            period=(ahead(50), ahead(51)),
            costs=[
                ("catering", "Buffet", "2000"),
                ("rent", "Saalmiete", "1200"),
                ("fees", "Musik", "800"),
            ],
            financing=[("own_funds", "Vereinsmittel", "400")],
            fields=["nachbarschaft"],
            areas=["hannover"],
            groups=["nachbarschaft"],
            participants=120,
            expect=S.DECISION_PROPOSED,
        )
        .draft(ago(22))
        .submit(ago(18))
        .review(ago(10))
        .propose_rejection(
            ago(3),
            "Gefördert werden Projekte, die Vielfalt und Teilhabe stärken. Eine Feier für "
            "Mitglieder und Gäste des Vereins ist eine Vereinsveranstaltung ohne diesen Bezug.",
        )
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-open",
            applicant="verein2",
            title="Mehrsprachige Sprechstunde zu Miete, Strom und Nebenkosten",
            summary="Eine wöchentliche Sprechstunde mit Sprachmittler*innen zu Mietverträgen, "
            "Nebenkostenabrechnungen und Energiesparen.",
            goals="25 Sprechstunden; 150 Beratungen.",
            period=_months(ahead(20), 6),
            costs=[
                ("fees", "Beratung mit Sprachmittlung (60 Std. à 45 €)", "2700"),
                ("rent", "Raummiete", "900"),
                ("publicity", "Aushänge und Handzettel in sechs Sprachen", "600"),
                ("material", "Infomaterial", "400"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "100"),
                ("own_work", "Ehrenamtliche Mitarbeit", "900"),
            ],
            fields=["soziales"],
            areas=["10"],
            groups=["familien", "neuzugewanderte"],
            participants=150,
            expect=S.APPROVED,
        )
        .draft(ago(45))
        .submit(ago(40))
        .review(ago(30))
        .propose(ago(9))
        .confirm(ago(6))
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-open",
            applicant="einzelperson",
            title="Fahrradwerkstatt und Radfahrkurse für Neuzugewanderte in Laatzen",
            summary="Gespendete Räder werden gemeinsam repariert; Neuzugewanderte lernen Radfahren "
            "und die Verkehrsregeln.",
            goals="30 Räder verkehrssicher machen; vier Radfahrkurse.",
            period=_months(ahead(30), 6),
            costs=[
                ("purchases", "Werkzeug und Leihräder", "2000"),
                ("fees", "Kursleitung", "1500"),
                ("material", "Ersatzteile und Helme", "700"),
            ],
            financing=[("own_work", "Ehrenamtliche Werkstattzeit", "700")],
            fields=["sport", "miteinander"],
            areas=["laatzen"],
            groups=["neuzugewanderte"],
            participants=40,
            expect=S.APPROVED,
        )
        .draft(ago(55))
        .submit(ago(50))
        .review(ago(40))
        .propose(ago(14), financing_type=FinancingType.FIXED_AMOUNT)
        .confirm(ago(12))
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-open",
            applicant="verein3",
            title="Workshopreihe „Vereinsfinanzen leicht gemacht“",
            summary="Vier Workshops zu Kassenführung, Gemeinnützigkeit und Verwendungsnachweisen.",
            goals="40 Kassenwart*innen aus Migrant*innenorganisationen schulen.",
            period=_months(ahead(20), 4),
            costs=[
                ("fees", "Referent*innen", "3000"),
                ("rent", "Seminarraum", "800"),
                ("catering", "Verpflegung", "600"),
                ("material", "Arbeitsmaterial", "300"),
                ("publicity", "Einladungen", "300"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "500"),
                ("own_work", "Ehrenamtliche Organisation", "600"),
            ],
            fields=["stadtleben", "wirtschaft"],
            areas=["01"],
            groups=["ehrenamtliche"],
            participants=40,
            expect=S.FINAL,
        )
        .draft(ago(58))
        .submit(ago(55))
        .review(ago(45))
        .propose(ago(20))
        .confirm(ago(18))
        .waive_appeal(ago(14))
        .payout(ago(13), "3900", planned=True, until=Payout.State.PLANNED)
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-last",
            applicant="verein3",
            title="Vielfalt im Verein: Qualifizierungsreihe für Sportvereine in der Region",
            summary="Übungsleitende und Vorstände aus Sportvereinen lernen, Menschen mit "
            "Migrationsgeschichte zu gewinnen und zu halten.",
            goals="30 Sportvereine; 60 qualifizierte Übungsleitende; Leitfaden für Vereine.",
            period=_two_fiscal_years(ahead(40)),
            costs=[
                ("staff", "Projektkoordination", "26000"),
                ("fees", "Referent*innen", "12000"),
                ("travel", "Fahrtkosten in der Region", "3000"),
                ("publicity", "Leitfaden und Öffentlichkeitsarbeit", "2000"),
                ("catering", "Verpflegung", "2000"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "2000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "5000"),
            ],
            fields=["sport", "miteinander"],
            areas=["wunstorf", "neustadt", "burgdorf"],
            groups=["ehrenamtliche", "jugendliche"],
            participants=120,
            expect=S.FINAL,
        )
        .draft(ago(125))
        .submit(ago(110))
        .review(ago(95))
        .refer(ago(90), meeting=ago(70))
        .vote(ago(70), 5, 0)
        .propose(ago(65), financing_type=FinancingType.PROPORTIONAL)
        .confirm(ago(62))
        .expire_appeal()
        .payout(ago(5), "6000", until=Payout.State.REQUESTED, needed_in=40)
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-last",
            applicant="verein1",
            title="Elternakademie Nordstadt: Bildungswege in Hannover verstehen",
            summary="Abendkurse für Eltern zu Schulsystem, Ausbildung und Studium, mit "
            "Sprachmittlung in fünf Sprachen.",
            goals="Zehn Kursabende pro Halbjahr; 150 Eltern erreichen.",
            period=_months(ago(120), 12),
            costs=[
                ("staff", "Projektkoordination", "20000"),
                ("fees", "Referent*innen und Sprachmittlung", "10000"),
                ("catering", "Verpflegung", "4000"),
                ("rent", "Raummiete", "2400"),
                ("publicity", "Öffentlichkeitsarbeit", "2000"),
                ("material", "Kursmaterial", "1600"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "3000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "5000"),
            ],
            fields=["bildung"],
            areas=["13", "12"],
            groups=["familien"],
            participants=150,
            expect=S.RUNNING,
        )
        .draft(ago(320))
        .submit(ago(300))
        .review(ago(290))
        .refer(ago(285), meeting=ago(250))
        .vote(ago(250), 6, 0, 1)
        .propose(ago(245))
        .confirm(ago(242))
        .waive_appeal(ago(236))
        .start()
        .payout(ago(119), "12000")
        .payout(ago(25), "8000", until=Payout.State.ORDERED)
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-earlier",
            applicant="verein3",
            title="Demokratiebildung in Jugendtreffs: Wunstorf, Neustadt am Rübenberge und "
            "Barsinghausen",
            summary="Jugendliche gestalten Beteiligungsprojekte in ihren Jugendtreffs und stellen sie "
            "den Räten ihrer Städte vor.",
            goals="Drei Jugendforen; neun Beteiligungsprojekte.",
            period=_months(ago(420), 24),
            costs=[
                ("staff", "Projektkoordination", "28000"),
                ("fees", "Teamer*innen", "9000"),
                ("travel", "Fahrtkosten", "2500"),
                ("rent", "Raummieten", "2000"),
                ("catering", "Verpflegung", "2000"),
                ("publicity", "Öffentlichkeitsarbeit", "1500"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "2000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "5000"),
            ],
            fields=["demokratie", "schule"],
            areas=["wunstorf", "neustadt", "barsinghausen"],
            groups=["jugendliche"],
            participants=200,
            expect=S.RUNNING,
        )
        .draft(ago(545))
        .submit(ago(530))
        .review(ago(520))
        .refer(ago(515), meeting=ago(480))
        .vote(ago(480), 5, 0)
        .propose(ago(475), financing_type=FinancingType.PROPORTIONAL)
        .confirm(ago(472))
        .waive_appeal(ago(468))
        .start()
        .payout(ago(419), "12000")
        .payout(ago(200), "10000")
        .payout(ago(12), "8000", until=Payout.State.EXPORTED)
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-past",
            applicant="verein2",
            title="Theaterprojekt „Unsere Straße“ mit Jugendlichen aus Linden",
            summary="Jugendliche entwickeln aus Interviews mit Nachbar*innen ein Theaterstück über "
            "ihre Straße.",
            goals="Zwölf Jugendliche; drei Aufführungen im Stadtteil.",
            period=(ago(60), ahead(150)),
            costs=[
                ("fees", "Theaterpädagogin", "6000"),
                ("rent", "Probenraum", "1500"),
                ("material", "Kostüme und Requisiten", "1200"),
                ("publicity", "Plakate und Programmhefte", "800"),
                ("catering", "Verpflegung bei Proben", "500"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "500"),
                ("own_work", "Ehrenamtliche Betreuung", "1500"),
            ],
            fields=["stadtleben", "bildung"],
            areas=["10"],
            groups=["jugendliche"],
            participants=12,
            expect=S.RUNNING,
        )
        .draft(ago(150))
        .submit(ago(140))
        .review(ago(130))
        .refer(ago(125), meeting=ago(100))
        .vote(ago(100), 7, 0)
        .propose(ago(95))
        .confirm(ago(92))
        .waive_appeal(ago(88))
        .payout(ago(65), "4000", planned=True, needed_in=5)
        .start()
        .payout(ago(30), "2000", until=Payout.State.REQUESTED)
        .cancel_payout(
            ago(28), 1, "Versehentlich doppelt abgerufen; der Betrag kommt mit dem nächsten Abruf."
        )
        .payout(ago(6), "2000", until=Payout.State.CERTIFIED)
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-earlier",
            applicant="verein2",
            title="Interkulturelle Stadtteilführungen von und mit Nachbar*innen",
            summary="Nachbar*innen mit Migrationsgeschichte entwickeln Stadtteilführungen zu Orten, "
            "die ihnen wichtig sind.",
            goals="Acht Führungsrouten; 40 öffentliche Führungen.",
            period=(ago(410), ago(47)),
            costs=[
                ("fees", "Honorare Stadtführer*innen", "12000"),
                ("staff", "Koordination", "9000"),
                ("publicity", "Routenkarten und Website", "3000"),
                ("travel", "Fahrtkosten", "1000"),
                ("material", "Material", "1000"),
                ("catering", "Verpflegung", "1000"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "1400"),
                ("own_work", "Ehrenamtliche Mitarbeit", "4000"),
            ],
            fields=["stadtleben"],
            areas=["10", "09", "01"],
            groups=["nachbarschaft"],
            participants=800,
            expect=S.PROOF_DUE,
        )
        .draft(ago(590))
        .submit(ago(570))
        .review(ago(560))
        .refer(ago(555), meeting=ago(500))
        .vote(ago(500), 7, 0)
        .propose(ago(495))
        .confirm(ago(492))
        .waive_appeal(ago(485))
        .start()
        .payout(ago(409), "10000")
        .payout(ago(200), "8000")
        .end()
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-past",
            applicant="einzelperson",
            title="Generationen-Erzählcafé in Laatzen-Mitte",
            summary="Ältere und jüngere Laatzener*innen erzählen einander von Herkunft und Ankommen.",
            goals="Acht Erzählcafés mit je 20 Gästen.",
            period=(ago(200), ago(30)),
            costs=[
                ("fees", "Moderation", "1800"),
                ("catering", "Kaffee und Kuchen", "900"),
                ("rent", "Raummiete", "600"),
                ("publicity", "Einladungen", "200"),
            ],
            financing=[("own_work", "Eigene Organisation", "700")],
            fields=["miteinander", "nachbarschaft"],
            areas=["laatzen"],
            groups=["aeltere", "jugendliche"],
            participants=160,
            expect=S.PROOF_DUE,
        )
        .draft(ago(240))
        .submit(ago(230))
        .review(ago(224))
        .propose(ago(215), financing_type=FinancingType.FIXED_AMOUNT)
        .confirm(ago(213))
        .waive_appeal(ago(210))
        .start()
        .payout(ago(199), "2800")
        .end()
        .extend_proof_deadline(
            ago(5), 2, "Längere Abwesenheit der Antragstellerin; Belege werden nachgereicht."
        )
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-past",
            applicant="verein1",
            title="Hausaufgabenhilfe in mehreren Sprachen im Stadtteiltreff Sahlkamp",
            summary="Ehrenamtliche und Studierende helfen Kindern bei den Hausaufgaben und erklären "
            "auch in der Familiensprache.",
            goals="25 Kinder regelmäßig begleiten.",
            period=(ago(300), ago(70)),
            costs=[
                ("fees", "Aufwandsentschädigungen Studierende", "4400"),
                ("rent", "Raumkosten", "900"),
                ("material", "Lernmaterial", "600"),
                ("catering", "Obst und Getränke", "350"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "250"),
                ("own_work", "Ehrenamtliche Hausaufgabenhilfe", "1000"),
            ],
            fields=["bildung"],
            areas=["03"],
            groups=["kinder"],
            participants=25,
            expect=S.PROOF_SUBMITTED,
        )
        .draft(ago(340))
        .submit(ago(330))
        .review(ago(322))
        .propose(ago(315))
        .confirm(ago(312))
        .waive_appeal(ago(305))
        .payout(ago(304), "2500", planned=True, needed_in=4)
        .start()
        .payout(ago(150), "2500")
        .end()
        .proof(ago(10), "28 Kinder wurden begleitet, davon 20 über das ganze Schuljahr.")
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-earlier",
            applicant="verein2",
            title="Nachbarschaftsdolmetscher*innen für Linden und Limmer",
            summary="Geschulte Ehrenamtliche begleiten Nachbar*innen zu Ämtern, Ärzt*innen und "
            "Elterngesprächen.",
            goals="20 Dolmetscher*innen in zwölf Sprachen; 300 Einsätze.",
            period=(ago(430), ago(80)),
            costs=[
                ("staff", "Koordination und Einsatzvermittlung", "8000"),
                ("fees", "Schulungen", "4000"),
                ("travel", "Fahrtkosten", "500"),
                ("publicity", "Öffentlichkeitsarbeit", "500"),
            ],
            financing=[("own_work", "Ehrenamtliche Einsätze", "1000")],
            fields=["miteinander", "sprache"],
            areas=["hannover"],
            groups=["neuzugewanderte", "ehrenamtliche"],
            participants=300,
            expect=S.PROOF_CHANGES_REQUESTED,
        )
        .draft(ago(550))
        .submit(ago(540))
        .review(ago(530))
        .refer(ago(515), meeting=ago(480))
        .vote(ago(480), 4, 0, 1)
        .propose(ago(476), financing_type=FinancingType.DEFICIT)
        .confirm(ago(473))
        .waive_appeal(ago(470))
        .start()
        .payout(ago(429), "6000")
        .payout(ago(250), "6000")
        .end()
        .proof(ago(40), "312 Einsätze in 14 Sprachen.")
        .request_proof_changes(
            ago(12),
            [
                "Belegliste mit Rechnungsnummern und Zahlungsdaten",
                "Sachbericht: Zahl der Einsätze je Monat",
            ],
        )
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-earlier",
            applicant="verein3",
            title="Fachtag und Workshopreihe „Vielfalt in der Verwaltung“",
            summary="Ein Fachtag und sechs Workshops mit Beschäftigten der Stadtverwaltung und "
            "Migrant*innenorganisationen.",
            goals="200 Teilnehmende am Fachtag; Empfehlungen für die interkulturelle Öffnung.",
            period=(ago(400), ago(120)),
            costs=[
                ("fees", "Referent*innen und Moderation", "14000"),
                ("staff", "Projektleitung", "6000"),
                ("rent", "Tagungsräume", "3000"),
                ("catering", "Verpflegung", "3000"),
                ("publicity", "Dokumentation", "1500"),
                ("travel", "Reisekosten Referent*innen", "500"),
            ],
            financing=[
                ("own_funds", "Verbandsmittel", "1600"),
                ("own_work", "Ehrenamtliche Mitarbeit", "4000"),
            ],
            fields=["verwaltung"],
            areas=["01"],
            groups=["fachkraefte"],
            participants=260,
            expect=S.PROOF_ACCEPTED,
        )
        .draft(ago(590))
        .submit(ago(575))
        .review(ago(565))
        .refer(ago(560), meeting=ago(500))
        .vote(ago(500), 6, 0, 1)
        .propose(ago(494))
        .confirm(ago(490))
        .waive_appeal(ago(486))
        .start()
        .payout(ago(399), "10000")
        .payout(ago(200), "8000")
        .end()
        .proof(
            ago(60), "Fachtag mit 230 Teilnehmenden; Empfehlungen liegen vor.", underspend="1000"
        )
        .accept_proof(ago(15))
        .payout(
            ago(14), planned=True, kind=Payout.Kind.FINAL, until=Payout.State.ORDERED, needed_in=10
        )
    )

    (
        story(
            programme="WIR2",
            call="wir2-gross-earlier",
            applicant="verein1",
            title="Kulturdolmetscher*innen für Gesundheitsberufe: Qualifizierungskurs",
            summary="Ein Kurs, der mehrsprachige Menschen zu Kulturdolmetscher*innen in Praxen und "
            "Kliniken qualifiziert.",
            goals="20 Absolvent*innen; Kooperation mit drei Kliniken.",
            period=(ago(420), ago(150)),
            costs=[
                ("staff", "Kursleitung", "18000"),
                ("fees", "Dozent*innen", "14000"),
                ("rent", "Kursraum", "2000"),
                ("material", "Kursmaterial", "2000"),
                ("travel", "Hospitationsfahrten", "2000"),
                ("publicity", "Öffentlichkeitsarbeit", "1000"),
                ("catering", "Verpflegung", "1000"),
            ],
            financing=[
                ("own_funds", "Vereinsmittel", "4000"),
                ("own_work", "Ehrenamtliche Mitarbeit", "6000"),
            ],
            fields=["verwaltung", "soziales"],
            areas=["01", "02"],
            groups=["fachkraefte", "neuzugewanderte"],
            participants=22,
            expect=S.REPAYMENT_CLAIMED,
        )
        .draft(ago(585))
        .submit(ago(565))
        .review(ago(558))
        .refer(ago(553), meeting=ago(500))
        .vote(ago(500), 7, 0)
        .propose(ago(493))
        .confirm(ago(489))
        .waive_appeal(ago(480))
        .start()
        .payout(ago(419), "15000")
        .payout(ago(250), "15000")
        .end()
        .proof(ago(90), "18 Absolvent*innen; Kooperation mit zwei Kliniken.", underspend="4000")
        .accept_proof(ago(40))
        .claim(
            ago(30),
            "Die zuwendungsfähigen Ausgaben lagen 4.000 € unter dem Plan; bei Anteilsfinanzierung "
            "(75 %) stehen 27.000 € zu, ausgezahlt wurden 30.000 €.",
            due_in=45,
        )
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-past",
            applicant="verein2",
            title="Deutsch-Lernbuddys im Sportverein",
            summary="Vereinsmitglieder üben mit neuen Mitgliedern nach dem Training Deutsch.",
            goals="20 Lernbuddy-Paare.",
            period=(ago(260), ago(100)),
            costs=[
                ("fees", "Anleitung der Lernbuddys", "2000"),
                ("material", "Lernmaterial", "1000"),
                ("purchases", "Trainingsmaterial", "1000"),
                ("catering", "Verpflegung", "500"),
            ],
            financing=[("own_work", "Ehrenamtliche Lernbuddys", "500")],
            fields=["sprache", "sport"],
            areas=["hannover"],
            groups=["neuzugewanderte", "jugendliche"],
            participants=40,
            expect=S.REPAID,
        )
        .draft(ago(300))
        .submit(ago(290))
        .review(ago(283))
        .propose(ago(275), financing_type=FinancingType.FIXED_AMOUNT)
        .confirm(ago(273))
        .waive_appeal(ago(270))
        .start()
        .payout(ago(259), "4000")
        .end()
        .proof(ago(60), "16 Lernbuddy-Paare.", underspend="900")
        .accept_proof(ago(35))
        .claim(
            ago(30),
            "Die zuwendungsfähigen Ausgaben (3.600 €) liegen unter dem Festbetrag von 4.000 €.",
        )
        .settle(ago(8))
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-past",
            applicant="verein3",
            title="Interkulturelle Kochabende im Stadtteiltreff Mühlenberg",
            summary="Monatliche Kochabende, an denen Nachbar*innen Gerichte aus ihren Herkunftsländern "
            "vorstellen.",
            goals="Zehn Kochabende mit je 25 Gästen.",
            period=(ahead(20), add_months(ahead(20), 10)),
            costs=[
                ("catering", "Lebensmittel", "1800"),
                ("fees", "Anleitung", "1000"),
                ("rent", "Küchenmiete", "600"),
                ("publicity", "Einladungen", "350"),
            ],
            financing=[("own_work", "Ehrenamtliche Mitarbeit", "750")],
            fields=["stadtleben"],
            areas=["09"],
            groups=["nachbarschaft"],
            participants=250,
            expect=S.REVOKED,
        )
        .draft(ago(100))
        .submit(ago(90))
        .review(ago(80))
        .propose(ago(70))
        .confirm(ago(68))
        .waive_appeal(ago(60))
        .payout(ago(58), "3000", planned=True, until=Payout.State.PLANNED, needed_in=78)
        .revoke(
            ago(9),
            "Der Stadtteiltreff ist nach einem Wasserschaden bis auf Weiteres geschlossen; das Projekt "
            "kann im Förderzeitraum nicht stattfinden (Mitteilung des Vereins).",
        )
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-last",
            applicant="einzelperson",
            title="Mehrsprachiger Podcast „Stimmen aus der Region“",
            summary="Ein Podcast, in dem Menschen aus Laatzen, Hemmingen und Pattensen in ihrer "
            "Sprache und auf Deutsch von ihrem Alltag erzählen.",
            goals="24 Folgen in einem Jahr.",
            period=_months(ago(75), 12),
            costs=[
                ("fees", "Schnitt und Sprachmittlung", "5000"),
                ("purchases", "Aufnahmetechnik", "2500"),
                ("publicity", "Öffentlichkeitsarbeit", "1500"),
                ("travel", "Fahrtkosten", "1000"),
            ],
            financing=[("own_work", "Eigene Redaktionsarbeit", "1000")],
            fields=["kultur", "miteinander"],
            areas=["laatzen", "hemmingen", "pattensen"],
            groups=["nachbarschaft"],
            participants=24,
            expect=S.REPAYMENT_CLAIMED,
        )
        .draft(ago(140))
        .submit(ago(120))
        .review(ago(110))
        .refer(ago(105), meeting=ago(85))
        .vote(ago(85), 4, 1)
        .propose(ago(82), financing_type=FinancingType.PROPORTIONAL)
        .confirm(ago(80))
        .waive_appeal(ago(78))
        .start()
        .payout(ago(74), "4000")
        .revoke(
            ago(20),
            "Die Zuwendungsempfängerin hat mitgeteilt, dass sie das Projekt nicht fortführen kann; "
            "der Zuwendungszweck wird nicht mehr erreicht.",
        )
        .claim(ago(15), "Widerruf des Bescheids; die ausgezahlten 4.000 € sind zu erstatten.")
    )

    (
        story(
            programme="RFVT",
            call="rfvt-jury-open",
            applicant="verein2",
            title="Fotoausstellung „Gesichter der Nachbarschaft“",
            summary="Porträts von Nachbar*innen mit kurzen Texten, ausgestellt in Schaufenstern.",
            goals="40 Porträts; Ausstellung an zehn Orten.",
            period=_months(ahead(80), 4),
            costs=[
                ("fees", "Fotograf*in", "3000"),
                ("purchases", "Rahmen und Drucke", "2000"),
                ("publicity", "Katalog", "1500"),
                ("rent", "Ausstellungsflächen", "1500"),
            ],
            financing=[("own_work", "Ehrenamtliche Mitarbeit", "1000")],
            fields=["kultur", "demokratie"],
            areas=["hannover"],
            groups=["nachbarschaft"],
            participants=40,
            expect=S.REJECTED,
        )
        .draft(ago(44))
        .submit(ago(41))
        .review(ago(37))
        .refer(ago(35), meeting=ago(9))
        .vote(ago(9), 1, 4)
        .propose_rejection(
            ago(6),
            "Die Fachjury hat das Projekt am Thema des Aufrufs gemessen: Rassismus und "
            "Demokratieförderung werden nicht erkennbar bearbeitet. Sie empfiehlt den Aufruf "
            "„Schnelle Projekte“ oder den nächsten allgemeinen Förderaufruf.",
        )
        .confirm(ago(4))
    )

    (
        story(
            programme="RFVT",
            call="rfvt-quick-open",
            applicant="verein3",
            title="Interkulturelle Ferienfreizeit für Familien in Springe",
            summary="Ein Wochenende am Deister für Familien aus verschiedenen Vereinen.",
            goals="15 Familien; Kontakte zwischen den Vereinen.",
            period=(ahead(100), ahead(102)),
            costs=[
                ("rent", "Unterkunft", "2000"),
                ("travel", "Busfahrt", "2000"),
                ("catering", "Verpflegung", "1500"),
                ("fees", "Programm", "500"),
            ],
            financing=[("income", "Teilnahmebeiträge", "1200")],
            fields=["miteinander"],
            areas=["springe"],
            groups=["familien"],
            participants=50,
            expect=S.WITHDRAWN,
        )
        .draft(ago(70))
        .submit(ago(62))
        .request_changes(ago(55), ["Nachweis über die Reservierung der Unterkunft"])
        .withdraw(ago(40), "Die Unterkunft ist ausgebucht; wir verschieben die Freizeit.")
    )

    (
        story(
            programme="WIR2",
            call="wir2-klein-past",
            applicant="einzelperson",
            title="Mehrsprachige Lesungen mit Autor*innen aus Hannover",
            summary="Vier Lesungen, in denen Autor*innen aus Hannover in zwei Sprachen lesen.",
            goals="Vier Lesungen mit je 40 Gästen.",
            period=(ago(250), ago(120)),
            costs=[
                ("fees", "Lesehonorare", "1500"),
                ("rent", "Raummiete", "300"),
                ("publicity", "Plakate", "300"),
                ("catering", "Getränke", "300"),
            ],
            financing=[("own_work", "Eigene Organisation", "500")],
            fields=["stadtleben"],
            areas=["01"],
            groups=["nachbarschaft"],
            participants=160,
            expect=S.CLOSED,
        )
        .draft(ago(290))
        .submit(ago(280))
        .review(ago(272))
        .propose(ago(265))
        .confirm(ago(262))
        .waive_appeal(ago(258))
        .payout(ago(251), "1900")
        .start()
        .end()
        .proof(ago(70), "Vier Lesungen mit 170 Gästen.")
        .accept_proof(ago(30))
        .close(ago(28))
    )

    return result


# ---------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------


@dataclass
class SeedResult:
    created: int = 0
    skipped: int = 0
    rows_created: Counter = field(default_factory=Counter)


def _get_or_create(
    result: SeedResult, model: type[models.Model], lookup: dict, defaults: dict
) -> models.Model:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        result.rows_created[model.__name__] += 1
    return obj


def _seed_programmes(result: SeedResult) -> dict[str, Programme]:
    bodies = {
        name: _get_or_create(result, FundingBody, {"name": name}, spec)
        for name, spec in FUNDING_BODIES.items()
    }
    programmes = {}
    skip = {"funding_body", "financing_rules", "funding_areas", "fields_of_action", "areas"}
    skip |= {"budgets", "budget_notes"}
    for code, spec in PROGRAMMES.items():
        defaults = {k: v for k, v in spec.items() if k not in skip}
        defaults["funding_body"] = bodies[spec["funding_body"]]
        programme = _get_or_create(result, Programme, {"code": code}, defaults)
        programmes[code] = programme
        for position, (up_to, share, kind) in enumerate(spec["financing_rules"], 1):
            _get_or_create(
                result,
                FinancingTypeRule,
                {"programme": programme, "position": position},
                {"amount_up_to": up_to, "min_own_share_percent": share, "financing_type": kind},
            )
        for model, entries in [
            (FundingArea, spec["funding_areas"]),
            (FieldOfAction, spec["fields_of_action"]),
            (Area, spec["areas"]),
            (TargetGroup, TARGET_GROUPS),
            (CostCategory, COST_CATEGORIES),
        ]:
            for position, (item_code, name) in enumerate(entries, 1):
                _get_or_create(
                    result,
                    model,
                    {"programme": programme, "code": item_code},
                    {"name": name, "position": position},
                )
        for position, (item_code, name, kind) in enumerate(FINANCING_CATEGORIES, 1):
            _get_or_create(
                result,
                FinancingCategory,
                {"programme": programme, "code": item_code},
                {"name": name, "position": position, "kind": kind},
            )
        for position, (item_code, name, stage, required) in enumerate(DOCUMENT_TYPES, 1):
            _get_or_create(
                result,
                DocumentType,
                {"programme": programme, "code": item_code},
                {
                    "name": name,
                    "position": position,
                    "stage": stage,
                    "required_for_submission": required,
                },
            )
        for year, (split, is_example, note_key) in spec["budgets"].items():
            for area_code, amount in split.items():
                _seed_budget(
                    result,
                    programme,
                    year,
                    area_code,
                    amount,
                    is_example,
                    spec["budget_notes"][note_key],
                )
    return programmes


def _seed_budget(
    result: SeedResult,
    programme: Programme,
    year: int,
    area_code: str | None,
    amount: Decimal,
    is_example: bool,
    note: str,
) -> Budget:
    area = FundingArea.objects.get(programme=programme, code=area_code) if area_code else None
    return _get_or_create(
        result,
        Budget,
        {"programme": programme, "fiscal_year": year, "funding_area": area},
        {"amount": amount, "is_example": is_example, "note": note},
    )


def _ensure_budgets(result: SeedResult, programme: Programme, years: set[int]) -> None:
    """Example budgets for fiscal years a story needs beyond the configured ones, split like
    the programme's last configured year."""
    spec = PROGRAMMES[programme.code]
    split = spec["budgets"][max(spec["budgets"])][0]
    for year in sorted(years):
        for area_code, amount in split.items():
            _seed_budget(result, programme, year, area_code, amount, True, EXAMPLE_BUDGET_NOTE)


def _seed_people(result: SeedResult, programmes: dict[str, Programme]) -> Cast:
    # One hash for all demo logins: the password is published anyway, and hashing it ten
    # times would take most of the command's run time.
    encoded = make_password(DEMO_PASSWORD)

    def user(email: str, first: str, last: str, **flags: bool) -> User:
        existing = User.objects.filter(email=email).first()
        if existing:
            return existing
        result.rows_created["User"] += 1
        account = User(
            email=email,
            first_name=first,
            last_name=last,
            password=encoded,
            is_staff=flags.get("is_staff", False) or flags.get("is_superuser", False),
            is_superuser=flags.get("is_superuser", False),
        )
        account.full_clean()
        account.save()
        return account

    user(ADMIN_EMAIL, "Demo", "Administration", is_superuser=True)
    staff: dict[str, User] = {}
    for email, first, last, roles in STAFF:
        staff[email] = user(email, first, last, is_staff=True)
        for code, role in roles:
            _get_or_create(
                result,
                StaffRole,
                {"user": staff[email], "programme": programmes[code], "role": role},
                {},
            )
    case_workers = {
        code: tuple(
            staff[email]
            for email, _f, _l, roles in STAFF
            if (code, StaffRole.Role.CASE_WORKER) in roles
        )
        for code in programmes
    }
    applicants, owners = {}, {}
    for key, spec in APPLICANTS.items():
        email, first, last = spec["user"]
        owners[key] = user(email, first, last)
        details = {k: v for k, v in spec.items() if k not in ("user", "name")}
        details["contact_name"] = f"{first} {last}"
        details["contact_email"] = email
        details["account_holder"] = spec["name"]
        details["bic"] = str(IBAN(spec["iban"]).bic or "")
        applicants[key] = _get_or_create(result, Applicant, {"name": spec["name"]}, details)
        _get_or_create(
            result,
            Membership,
            {"user": owners[key], "applicant": applicants[key]},
            {"role": Membership.Role.OWNER},
        )
    return Cast(
        programmes=programmes,
        calls={},
        applicants=applicants,
        owners=owners,
        case_workers=case_workers,  # type: ignore[arg-type]
        finance=staff["finanzen@foerderportal.example"],
    )


def _seed_calls(result: SeedResult, cast: Cast, today: dt.date) -> None:
    tz = timezone.get_current_timezone()
    for key, spec in calls(today).items():
        programme = cast.programmes[spec["programme"]]
        opens, deadline = spec["window"]
        area = spec["area"]
        cast.calls[key] = _get_or_create(
            result,
            Call,
            {"programme": programme, "title": spec["title"]},
            {
                "funding_area": FundingArea.objects.get(programme=programme, code=area)
                if area
                else None,
                "theme": spec["theme"],
                "opens_at": dt.datetime.combine(opens, dt.time(0, 0), tzinfo=tz),
                "deadline": dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=tz),
                "max_amount_per_application": spec.get("cap"),
                "decision_track": spec["track"],
                "deciding_body": spec["body"],
            },
        )


@transaction.atomic
def seed() -> SeedResult:
    """Creates what is missing of the demo; one transaction, so a failure leaves nothing."""
    result = SeedResult()
    today = timezone.localdate()
    started = timezone.now()
    programmes = _seed_programmes(result)
    cast = _seed_people(result, programmes)
    _seed_calls(result, cast, today)

    pending = []
    for story in stories(today):
        if Application.objects.filter(
            applicant=cast.applicants[story.applicant], title=story.title
        ).exists():
            result.skipped += 1
            continue
        _ensure_budgets(result, programmes[story.programme], story.budget_years)
        pending.append(story)

    queue = sorted(
        (step.at, s_index, t_index, story, step)
        for s_index, story in enumerate(pending)
        for t_index, step in enumerate(story.steps)
    )
    for at, _s, _t, story, step in queue:
        if at >= started:
            raise ValueError(f"„{story.title}“: {step.label} am {at:%d.%m.%Y} liegt in der Zukunft")
        with demo_clock(at):
            try:
                step.run(story, cast)
            except Exception as exc:
                exc.add_note(f"Demo: „{story.title}“, Schritt {step.label} am {at:%d.%m.%Y}")
                raise

    for story in pending:
        state = story.app().state
        if state != story.expect:
            raise AssertionError(f"„{story.title}“ endet in {state}, erwartet {story.expect}")
    result.created = len(pending)
    return result


def summary() -> dict[str, Any]:
    """Figures for the command's closing report."""
    return {
        "applications": Counter(Application.objects.values_list("state", flat=True)),
        "payouts": Counter(Payout.objects.values_list("state", flat=True)),
        "claims": Counter(RepaymentClaim.objects.values_list("state", flat=True)),
        "budgets": list(
            Budget.objects.select_related("programme", "funding_area").annotate(
                ledger=Sum("entries__amount")
            )
        ),
    }
