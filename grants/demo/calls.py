"""Calls for proposals (Förderaufrufe) of both programmes: the fixed ones of 2023/2024 and the
ones dated relative to today, so that the demo has open calls on any day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grants.demo.committees import RFVT_JURY, WIR2_COMMITTEE
from grants.demo.records import SeedResult, get_or_create
from grants.demo.story import Cast
from grants.models import Call, FundingArea

D = Decimal

ADMINISTRATION = Call.DecisionTrack.ADMINISTRATION
COMMITTEE = Call.DecisionTrack.COMMITTEE
BY_AMOUNT = Call.DecisionTrack.BY_AMOUNT
# What the domain brief marks "(verify)" is a note for staff, never a public text.
VERIFY_CAP = "Zu prüfen: Höchstbetrag 10.000 € für Kleinprojekte (Stand des Domänen-Briefings)."


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
            "theme": "Kleinprojekte bis 10.000 €; bis 5.000 € entscheidet die "
            "Verwaltung, darüber der Arbeitsausschuss.",
            "note": VERIFY_CAP,
            "window": (ago(520), ago(61)),
            "cap": D("10000.00"),
        },
        "wir2-klein-open": {
            **wir2_klein,
            "title": "Kleinprojekte: fortlaufende Antragstellung (aktuelle Runde)",
            "note": VERIFY_CAP,
            "theme": "Kleinprojekte bis 10.000 €. Einsendeschluss zwei Wochen vor der "
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


def seed_calls(result: SeedResult, cast: Cast, today: dt.date) -> None:
    tz = timezone.get_current_timezone()
    for key, spec in calls(today).items():
        programme = cast.programmes[spec["programme"]]
        opens, deadline = spec["window"]
        area = spec["area"]
        cast.calls[key] = get_or_create(
            result,
            Call,
            {"programme": programme, "title": spec["title"]},
            {
                "funding_area": FundingArea.objects.get(programme=programme, code=area)
                if area
                else None,
                "theme": spec["theme"],
                "internal_notes": spec.get("note", ""),
                "opens_at": dt.datetime.combine(opens, dt.time(0, 0), tzinfo=tz),
                "deadline": dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=tz),
                "max_amount_per_application": spec.get("cap"),
                "decision_track": spec["track"],
                "deciding_body": spec["body"],
            },
        )
