"""Stories of 2023, the first year with real budgets: finished long ago, on fixed dates."""

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

    return result
