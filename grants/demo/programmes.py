"""The two programmes with their real figures: funding bodies, configuration (areas, fields of
action, categories, document types, financing rules) and budgets per fiscal year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from applicants.models import ApplicantKind
from grants.demo.records import SeedResult, get_or_create
from grants.models import (
    Area,
    Budget,
    CostCategory,
    DocumentType,
    FieldOfAction,
    FinancingCategory,
    FinancingKind,
    FinancingType,
    FinancingTypeRule,
    FundingArea,
    FundingBody,
    Programme,
    TargetGroup,
)

D = Decimal

FUNDING_BODIES = {
    "Landeshauptstadt Hannover": {
        "department": "Fachbereich Gesellschaftliche Teilhabe (OE 56.10)",
        "address": "Trammplatz 2\n30159 Hannover",
        "email": "wir2-foerderung@stadt-hannover.example",
        # Example accounts from bank documentation (valid check digits), never real ones.
        "account_holder": "Stadtkasse Hannover (Demo-Konto)",
        "iban": "DE89370400440532013000",
        "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank (Demo)",
    },
    "Region Hannover": {
        "department": "Koordinierungsstelle Regionsfonds für Vielfalt und Teilhabe",
        "address": "Hildesheimer Straße 18\n30169 Hannover",
        "email": "regionsfonds@region-hannover.example",
        "account_holder": "Regionskasse Hannover (Demo-Konto)",
        "iban": "DE02120300000000202051",
        "bic": "BYLADEM1001",
        "bank_name": "Beispielbank (Demo)",
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
            "mit ehrenamtlicher Arbeit."
        ),
        "name_en": "WIR 2.0 funding programme",
        "description_en": (
            "The City of Hannover funds projects for migration and participation. "
            "Associations, migrant organisations, federations, initiatives and individuals "
            "can apply. Small projects can be applied for at any time, large projects in "
            "response to the calls. You bear at least 20 per cent of the costs yourself, "
            "voluntary work included."
        ),
        # Staff only: never on a public page.
        "internal_notes": (
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
            "dem Antrag beginnen. Politische Organisationen können keinen Antrag stellen."
        ),
        "name_en": "Regional Fund for Diversity and Participation",
        "description_en": (
            "The Hannover Region funds projects for living together in diversity in all 21 "
            "towns and municipalities of the region. The coordination office decides on small, "
            "quick projects; an expert jury selects larger ones. Projects may last up to two "
            "years and receive up to 40,000 €. Your project may only start after you have "
            "applied. Political organisations cannot apply."
        ),
        "internal_notes": "Hinweis (Demo): Sachkonto 43180000 und Kostenstelle 52000300 sind "
        "Beispielwerte.",
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


def seed_programmes(result: SeedResult) -> dict[str, Programme]:
    bodies = {
        name: get_or_create(result, FundingBody, {"name": name}, spec)
        for name, spec in FUNDING_BODIES.items()
    }
    programmes = {}
    skip = {"funding_body", "financing_rules", "funding_areas", "fields_of_action", "areas"}
    skip |= {"budgets", "budget_notes"}
    for code, spec in PROGRAMMES.items():
        defaults = {k: v for k, v in spec.items() if k not in skip}
        defaults["funding_body"] = bodies[spec["funding_body"]]
        programme = get_or_create(result, Programme, {"code": code}, defaults)
        programmes[code] = programme
        for position, (up_to, share, kind) in enumerate(spec["financing_rules"], 1):
            get_or_create(
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
                get_or_create(
                    result,
                    model,
                    {"programme": programme, "code": item_code},
                    {"name": name, "position": position},
                )
        for position, (item_code, name, kind) in enumerate(FINANCING_CATEGORIES, 1):
            get_or_create(
                result,
                FinancingCategory,
                {"programme": programme, "code": item_code},
                {"name": name, "position": position, "kind": kind},
            )
        for position, (item_code, name, stage, required) in enumerate(DOCUMENT_TYPES, 1):
            get_or_create(
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
    return get_or_create(
        result,
        Budget,
        {"programme": programme, "fiscal_year": year, "funding_area": area},
        {"amount": amount, "is_example": is_example, "note": note},
    )


def ensure_budgets(result: SeedResult, programme: Programme, years: set[int]) -> None:
    """Example budgets for fiscal years a story needs beyond the configured ones, split like
    the programme's last configured year."""
    spec = PROGRAMMES[programme.code]
    split = spec["budgets"][max(spec["budgets"])][0]
    for year in sorted(years):
        for area_code, amount in split.items():
            _seed_budget(result, programme, year, area_code, amount, True, EXAMPLE_BUDGET_NOTE)
