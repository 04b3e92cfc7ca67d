"""Current funded projects, dated relative to today: running projects and their payouts,
proofs of use in every state, repayment claims and revocations, and a closed file."""

from __future__ import annotations

import datetime as dt

from grants.demo.dates import months, relative_to
from grants.demo.story import Story, collector
from grants.models import ApplicationState as S
from grants.models import FinancingType, Payout, add_months


def stories(today: dt.date) -> list[Story]:
    ago, ahead = relative_to(today)
    result, story = collector()

    (
        story(
            programme="WIR2",
            call="wir2-gross-last",
            applicant="verein1",
            title="Elternakademie Nordstadt: Bildungswege in Hannover verstehen",
            summary="Abendkurse für Eltern zu Schulsystem, Ausbildung und Studium, mit "
            "Sprachmittlung in fünf Sprachen.",
            goals="Zehn Kursabende pro Halbjahr; 150 Eltern erreichen.",
            period=months(ago(120), 12),
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
            period=months(ago(420), 24),
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
        # A new account after certification: that payout goes back to be certified again,
        # the next one is certified for the new account.
        .change_bank_details(ago(4), "DE97250501800910123456", "SPKHDE2HXXX")
        .payout(ago(3), "1000", until=Payout.State.CERTIFIED)
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
        .income(ago(12), "private", "Spende des Stadtteilladens für Lernmaterial", "200")
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
        .repay_part(ago(20), "150")
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
            period=months(ago(75), 12),
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
