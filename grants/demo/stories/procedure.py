"""Current applications still in the procedure, dated relative to today: drafts, submissions
and review. The committees' votes, decisions and notices not yet final, and the ones refused or
withdrawn on the way, are in ``decided``."""

from __future__ import annotations

import datetime as dt

from grants.demo.dates import months, relative_to
from grants.demo.early_start import ask_early_start, consent_early_start
from grants.demo.story import Story, collector
from grants.demo.thread import answer_item, write
from grants.models import ApplicationState as S


def stories(today: dt.date) -> list[Story]:
    ago, ahead = relative_to(today)
    result, story = collector()

    (
        story(
            programme="WIR2",
            call="wir2-gross-open",
            applicant="verein1",
            title="Vereinsakademie: Capacity Building für junge Migrant*innenorganisationen",
            summary="Eine Workshopreihe zu Vereinsrecht, Finanzen, Fördermitteln und "
            "Öffentlichkeitsarbeit für junge Vereine.",
            goals="20 Vereine qualifizieren; ein Netzwerk für gegenseitige Beratung gründen.",
            period=months(ahead(120), 12),
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
            period=months(ahead(90), 11),
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
    # The workshops must be booked before the jury meets: the applicant asks to start early.
    ask_early_start(
        result[-1],
        ago(3),
        ahead(30),
        "Die Trainer*innen sind nur im Herbst frei; die Räume müssen jetzt gebucht werden.",
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
            period=months(ahead(150), 12),
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
    # The workshops' request is half answered: the agreements are in, the fees still open.
    answer_item(
        result[-1],
        ago(6),
        1,
        "Die Vereinbarungen mit allen drei Stadtteilzentren sind unterschrieben und angehängt.",
        files=(
            (
                "Kooperationsvereinbarungen.pdf",
                "Kooperationsvereinbarungen mit den Stadtteilzentren",
                "Die Stadtteilzentren Linden, Vahrenheide und Sahlkamp stellen die Werkstatträume "
                "an zwei Tagen pro Woche zur Verfügung.",
            ),
        ),
    )
    write(
        result[-1],
        ago(5),
        "Zur Aufschlüsselung der Honorare: Genügt eine Tabelle je Werkstatt mit Stundensatz und "
        "Stunden, oder brauchen Sie die Honorarverträge?",
    )
    write(
        result[-1],
        ago(4),
        "Eine Tabelle je Werkstatt genügt. Bitte nennen Sie Stundensatz, Stunden im Monat und "
        "Laufzeit; die Verträge legen Sie erst mit dem Verwendungsnachweis vor.",
        staff=True,
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
    # The repair café starts with the season; the coordination office consents to it.
    ask_early_start(result[-1], ago(14), ahead(40), "Die Werkstatt ist nur ab dann frei.")
    consent_early_start(
        result[-1], ago(7), ahead(40), "Zugestimmt auf eigenes Risiko; keine Zusage der Förderung."
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
            period=months(ahead(100), 12),
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
    # Before resubmitting, the mentoring project answers its Nachforderung item by item.
    write(
        result[-1],
        ago(25),
        "Wir reichen beides bis Ende nächster Woche nach. Reicht für die Qualifikation ein "
        "Lebenslauf?",
    )
    write(result[-1], ago(24), "Ja, ein Lebenslauf genügt.", staff=True)
    answer_item(
        result[-1],
        ago(21),
        1,
        "Der Lebenslauf der Koordinatorin liegt bei.",
        files=(
            (
                "Lebenslauf Koordination.pdf",
                "Lebenslauf der Koordinatorin",
                "Zehn Jahre Vorstandsarbeit in Migrant*innenorganisationen; Fortbildung "
                "Vereinsmanagement.",
            ),
        ),
    )
    answer_item(
        result[-1],
        ago(20),
        2,
        "Der Zeitplan der 15 Tandems ist angehängt, mit Auftakt, Halbzeittreffen und Abschluss.",
        files=(
            (
                "Zeitplan Tandems.pdf",
                "Zeitplan der Mentoring-Tandems",
                "Auftakt im ersten Monat, monatliche Treffen, Halbzeittreffen im sechsten, "
                "Abschluss im zwölften Monat.",
            ),
            (
                "Ablauf Auftakttreffen.pdf",
                "Ablauf des Auftakttreffens",
                "Kennenlernen der Tandems, Vereinbarung der Ziele, Termine für das erste Halbjahr.",
            ),
        ),
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
            period=months(ahead(120), 10),
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
            period=months(ahead(75), 11),
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

    return result
