"""Stories of 2024 (real budgets): finished projects on fixed dates."""

from __future__ import annotations

import datetime as dt

from grants.demo.story import Story, collector
from grants.models import ApplicationState as S
from grants.models import FinancingType, Payout


def stories() -> list[Story]:
    day = dt.date
    result, story = collector()

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

    return result
