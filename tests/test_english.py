"""The English interface: pages of each area render in English, and the catalogue is complete.

German is the source language, so a msgid without a translation silently shows German on an
English page. These tests catch that for a few pages per area, and for the catalogue as a whole.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from grants.models import ApplicationState
from tests.conftest import StaffClient
from tests.factories import World, advance, build_world, draft

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# German words of the main navigation and page furniture that must not show on English pages.
GERMAN_NAVIGATION = ["Startseite", "Förderprogramme", "Abmelden", "Hauptnavigation"]


@pytest.fixture
def world(db) -> World:
    return build_world()


def english_client(user=None) -> Client:
    client = StaffClient()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="en"' in html
    return html


def assert_english(html: str, english: list[str], german: list[str]) -> None:
    missing = [text for text in english if text not in html]
    assert not missing, f"English text missing: {missing}"
    leftover = [text for text in german if text in html]
    assert not leftover, f"German text on an English page: {leftover}"


@pytest.mark.django_db
def test_start_page_in_english_after_switching_language() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    html = response.content.decode()
    assert '<html lang="en"' in html
    assert_english(
        html,
        ["Welcome to Förderportal", "Home", "Funding programmes", "Log in", "Main navigation"],
        ["Willkommen im Förderportal", "Anmelden", *GERMAN_NAVIGATION],
    )


def test_programme_overview_in_english(world: World) -> None:
    html = english_page(english_client(world.owner), "/foerderprogramme/")

    assert_english(
        html,
        ["Programmes and open calls", "The rules in brief", "My applications", "Log out"],
        [
            "Förderprogramme und offene Aufrufe",
            "Die Regeln in Kürze",
            "Meine Anträge",
            *GERMAN_NAVIGATION,
        ],
    )


def test_case_work_pages_in_english(world: World) -> None:
    application = advance(draft(world), world, ApplicationState.SUBMITTED)
    client = english_client(world.case_worker)

    html = english_page(client, "/sachbearbeitung/")
    assert_english(
        html,
        ["Case work: what needs doing now", "Decisions awaiting confirmation", "Overdue deadlines"],
        ["Sachbearbeitung", "Entscheidungen zur Bestätigung", "Überschrittene Fristen"],
    )

    html = english_page(client, "/sachbearbeitung/antraege/")
    assert_english(
        html,
        ["Work queue", "Filter applications", "Submitted – formal check", "Notifications"],
        [
            "Arbeitsvorrat",
            "Anträge filtern",
            "Eingereicht – formelle Prüfung",
            "Benachrichtigungen",
            *GERMAN_NAVIGATION,
        ],
    )

    html = english_page(client, f"/sachbearbeitung/antraege/{application.pk}/")
    assert_english(
        html,
        [
            "Next steps",
            "Cost and financing plan",
            "History",
            "Project period",
            "Request missing items",
        ],
        [
            "Nächste Schritte",
            "Ausgaben- und Finanzierungsplan",
            "Verlauf",
            "Projektzeitraum",
            "Unterlagen nachfordern",
        ],
    )


def test_finance_overview_in_english(world: World) -> None:
    html = english_page(english_client(world.finance), "/finanzen/")

    assert_english(
        html,
        ["Finance – overview", "Authorised payouts", "Reports", "Applications by status"],
        [
            "Finanzen",
            "Angeordnete Auszahlungen",
            "Berichte",
            "Anträge nach Status",
            *GERMAN_NAVIGATION,
        ],
    )


def _po_entries() -> list[str]:
    """The catalogue's entries after the header, one string each (blank lines separate them)."""
    text = PO_FILE.read_text(encoding="utf-8")
    entries = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    assert 'msgid ""' in entries[0]  # the header
    return entries[1:]


def _field(entry: str, keyword: str) -> str | None:
    """The value of ``msgid`` or ``msgstr`` in an entry, its continuation lines joined."""
    match = re.search(rf'^{re.escape(keyword)} ((?:".*"\n?)+)', entry, re.M)
    if match is None:
        return None
    return "".join(json.loads(line) for line in match.group(1).splitlines())


def test_catalogue_has_no_untranslated_or_fuzzy_entries() -> None:
    entries = _po_entries()
    assert len(entries) > 1000

    fuzzy = [entry for entry in entries if re.search(r"^#,.*\bfuzzy\b", entry, re.M)]
    # An empty msgstr (or msgstr[n]) has no continuation line starting with a quote either.
    untranslated = [
        entry for entry in entries if re.search(r'^msgstr(\[\d+\])? ""\n(?!")', entry + "\n", re.M)
    ]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries, e.g.:\n{fuzzy[0]}"
    assert not untranslated, f"{len(untranslated)} untranslated entries, e.g.:\n{untranslated[0]}"


def test_compiled_catalogue_matches_the_po_file() -> None:
    """django.mo is committed; a .po edited without `make messages` would not reach the site."""
    stale = []
    with translation.override("en"):
        for entry in _po_entries():
            msgid, msgstr = _field(entry, "msgid"), _field(entry, "msgstr")
            if not msgid or not msgstr or "msgctxt" in entry:
                continue  # plural entries have msgstr[n]; contexts need pgettext
            if translation.gettext(msgid) != msgstr:
                stale.append(msgid)
    assert not stale, (
        f"{len(stale)} translations differ in django.mo, e.g. {stale[:3]}: run `make messages`"
    )
