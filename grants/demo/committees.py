"""The deciding bodies (issue 10 §5): the Arbeitsausschuss des WIR 2.0-Kuratoriums and the
five-member Fachjury of the Regionsfonds, with voting members. Their meetings are scheduled by
the stories (``Story.refer``), including the upcoming ones, where the applications waiting for
a vote (``awaiting_vote``) can be voted on and decided in the demo.

Committees are configuration, kept in the admin like programmes; there is no service for them.
Member names are invented for the demo.
"""

from __future__ import annotations

import datetime as dt

from applicants.models import User
from grants.demo.records import SeedResult, get_or_create
from grants.models import Application, Committee, CommitteeMember, Meeting, Programme
from grants.services import committees

WIR2_COMMITTEE = "Arbeitsausschuss des WIR 2.0-Kuratoriums"
RFVT_JURY = "Fachjury des Regionsfonds für Vielfalt und Teilhabe"

# programme code → (committee name, where it meets, [(member, function)])
COMMITTEES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "WIR2": (
        WIR2_COMMITTEE,
        "Neues Rathaus, Trammplatz 2, Hannover",
        [
            ("Dr. Sabine Hoffmann", "Vorsitz (Beispiel)"),
            ("Hakan Yıldız", "Vertretung der Migrant*innenorganisationen"),
            ("Olena Kovalenko", "Vertretung der Migrant*innenorganisationen"),
            ("Marco Bianchi", "Vertretung der Wohlfahrtsverbände"),
            ("Ines Schröder", "Vertretung der Ratsfraktionen"),
            ("Kwame Mensah", "Vertretung der Ratsfraktionen"),
            ("Gabriele Vogt", "Vertretung der Stadtbezirksräte"),
            ("Samira El-Amin", "Sachverständige Bildung"),
            ("Paul Neumann", "Sachverständiger Arbeitsmarkt"),
        ],
    ),
    "RFVT": (
        RFVT_JURY,
        "Haus der Region, Hildesheimer Straße 18, Hannover",
        [
            ("Prof. Dr. Leyla Demirci", "Vorsitz der Fachjury"),
            ("Andreas Kühn", "Regionsversammlung"),
            ("Natalia Wiśniewska", "Migrant*innenorganisationen"),
            ("Jens Hartmann", "Wohlfahrtsverbände"),
            ("Aylin Kaya", "Jugend und Sport"),
        ],
    ),
}


def seed_committees(result: SeedResult, programmes: dict[str, Programme]) -> dict[str, str]:
    """Committees with their members; returns where each programme's committee meets."""
    places = {}
    for code, (name, place, members) in COMMITTEES.items():
        committee = get_or_create(
            result, Committee, {"programme": programmes[code], "name": name}, {}
        )
        for position, (member, function) in enumerate(members, 1):
            get_or_create(
                result,
                CommitteeMember,
                {"committee": committee, "name": member},
                {"function": function, "position": position},
            )
        places[code] = place
    return places


def meeting_on(app: Application, day: dt.date, actor: User, location: str) -> Meeting:
    """The deciding committee's meeting on ``day``, scheduled by the case worker if needed."""
    committee = app.programme.committees.get(name=app.call.deciding_body)
    existing = Meeting.objects.filter(committee=committee, date=day).first()
    if existing is not None:
        return existing
    return committees.meeting_create(
        committee_id=committee.pk, actor=actor, date=day, location=location
    )
