"""The applicant's whole journey in a real Chromium: register, confirm by the mailed link,
fill the profile, draft an application over two sittings, submit, answer a request for items,
accept the notice, call funds and submit the proof of use. Each page passes axe-core (no
serious or critical WCAG 2.1 AA violation); screenshots (`make screenshots`) go to docs/screenshots/applicant-*.

Steps of the funder (request for items, approval, deadlines) are made through the services,
as the case-work screens would make them.
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from applicants.models import Applicant, User
from grants.models import Application, ApplicationState, DocumentType
from grants.services.applications import (
    application_end_funding_period,
    application_request_changes,
    application_start_project,
    application_start_review,
)
from grants.services.decisions import decision_confirm, decision_propose
from tests.factories import build_world, this_year_only
from tests.screenshots import take

pytestmark = pytest.mark.browser

PASSWORD = "Ein-sicheres-Passwort-2026"
EMAIL = "leyla@nachbarschaft.example"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
S = ApplicationState


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    # Account mails go through the outbox; its worker sends at once here, as `make run`'s does.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()


def shot(page: Page, name: str) -> None:
    take(page, f"applicant-{name}")


def fill_date(page: Page, label: str, day: dt.date) -> None:
    """A date is a group of three boxes (Tag, Monat, Jahr), found by the group's name."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Tag").fill(str(day.day))
    group.get_by_label("Monat").fill(str(day.month))
    group.get_by_label("Jahr").fill(str(day.year))


def declare(page: Page) -> None:
    """The declarations before submitting, answered as a typical association would."""
    page.get_by_label("Ich versichere, dass meine Angaben richtig und vollständig sind").check()
    page.get_by_role("group", name="Sind Sie zum Vorsteuerabzug berechtigt?").get_by_label(
        "Nein"
    ).check()
    page.get_by_label("Das Projekt hat noch nicht begonnen").check()
    page.get_by_role("group", name="anderswo Fördermittel").get_by_label("Nein").check()


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_applicant_journey(page: Page, live_server, axe_check, mailoutbox, tmp_path) -> None:
    base = live_server.url
    world = build_world()
    DocumentType.objects.create(
        programme=world.programme,
        code="beschreibung",
        name="Projektbeschreibung",
        required_for_submission=True,
    )
    today = timezone.localdate()

    # --- programmes and Leichte Sprache, without an account -----------------------------------
    page.goto(base + "/foerderprogramme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förderprogramme und offene Aufrufe")
    axe_check(page)
    shot(page, "programme")
    page.get_by_role("link", name="Leichte Sprache").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "So bekommen Sie Geld für Ihr Projekt"
    )
    axe_check(page)
    shot(page, "leichte-sprache")

    # --- register and confirm ---------------------------------------------------------------
    page.goto(base + "/registrieren/")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie")
    axe_check(page)
    shot(page, "registrieren-fehler")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Vorname").fill("Leyla")
    page.get_by_label("Nachname").fill("Demir")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen.").check()
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    )
    axe_check(page)
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("status").first).to_contain_text("Ihre E-Mail-Adresse ist bestätigt")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    # --- profile: the first login leads straight to it ----------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil anlegen")
    axe_check(page)
    page.get_by_label("Art").select_option(label="Verein")
    page.get_by_label("Name", exact=True).fill("Nachbarschaft Linden e. V.")
    page.get_by_label("Straße und Hausnummer").fill("Limmerstraße 1")
    page.get_by_label("Postleitzahl").fill("30451")
    page.get_by_label("Ort").fill("Hannover")
    page.get_by_label("E-Mail-Adresse", exact=True).fill("info@nachbarschaft.example")
    page.get_by_label("Kontoinhaber*in").fill("Nachbarschaft Linden e. V.")
    page.get_by_label("IBAN").fill("DE00 1234")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("IBAN")
    axe_check(page)
    shot(page, "profil-fehler")
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachbarschaft Linden e. V.")
    axe_check(page)
    shot(page, "profil")
    applicant = Applicant.objects.get(name="Nachbarschaft Linden e. V.")

    # --- first sitting: start the draft, describe the project -------------------------------
    page.get_by_role("link", name="Meine Anträge").click()
    page.get_by_role("link", name=re.compile(world.call.title)).first.click()
    # The eligibility check comes first; the profile's kind is already chosen.
    page.get_by_label("Wo findet das Projekt statt?").select_option(index=1)
    page.get_by_role("group", name="Hat das Projekt schon begonnen?").get_by_label("Nein").check()
    page.get_by_label("Wie viel Geld möchten Sie ungefähr beantragen?").fill("4.500,00")
    page.get_by_role("button", name="Prüfen").click()
    page.get_by_role("link", name="Antrag beginnen").click()
    page.get_by_label("Projekttitel").fill("Sprachcafé Linden")
    page.get_by_role("button", name="Entwurf anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Projekt")
    application = Application.objects.get(applicant=applicant)
    page.get_by_label("Kurzbeschreibung").fill("Ein wöchentliches Sprachcafé im Stadtteil.")
    page.get_by_label("Ziele").fill("Deutsch üben und Nachbar*innen kennenlernen.")
    fill_date(page, "Projektbeginn", today + dt.timedelta(days=40))
    fill_date(page, "Projektende", today + dt.timedelta(days=10))
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_role("alert")).to_contain_text("Projektende")
    axe_check(page)
    shot(page, "schritt-projekt-fehler")
    fill_date(page, "Projektende", today + dt.timedelta(days=200))
    page.get_by_label("Erwartete Teilnehmende").fill("40")
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zielgruppen, Themen und Orte")
    axe_check(page)
    page.get_by_label("Jugendliche").check()
    page.get_by_label("Bildung").check()
    page.get_by_label("Mitte").check()
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Ihr Entwurf ist gespeichert.")
    page.get_by_role("button", name="Abmelden").click()

    # --- second sitting: everything is still there -----------------------------------------
    log_in(page, base)
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anträge")
    expect(page.get_by_text("Entwurf – noch nicht eingereicht")).to_be_visible()
    shot(page, "meine-antraege")
    page.get_by_role("link", name="Sprachcafé Linden").click()
    page.get_by_role("link", name="Antrag weiter bearbeiten").click()
    expect(page.get_by_label("Kurzbeschreibung")).to_have_value(
        "Ein wöchentliches Sprachcafé im Stadtteil."
    )
    page.get_by_role("link", name="Zielgruppen und Themen").click()
    expect(page.get_by_label("Jugendliche")).to_be_checked()
    page.get_by_role("button", name="Speichern und weiter").click()

    # --- plan with live totals ---------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Kosten und Finanzierung")
    page.locator("#id_costs-0-category").select_option(label="Honorare")
    page.locator("#id_costs-0-description").fill("Kursleitung, 20 Termine")
    page.locator("#id_costs-0-amount").fill("2.000,00")
    page.locator("#id_costs-1-category").select_option(label="Sachkosten")
    page.locator("#id_costs-1-description").fill("Material und Getränke")
    page.locator("#id_costs-1-amount").fill("500")
    page.locator("#id_financing-0-category").select_option(label="Eigenmittel")
    page.locator("#id_financing-0-amount").fill("500")
    page.locator("#id_financing-1-category").select_option(label="Beantragte Zuwendung")
    page.locator("#id_financing-1-amount").fill("1.900")
    summary = page.locator("#plan-summary")
    expect(summary).to_contain_text("2.500,00 €")
    expect(summary).to_contain_text("nicht ausgeglichen")
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_role("alert")).to_contain_text("nicht ausgeglichen")
    axe_check(page)
    page.locator("#id_financing-1-amount").fill("2.000")
    expect(page.locator("#plan-summary")).to_contain_text("ausgeglichen")
    expect(page.locator("#plan-summary")).to_contain_text("20,0 %")
    axe_check(page)
    shot(page, "schritt-finanzplan")
    page.get_by_role("button", name="Speichern und weiter").click()

    # --- attachments --------------------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Anlagen")
    page.get_by_label("Art der Unterlage").select_option(label="Projektbeschreibung")
    upload = tmp_path / "Projektbeschreibung.pdf"
    upload.write_bytes(PDF)
    page.get_by_label("Datei").set_input_files(str(upload))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("link", name="Projektbeschreibung.pdf")).to_be_visible()
    axe_check(page)
    shot(page, "schritt-anlagen")
    page.get_by_role("button", name="Weiter zum Prüfen").click()

    # --- check and submit ---------------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Prüfen und einreichen")
    expect(page.get_by_text("Alles vollständig.")).to_be_visible()
    axe_check(page)
    shot(page, "pruefen")
    # Every answer has its change link back to the step.
    page.get_by_role("link", name="Ändern Ziele").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Projekt")
    page.go_back()
    # Without the declarations nothing is submitted, and every missing one is named at once.
    page.get_by_role("button", name="Antrag verbindlich einreichen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie 4 Angaben.")
    axe_check(page)
    declare(page)
    page.get_by_role("button", name="Antrag verbindlich einreichen").click()
    application.refresh_from_db()
    expect(page.get_by_role("status").first).to_contain_text(application.file_number)
    axe_check(page)
    shot(page, "eingegangen")
    page.get_by_role("link", name="Ihren Antrag ansehen (mit PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihr Antrag")
    expect(page.get_by_role("link", name=re.compile("Antrag, eingereicht am"))).to_be_visible()
    axe_check(page)
    shot(page, "antrag-wie-eingereicht")

    # --- a request for items, answered -------------------------------------------------------
    application_request_changes(
        application=application,
        actor=world.case_worker,
        items=["Bitte nennen Sie die Orte der Treffen in der Kurzbeschreibung."],
        due_date=today + dt.timedelta(days=14),
    )
    page.goto(f"{base}/antraege/{application.pk}/")
    expect(page.locator("#nachforderung")).to_contain_text("Bitte nennen Sie die Orte der Treffen")
    axe_check(page)
    shot(page, "nachforderung")
    page.get_by_role("link", name="Angaben ändern").click()
    page.get_by_label("Kurzbeschreibung").fill(
        "Ein wöchentliches Sprachcafé im Stadtteiltreff Linden und in der Stadtbibliothek."
    )
    page.get_by_role("button", name="Speichern und weiter").click()
    page.get_by_role("link", name="Prüfen und einreichen").click()
    declare(page)
    page.get_by_label("Nachricht an die Förderstelle").fill("Orte ergänzt.")
    page.get_by_role("button", name="Erneut einreichen").click()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED

    # --- approval by two case workers, accepted with waiver -----------------------------------
    application_start_review(application=application, actor=world.case_worker)
    # Funded from tomorrow, all on this year's budget: the call for funds below is due now.
    start = timezone.localdate() + dt.timedelta(days=1)
    end = application.start_date + dt.timedelta(days=150)
    decision_propose(
        application=application,
        actor=world.case_worker,
        amount=application.plan.requested_amount,
        funding_start=start,
        funding_end=end,
        purpose="Sprachcafé Linden",
        year_amounts=this_year_only(application.plan.requested_amount, start, end),
    )
    decision_confirm(application=application, actor=world.second_case_worker)
    page.goto(f"{base}/antraege/{application.pk}/")
    expect(page.get_by_role("heading", name="Ihr Bescheid")).to_be_visible()
    axe_check(page)
    shot(page, "bescheid")
    page.get_by_label(re.compile("verzichte auf Rechtsbehelfe")).check()
    page.get_by_role("button", name="Bescheid annehmen").click()
    expect(page.get_by_role("status").first).to_contain_text("Sie haben den Bescheid angenommen")

    # --- call for funds ----------------------------------------------------------------------
    page.get_by_role("link", name="Mittel abrufen").first.click()
    page.get_by_label("Betrag in Euro").fill("1.000,00")
    fill_date(page, "Wann brauchen Sie das Geld?", today + dt.timedelta(days=120))
    page.get_by_role("button", name="Geld abrufen").click()
    expect(page.get_by_role("alert")).to_contain_text("2 Monate")
    axe_check(page)
    shot(page, "mittelabruf")
    fill_date(page, "Wann brauchen Sie das Geld?", today + dt.timedelta(days=20))
    page.get_by_role("button", name="Geld abrufen").click()
    expect(page.get_by_role("status").first).to_contain_text("1.000,00 €")
    assert application.payouts.get().amount == 1000

    # --- the project ran; the proof of use --------------------------------------------------
    Application.objects.filter(pk=application.pk).update(
        funding_start=today - dt.timedelta(days=200), funding_end=today - dt.timedelta(days=1)
    )
    application.refresh_from_db()
    application_start_project(application=application)
    application_end_funding_period(application=application)
    page.goto(f"{base}/antraege/{application.pk}/verwendungsnachweis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwendungsnachweis")
    page.get_by_label("Sachbericht").fill("20 Treffen mit je 15 bis 25 Teilnehmenden.")
    page.get_by_label("Tatsächliche Ausgaben: Kursleitung, 20 Termine").fill("2.000,00")
    page.get_by_label("Tatsächliche Ausgaben: Material und Getränke").fill("700,00")
    page.get_by_label(re.compile("Tatsächliche Einnahmen")).fill("700,00")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_text("bitte erklären", exact=True)).to_be_visible()
    page.get_by_label("Ausgabenposition").select_option(index=1)
    fill_date(page, "Datum des Belegs", today - dt.timedelta(days=30))
    page.get_by_label("Empfänger*in").fill("Kursleiterin A.")
    page.get_by_label("Zweck").fill("Honorar März")
    page.get_by_label("Betrag in Euro").fill("400,00")
    page.get_by_role("button", name="Beleg eintragen").click()
    expect(page.get_by_role("cell", name="Kursleiterin A.: Honorar März")).to_be_visible()
    axe_check(page)
    shot(page, "verwendungsnachweis")
    page.get_by_role("button", name="Verwendungsnachweis einreichen").click()
    expect(page.get_by_role("status").first).to_contain_text("eingereicht")
    application.refresh_from_db()
    assert application.state == S.PROOF_SUBMITTED
    expect(page.get_by_text("Sie haben den Verwendungsnachweis eingereicht.")).to_be_visible()
    axe_check(page)
    shot(page, "antrag-verlauf")
    assert User.objects.get(email=EMAIL).is_active
