"""The people of the demo: staff of both programmes, the administrator and four applicants with
their logins. Every login has the same published password (README.md lists them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from schwifty import IBAN

from applicants.models import Applicant, ApplicantKind, Membership, User
from grants.demo.records import SeedResult, get_or_create
from grants.demo.story import Cast
from grants.models import Programme, StaffRole

# Every demo login uses this password; the README lists the logins.
DEMO_PASSWORD = "Demo-2026!"

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


def seed_people(result: SeedResult, programmes: dict[str, Programme]) -> Cast:
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
            get_or_create(
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
        applicants[key] = get_or_create(result, Applicant, {"name": spec["name"]}, details)
        get_or_create(
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
