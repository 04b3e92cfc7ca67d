"""Every lifecycle step that is announced writes exactly the expected messages: to whom, in
which language, what it says. Steps marked as not announced, and rolled-back steps, write
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from grants.models import Application, ApplicationState, FinancingKind, Letter
from grants.services.applications import (
    application_request_changes,
    application_resubmit,
    application_start_review,
    run_deadlines,
)
from grants.services.decisions import decision_confirm, decision_propose_rejection
from grants.services.proof import (
    application_request_proof_changes,
    application_submit_proof,
    proof_check_create,
    repayment_claim_create,
)
from grants.tasks import make_decision_letter
from notifications import outbox
from notifications.models import Kind, Message, MessageTemplate
from tests.factories import World, advance, draft, pay

S = ApplicationState
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world: World) -> World:
    # One reader of the applicant side reads English.
    world.colleague.language = "en"
    world.colleague.save(update_fields=["language"])
    return world


def applicant_side(world: World) -> dict[str, str]:
    return {
        world.owner.email: "de",
        world.colleague.email: "en",
        world.applicant.contact_email: "de",
    }


def written(event_name: str) -> dict[str, Message]:
    messages = Message.objects.filter(event__name=event_name)
    by_address = {message.to: message for message in messages}
    assert len(by_address) == messages.count(), "one message per address"
    return by_address


def assert_applicant_side(world: World, app: Application, event: str, kind: str) -> None:
    messages = written(event)
    assert {to: m.language for to, m in messages.items()} == applicant_side(world)
    for message in messages.values():
        assert message.kind == kind
        assert app.file_number in message.subject
        assert message.state == Message.State.READY
        assert message.application_id == app.pk
        assert message.body_html.startswith("<!DOCTYPE html>")


def in_review(world: World) -> Application:
    return advance(draft(world), world, S.IN_REVIEW)


def test_submission_sends_a_receipt_with_the_file_number_in_each_readers_language(world):
    app = advance(draft(world), world, S.SUBMITTED)

    assert_applicant_side(world, app, "application.submit", Kind.RECEIPT)
    messages = written("application.submit")
    german, english = messages[world.owner.email], messages[world.colleague.email]
    assert german.subject == f"Eingangsbestätigung: Ihr Antrag {app.file_number}"
    assert "Ihr Aktenzeichen lautet" in german.body_text
    assert english.subject == f"Receipt: your application {app.file_number}"
    assert "Your file number is" in english.body_text
    assert german.user == world.owner and messages[world.applicant.contact_email].user is None
    assert world.outsider.email not in messages


def test_the_contact_address_of_a_member_gets_one_mail_in_the_members_language(world):
    world.applicant.contact_email = world.colleague.email.upper()
    world.applicant.save(update_fields=["contact_email"])

    advance(draft(world), world, S.SUBMITTED)

    messages = written("application.submit")
    assert {to: m.language for to, m in messages.items()} == {
        world.owner.email: "de",
        world.colleague.email: "en",
    }


def test_request_for_items_lists_them_with_the_deadline(world):
    app = advance(draft(world), world, S.SUBMITTED)
    due = timezone.localdate() + dt.timedelta(days=14)

    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung des Vereins", "Kostenplan unterschrieben"],
        due_date=due,
    )

    assert_applicant_side(world, app, "application.request_changes", Kind.CHANGES_REQUESTED)
    messages = written("application.request_changes")
    german, english = messages[world.owner.email], messages[world.colleague.email]
    assert "- Satzung des Vereins\n- Kostenplan unterschrieben\n" in german.body_text
    assert f"bis zum {due.day}. " in german.body_text
    assert f"{due.year}" in english.body_text
    assert "<li>Satzung des Vereins</li>" in german.body_html


def test_a_request_for_items_marked_not_to_announce_writes_nothing(world):
    app = advance(draft(world), world, S.SUBMITTED)

    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
        announce=False,
    )

    assert not Message.objects.filter(event__name="application.request_changes").exists()


def test_resubmission_goes_to_all_case_workers_of_the_programme_while_none_is_assigned(world):
    app = advance(draft(world), world, S.SUBMITTED)
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )

    application_resubmit(application=app, actor=world.owner, note="Satzung anbei")

    messages = written("application.resubmit")
    assert set(messages) == {world.case_worker.email, world.second_case_worker.email}
    assert all(m.kind == Kind.RESUBMITTED for m in messages.values())
    assert "Satzung anbei" in messages[world.case_worker.email].body_text
    assert app.file_number in messages[world.case_worker.email].subject


def test_resubmission_goes_to_the_assigned_case_worker_only(world):
    app = advance(draft(world), world, S.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(assigned_to=world.second_case_worker)
    app.refresh_from_db()
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )

    application_resubmit(application=app, actor=world.owner)

    assert set(written("application.resubmit")) == {world.second_case_worker.email}


def test_steps_without_announcement_write_nothing(world):
    app = advance(draft(world), world, S.SUBMITTED)
    before = Message.objects.count()

    # start_review has nothing to say; propose_approval is announce=False.
    application_start_review(application=app, actor=world.case_worker)
    decision_propose_rejection(
        application=app, actor=world.case_worker, reasons="Nicht förderfähig."
    )

    assert Message.objects.count() == before
    assert not Message.objects.filter(event__name="application.start_review").exists()


@pytest.fixture
def private_media(settings, tmp_path):
    # Letters of a test go to a directory of their own, never into the developer's tree.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


def test_approval_announces_amount_period_and_appeal_deadline(world):
    app = advance(draft(world), world, S.APPROVED)

    assert_applicant_side(world, app, "application.approve", Kind.APPROVED)
    german = written("application.approve")[world.owner.email]
    english = written("application.approve")[world.colleague.email]
    assert "8.000,00 €" in german.body_text
    assert "8,000.00 €" in english.body_text
    # The mail names the decision's letter; the letter itself is made only after the commit,
    # so no PDF is rendered while the decision's transaction holds the budget rows.
    decision = app.decisions.get()
    assert german.attachments == [{"decision_id": decision.pk, "mimetype": "application/pdf"}]
    assert "im Anhang" in german.body_text
    assert not Letter.objects.exists()


def test_the_letter_made_after_the_commit_is_attached_when_the_mail_is_sent(
    world, private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = advance(draft(world), world, S.APPROVED)
    # The task enqueued after the commit, run here in the worker's place.
    make_decision_letter.call(decision_id=app.decisions.get().pk)
    letter = Letter.objects.get(application=app)
    assert letter.decision == app.decisions.get()

    outbox.flush()

    sent = next(m for m in mail.outbox if m.to == [world.owner.email] and "bewilligt" in m.subject)
    letter.file.open("rb")
    assert sent.attachments == [(letter.filename, letter.file.read(), "application/pdf")]
    assert sent.attachments[0][1].startswith(b"%PDF-")
    assert Letter.objects.count() == 1


def test_a_decision_mail_makes_its_missing_letter_when_sent(world, private_media):
    # The step after the commit never ran (the process died, say): the sender makes the
    # letter, so the mail still carries the notice and nothing is lost.
    app = advance(draft(world), world, S.APPROVED)
    assert not Letter.objects.exists()

    outbox.flush()

    letter = Letter.objects.get(application=app)
    sent = next(m for m in mail.outbox if m.to == [world.owner.email] and "bewilligt" in m.subject)
    assert [(name, mimetype) for name, _content, mimetype in sent.attachments] == [
        (letter.filename, "application/pdf")
    ]
    assert sent.attachments[0][1].startswith(b"%PDF-")
    assert Message.objects.filter(state=Message.State.SENT, to=world.owner.email).exists()


def test_a_rolled_back_decision_leaves_neither_letter_nor_mail(
    world, private_media, django_capture_on_commit_callbacks
):
    app = in_review(world)
    decision_propose_rejection(application=app, actor=world.case_worker, reasons="Zu spät.")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        decision_confirm(application=app, actor=world.second_case_worker)
        raise RuntimeError("rolled back")
    assert not Letter.objects.exists()
    assert not Message.objects.filter(event__name="application.reject").exists()


def test_rejection_announces_the_reasons(world):
    app = in_review(world)
    decision_propose_rejection(
        application=app, actor=world.case_worker, reasons="Das Projekt liegt außerhalb der Stadt."
    )

    decision_confirm(application=app, actor=world.second_case_worker)

    assert_applicant_side(world, app, "application.reject", Kind.REJECTED)
    assert Message.objects.filter(event__name="application.propose_rejection").count() == 0
    assert "außerhalb der Stadt" in written("application.reject")[world.owner.email].body_text


def test_waiving_the_appeal_makes_the_notice_final_and_says_so(world):
    app = advance(draft(world), world, S.FINAL)

    assert_applicant_side(world, app, "application.waive_appeal", Kind.NOTICE_FINAL)
    assert "verzichtet" in written("application.waive_appeal")[world.owner.email].body_text


def test_an_expired_appeal_period_is_announced_by_the_deadline_run(world):
    app = advance(draft(world), world, S.APPROVED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Application.objects.filter(pk=app.pk).update(appeal_deadline=yesterday)

    run_deadlines()

    assert_applicant_side(world, app, "application.expire_appeal_period", Kind.NOTICE_FINAL)
    message = written("application.expire_appeal_period")[world.owner.email]
    assert "Klagefrist abgelaufen" in message.body_text


def test_a_payout_is_announced_when_ordered_and_when_paid_not_in_between(world):
    app = advance(draft(world), world, S.FINAL)

    pay(app, world, Decimal("3000.00"))

    assert_applicant_side(world, app, "payout.order", Kind.PAYOUT_ORDERED)
    assert_applicant_side(world, app, "payout.mark_paid", Kind.PAYOUT_PAID)
    assert not Message.objects.filter(
        event__name__in=["payout.plan", "payout.certify", "payout.mark_exported"]
    ).exists()
    assert "3.000,00 €" in written("payout.mark_paid")[world.owner.email].subject


def test_requests_about_the_proof_of_use_and_its_resubmission(world):
    app = advance(draft(world), world, S.PROOF_SUBMITTED)

    application_request_proof_changes(
        application=app,
        actor=world.case_worker,
        items=["Belegliste fehlt"],
        due_date=timezone.localdate() + dt.timedelta(days=21),
    )
    assert_applicant_side(
        world, app, "application.request_proof_changes", Kind.PROOF_CHANGES_REQUESTED
    )
    assert (
        "- Belegliste fehlt"
        in written("application.request_proof_changes")[world.owner.email].body_text
    )

    app.refresh_from_db()
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Mit Belegliste.",
        actual_costs={line.pk: line.amount for line in app.cost_lines.all()},
        actual_financing={
            line.pk: line.amount
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )
    to_staff = written("application.resubmit_proof")
    assert set(to_staff) == {world.case_worker.email, world.second_case_worker.email}
    assert "Verwendungsnachweis" in to_staff[world.case_worker.email].subject


def test_proof_check_and_repayment_claim_are_announced(world):
    app = advance(draft(world), world, S.FINAL)
    pay(app, world, Decimal("8000.00"))
    today = timezone.localdate()
    Application.objects.filter(pk=app.pk).update(
        funding_start=today - dt.timedelta(days=200), funding_end=today - dt.timedelta(days=1)
    )
    run_deadlines()  # final → running → proof due
    app.refresh_from_db()
    assert app.state == S.PROOF_DUE
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Weniger Kurse als geplant.",
        actual_costs={line.pk: Decimal("5000.00") for line in app.cost_lines.all()},
        actual_financing={
            line.pk: line.amount
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )
    proof_check_create(application=app, actor=world.case_worker, depth="quick", findings="Geprüft.")

    assert_applicant_side(world, app, "application.accept_proof", Kind.PROOF_ACCEPTED)
    result = written("application.accept_proof")[world.owner.email]
    assert "5.000,00 €" in result.body_text and "Rückforderung" in result.body_text

    app.refresh_from_db()
    repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="Ausgaben geringer als bewilligt.",
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )

    assert_applicant_side(world, app, "application.claim_repayment", Kind.REPAYMENT_CLAIM)
    claim = written("application.claim_repayment")[world.colleague.email]
    assert "3,000.00 €" in claim.body_text
    assert not Message.objects.filter(event__name="repayment_claim.create").exists()


def test_a_rolled_back_step_writes_and_sends_nothing(world, django_capture_on_commit_callbacks):
    app = advance(draft(world), world, S.SUBMITTED)
    outbox.flush()  # the receipts
    before = Message.objects.count()
    mail.outbox.clear()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        application_request_changes(
            application=app,
            actor=world.case_worker,
            items=["Satzung"],
            due_date=timezone.localdate() + dt.timedelta(days=14),
        )
        assert Message.objects.count() == before + 3
        raise RuntimeError("something after the step failed")

    assert Message.objects.count() == before
    assert callbacks == []
    assert outbox.flush() == 0
    assert mail.outbox == []


def test_a_template_edited_by_staff_replaces_the_file_for_its_programme(world):
    MessageTemplate.objects.create(
        kind=Kind.RECEIPT,
        language="de",
        programme=world.programme,
        subject="Antrag {{ file_number }} ist da",
        body="Hallo {{ recipient_name }},\n\nwir haben „{{ title }}“ erhalten.\n\n- Punkt & Komma",
    )

    app = advance(draft(world), world, S.SUBMITTED)

    messages = written("application.submit")
    german = messages[world.owner.email]
    assert german.subject == f"Antrag {app.file_number} ist da"
    assert "„Sprachcafé im Stadtteil“" in german.body_text
    assert "- Punkt & Komma" in german.body_text  # text is not HTML-escaped
    assert "<li>Punkt &amp; Komma</li>" in german.body_html
    # English readers keep the shipped English text.
    assert messages[world.colleague.email].subject.startswith("Receipt")
