"""Current applications on their way to a decision, dated relative to today: the committees'
votes (including the upcoming meetings), decisions and notices not yet final, and the ones
refused or withdrawn on the way."""

from __future__ import annotations

import datetime as dt

from grants.demo.dates import months, relative_to, two_fiscal_years
from grants.demo.story import Story, collector
from grants.models import ApplicationState as S
from grants.models import FinancingType, Payout, add_months


def stories(today: dt.date) -> list[Story]:
    ago, ahead = relative_to(today)
    result, story = collector()

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein3",
            title="Fördermittelwerkstatt für Migrant*innenorganisationen",
            summary="Beratung und Schreibwerkstätten, in denen Vereine eigene Förderanträge "
            "entwickeln.",
            goals="25 Vereine beraten; 15 Anträge bei Stadt, Land und Stiftungen.",
            period=months(ahead(90), 12),
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
            period=months(ahead(20), 6),
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
            period=months(ahead(30), 6),
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
            period=months(ahead(20), 4),
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
            # Starts within the two months a call for funds may look ahead (the one below).
            period=two_fiscal_years(ahead(10)),
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
            programme="RFVT",
            call="rfvt-jury-open",
            applicant="verein2",
            title="Fotoausstellung „Gesichter der Nachbarschaft“",
            summary="Porträts von Nachbar*innen mit kurzen Texten, ausgestellt in Schaufenstern.",
            goals="40 Porträts; Ausstellung an zehn Orten.",
            period=months(ahead(80), 4),
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

    return result
