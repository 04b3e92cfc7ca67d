"""The recovery notice (Rückforderungs- und Widerrufsbescheid): an accessible PDF with what is
revoked and why, the amount, the interest rule and the interest so far, the due date, the
account and payment reference, and the programme's legal remedy; mailed with the claim; the
applicant's page shows the same figures.

Worked by hand below (the notice of 02.03.2026).
"""

# Fehlbedarf, 8,000 € paid on 01.03.2025, 7,000 € justified → 1,000 € claimed. Interest up to
# the notice (02.03.2026), each row rounded:
#   01.03.–30.06.2025: 122 days × 1,000 × 7.27 % / 365 = 24.30
#   01.07.–31.12.2025: 184 days × 1,000 × 6.27 % / 365 = 31.61
#   01.01.–01.03.2026:  60 days × 1,000 × 6.27 % / 365 = 10.31  → 66.22 €

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from grants.errors import RuleViolated
from grants.models import (
    ApplicationState,
    FinancingKind,
    FinancingType,
    LetterKind,
    Payout,
    RepaymentClaim,
)
from grants.services.decisions import decision_confirm, decision_propose
from grants.services.proof import (
    application_submit_proof,
    proof_check_create,
    repayment_claim_create,
)
from notifications.models import Message
from notifications.outbox import build_email
from tests.factories import advance, draft, pay, this_year_only

S = ApplicationState
D = Decimal
NOTICE_DAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _claimed(world, django_capture_on_commit_callbacks) -> RepaymentClaim:
    app = advance(draft(world), world, S.IN_REVIEW)
    end = app.start_date + dt.timedelta(days=150)
    decision_propose(
        application=app,
        actor=world.case_worker,
        amount=D("8000"),
        funding_start=app.start_date,
        funding_end=end,
        purpose="Sprachcafé",
        financing_type=FinancingType.DEFICIT,
        year_amounts=this_year_only(D("8000"), app.start_date, end),
    )
    decision_confirm(application=app, actor=world.second_case_worker)
    app = advance(app, world, S.RUNNING)
    payout = pay(app, world, D("8000"))
    Payout.objects.filter(pk=payout.pk).update(paid_on=dt.date(2025, 3, 1))
    app = advance(app, world, S.PROOF_DUE)
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Bericht",
        actual_costs={line.pk: D("9000") for line in app.cost_lines.all()},
        actual_financing={
            line.pk: D("2000")
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )
    proof_check_create(application=app, actor=world.case_worker, depth="quick", findings="Gut.")
    app.refresh_from_db()
    # The notice is dated 02.03.2026: the clock stands there while it is made.
    with (
        time_machine.travel(NOTICE_DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        claim = repayment_claim_create(
            application=app,
            actor=world.case_worker,
            reason="Die Ausgaben lagen 1.000 € unter dem Plan.",
            due_date=dt.date(2026, 4, 1),
        )
    return claim


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf), strict=True)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_notice_carries_amount_interest_account_and_remedy(
    world, django_capture_on_commit_callbacks
):
    claim = _claimed(world, django_capture_on_commit_callbacks)
    letter = claim.letters.get()
    assert letter.kind == LetterKind.RECOVERY
    with letter.file.open("rb") as stored:
        pdf = stored.read()
    text = _text(pdf)
    assert "Rückforderungsbescheid" in text
    assert "1.000,00 €" in text  # the amount revoked
    assert "Die Ausgaben lagen 1.000 € unter dem Plan." in text  # and why
    assert "24,30 €" in text and "31,61 €" in text and "10,31 €" in text  # the rows
    assert "66,22 €" in text  # their total, the interest up to the notice
    assert "§ 49a Abs. 3 VwVfG" in text  # the rule
    assert "01.04.2026" in text  # due date
    assert "DE89370400440532013000" in text  # the account to pay into
    assert claim.payment_reference in text
    assert "innerhalb eines Monats" in text and "Verwaltungsgericht Hannover" in text
    assert "Widerspruch" not in text
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root, "tagged PDF (PDF/UA) for screen readers"


def test_the_claim_mail_attaches_the_notice_and_names_account_and_remedy(
    world, django_capture_on_commit_callbacks
):
    claim = _claimed(world, django_capture_on_commit_callbacks)
    message = Message.objects.get(kind="repayment_claim", to=world.owner.email)
    assert claim.payment_reference in message.body_text
    assert "DE89370400440532013000" in message.body_text
    assert "innerhalb eines Monats" in message.body_text
    email = build_email(message)
    assert [a[0] for a in email.attachments] == [claim.letters.get().filename]
    assert email.attachments[0][1].startswith(b"%PDF")


def test_the_sender_makes_the_notice_if_the_step_after_commit_never_ran(world):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("grants.services.proof.recovery_notice_after_commit", lambda claim_id: None)
        app_claim = _claimed(world, _no_callbacks)
    assert not app_claim.letters.exists()
    message = Message.objects.get(kind="repayment_claim", to=world.owner.email)
    with time_machine.travel(NOTICE_DAY, tick=False):
        email = build_email(message)
    assert email.attachments[0][0] == app_claim.letters.get().filename


class _NoCallbacks:
    def __call__(self, execute=False):
        return self

    def __enter__(self):
        return []

    def __exit__(self, *exc):
        return False


_no_callbacks = _NoCallbacks()


def test_the_applicant_page_shows_the_same_figures_as_the_notice(
    client, world, django_capture_on_commit_callbacks
):
    claim = _claimed(world, django_capture_on_commit_callbacks)
    client.force_login(world.owner)
    with time_machine.travel(NOTICE_DAY, tick=False):
        page = client.get(reverse("portal:detail", args=[claim.application_id])).content.decode()
    assert "1.000,00 €" in page
    assert "66,22 €" in page  # not 0,00 €: the interest up to today, as in the notice
    assert "DE89370400440532013000" in page
    assert claim.payment_reference in page
    assert "01.04.2026" in page
    assert "innerhalb eines Monats" in page
    assert reverse("portal:letter", args=[claim.application_id, claim.letters.get().pk]) in page


def test_no_claim_without_an_account_to_pay_into(world, django_capture_on_commit_callbacks):
    body = world.programme.funding_body
    body.iban = ""
    body.save(update_fields=["iban"])
    with pytest.raises(RuleViolated, match="kein Konto für Rückzahlungen"):
        _claimed(world, django_capture_on_commit_callbacks)
    assert not RepaymentClaim.objects.exists()


def test_one_legal_remedy_for_page_pdf_and_mail(world):
    text = world.programme.legal_remedy
    assert "innerhalb eines Monats" in text
    assert "Klage beim Verwaltungsgericht Hannover" in text
    assert "Monat(en)" not in text and "Widerspruch" not in text
    world.programme.legal_remedy_en = "Action before the Administrative Court within one month."
    assert world.programme.legal_remedy_in("en") == world.programme.legal_remedy_en
    assert world.programme.legal_remedy_in("de") == text


def test_no_page_mail_or_letter_offers_a_widerspruch():
    # Lower Saxony abolished the Widerspruch for most administrative acts (§ 80 NJG).
    roots = [Path(settings.BASE_DIR) / d for d in ("templates", "grants", "notifications")]
    offenders = [
        str(path)
        for root in roots
        for path in root.rglob("*")
        if path.suffix in {".html", ".txt", ".py"}
        and "migrations" not in path.parts
        and (
            "Widerspruch einlegen" in (text := path.read_text(encoding="utf-8"))
            or "Monat(en)" in text
        )
    ]
    assert offenders == []
