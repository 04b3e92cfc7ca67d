"""The case-work journey in a real Chromium: request items → decision proposed and confirmed by
two people → payout certified and ordered → proof of use checked with a repayment claim.
Steps of other people (applicant, finance, the deadline job) run through the services; every
case-work page is scanned with axe-core and photographed for docs/screenshots/ (`make screenshots`)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from grants.models import ApplicationState, AssessmentCriterion, ChecklistItem, FinancingKind
from grants.services.applications import (
    application_end_funding_period,
    application_resubmit,
    application_start_project,
)
from grants.services.decisions import application_waive_appeal
from grants.services.payouts import payout_mark_exported, payout_mark_paid
from grants.services.proof import application_submit_proof
from tests.conftest import StaffClient
from tests.factories import _backdate_funding_period, advance, build_world, draft
from tests.screenshots import take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationState


def login_as(page: Page, live_server, user) -> None:
    """Logs ``user`` in by a session cookie (the login form has its own browser test)."""
    client = StaffClient()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def shot(page: Page, axe_check, name: str) -> None:
    axe_check(page)
    take(page, f"casework-{name}")


def test_case_work_journey(page: Page, live_server, axe_check, settings) -> None:
    # The notice's task runs at once here, as a worker beside `make run` would run it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = build_world()
    ChecklistItem.objects.create(programme=world.programme, code="deadline", name="Fristgerecht")
    AssessmentCriterion.objects.create(programme=world.programme, code="goals", name="Ziele")
    world.case_worker.first_name, world.case_worker.last_name = "Katrin", "Albers"
    world.case_worker.save()
    app = advance(draft(world), world, S.SUBMITTED)
    base = live_server.url + "/sachbearbeitung"

    # 1. First case worker: start page, queue, file, request items.
    login_as(page, live_server, world.case_worker)
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sachbearbeitung")
    shot(page, axe_check, "start")
    page.goto(base + "/antraege/")
    shot(page, axe_check, "arbeitsvorrat")
    page.get_by_role("link", name=app.file_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(app.file_number)
    shot(page, axe_check, "akte")
    page.get_by_role("link", name="Unterlagen nachfordern").click()
    page.get_by_label("Fehlende Unterlagen und Angaben").fill("Satzung des Vereins")
    page.get_by_label("Frist").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    shot(page, axe_check, "nachforderung")
    page.get_by_role("button", name="Unterlagen nachfordern").click()
    expect(page.get_by_text("Nachforderung").first).to_be_visible()
    app.refresh_from_db()
    assert app.state == S.CHANGES_REQUESTED

    # The applicant resubmits; the case worker starts the review and proposes the notice.
    application_resubmit(application=app, actor=world.owner, note="Satzung anbei")
    page.goto(base + f"/antraege/{app.pk}/")
    page.get_by_role("link", name="Fachliche Prüfung beginnen").click()
    page.get_by_role("button", name="Fachliche Prüfung beginnen").click()
    page.get_by_role("link", name="Bewilligung vorschlagen").click()
    expect(page.get_by_text("verfügbar nachher")).to_be_visible()
    # The whole grant on this fiscal year, so the payout below may fall due today (payouts are
    # booked against the year's share of the commitment).
    this_year = timezone.localdate().year
    page.get_by_label(f"Anteil Haushaltsjahr {this_year} in €").fill("8.000,00")
    page.get_by_label(f"Anteil Haushaltsjahr {this_year + 1} in €").fill("0,00")
    shot(page, axe_check, "bewilligung-vorschlagen")
    page.get_by_role("button", name="Bewilligung vorschlagen").click()
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED, page.content()[:3000]

    # 2. Second case worker confirms, seeing the budget before and after.
    login_as(page, live_server, world.second_case_worker)
    page.goto(base + "/")
    page.get_by_role("link", name=app.file_number).first.click()
    expect(page.get_by_text("verfügbar nachher")).to_be_visible()
    shot(page, axe_check, "bestaetigen")
    page.get_by_role("button", name="Entscheidung bestätigen (zweite Person)").click()
    app.refresh_from_db()
    assert app.state == S.APPROVED
    expect(page.get_by_role("link", name="Zuwendungsbescheid (PDF", exact=False)).to_be_visible()

    # The recipient waives appeal, the project starts (deadline job).
    application_waive_appeal(application=app, actor=world.owner)
    _backdate_funding_period(app, ended=False)
    application_start_project(application=app)

    # 3. Payout: planned and certified by one, ordered by the other.
    login_as(page, live_server, world.case_worker)
    page.goto(base + f"/antraege/{app.pk}/auszahlung/")
    page.get_by_label("Betrag in €").fill("8.000,00")
    page.get_by_label("fällig am").fill(timezone.localdate().isoformat())
    shot(page, axe_check, "auszahlung-planen")
    page.get_by_role("button", name="Auszahlung planen").click()
    page.get_by_role("button", name="sachlich/rechnerisch richtig").click()
    expect(page.get_by_text("Vier-Augen-Prinzip", exact=False)).to_be_visible()
    shot(page, axe_check, "auszahlung-gezeichnet")
    login_as(page, live_server, world.second_case_worker)
    page.goto(base + f"/antraege/{app.pk}/")
    page.get_by_role("button", name="anordnen").click()
    expect(page.get_by_text("angeordnet").first).to_be_visible()
    payout = app.payouts.get()
    assert payout.state == "ordered"
    assert (
        payout.certified_by == world.case_worker and payout.ordered_by == world.second_case_worker
    )

    # Finance pays; the period ends; the recipient submits the proof with lower costs.
    payout_mark_exported(payout=payout, actor=world.finance)
    payout_mark_paid(payout=payout, actor=world.finance, paid_on=timezone.localdate())
    app.refresh_from_db()
    _backdate_funding_period(app, ended=True)
    application_end_funding_period(application=app)
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Das Sprachcafé fand 18-mal statt.",
        actual_costs={line.pk: Decimal("9000.00") for line in app.cost_lines.all()},
        actual_financing={
            line.pk: line.amount
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )

    # 4. Proof of use checked in depth, repayment claimed.
    login_as(page, live_server, world.case_worker)
    page.goto(base + f"/antraege/{app.pk}/nachweispruefung/")
    page.get_by_label("vertiefte Prüfung").check()
    page.get_by_label("Prüfergebnis").fill("Belege vollständig; eine Rechnung nicht förderfähig.")
    page.get_by_label("Anerkannt: Honorare Kursleitung").fill("7.000,00")
    page.get_by_label("Begründung der Kürzung: Honorare Kursleitung").fill(
        "Rechnung außerhalb des Förderzeitraums"
    )
    shot(page, axe_check, "nachweispruefung")
    page.get_by_role("button", name="Verwendungsnachweis prüfen").click()
    app.refresh_from_db()
    assert app.state == S.PROOF_ACCEPTED, page.content()[:3000]
    assert app.justified_amount == Decimal("7000.00")
    page.get_by_role("link", name="Rückforderung erheben").click()
    page.get_by_label("Begründung").fill("Minderausgaben laut Verwendungsnachweis")
    page.get_by_label("zahlbar bis").fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Rückforderung erheben").click()
    app.refresh_from_db()
    assert app.state == S.REPAYMENT_CLAIMED
    assert app.repayment_claims.get().principal == Decimal("1000.00")
    page.get_by_role("link", name="Erstattung und Zinsen erfassen").click()
    # The statement up to the day of receipt: rows and their sum (docs/proof-of-use.md).
    expect(page.get_by_text("Zinsen nach § 49a Abs. 3 VwVfG bis", exact=False)).to_be_visible()
    shot(page, axe_check, "erstattung")
