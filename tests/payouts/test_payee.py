"""The bank account that is paid is the one that was certified (issue 10 §4, issue 11 High 3):
the payee is stored on the payout, a change of bank details is recorded, mailed to the owners
and sends every payout not yet exported back to certification."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Applicant
from applicants.services import applicant_update
from grants.errors import RuleViolated
from grants.models import ApplicationState, Payout, StatusChange
from grants.services.payouts import (
    payout_certify,
    payout_mark_exported,
    payout_order,
    payout_plan,
    payout_request,
)
from notifications.models import Kind, Message
from reporting import reports
from reporting.models import ExportBatch
from reporting.services import payout_orders_export
from tests.factories import advance, draft

S = ApplicationState
OLD_IBAN = "DE89370400440532013000"
NEW_IBAN = "DE02120300000000202051"


@pytest.fixture
def granted(world):
    return advance(draft(world), world, S.FINAL)


def _planned(world, app, amount="1000.00") -> Payout:
    return payout_plan(
        application=app, actor=world.case_worker, amount=D(amount), due_date=timezone.localdate()
    )


def _certified(world, app, amount="1000.00") -> Payout:
    payout = _planned(world, app, amount)
    return payout_certify(payout=payout, actor=world.case_worker)


def _change_bank(world, iban=NEW_IBAN, holder="Neues Konto e. V.") -> Applicant:
    return applicant_update(
        applicant=world.applicant,
        actor=world.owner,
        data={"iban": iban, "bic": "", "account_holder": holder},
    )


def _exported_rows(batch: ExportBatch) -> list[tuple]:
    columns = [str(c.header) for c in reports.payout_order_columns()]
    iban, payee = columns.index("IBAN"), columns.index("Zahlungsempfänger*in")
    return [(row[payee], row[iban]) for row in reports.payout_order_rows(batch)]


def test_the_payee_is_stored_on_the_payout_when_planned_or_requested(world, granted):
    planned = _planned(world, granted)
    requested = payout_request(
        application=granted,
        actor=world.owner,
        amount=D("500"),
        needed_on=timezone.localdate(),
    )
    for payout in (planned, requested):
        assert (payout.payee_name, payout.payee_iban) == (world.applicant.account_holder, OLD_IBAN)


def test_a_call_for_funds_without_bank_details_is_refused(world, granted):
    Applicant.objects.filter(pk=world.applicant.pk).update(iban="")
    with pytest.raises(RuleViolated, match="fehlt die Bankverbindung"):
        payout_request(
            application=granted,
            actor=world.owner,
            amount=D("500"),
            needed_on=timezone.localdate(),
        )
    assert not granted.payouts.exists()


def test_a_payout_without_an_account_cannot_be_certified(world, granted):
    payout = _planned(world, granted)
    Payout.objects.filter(pk=payout.pk).update(payee_iban="")
    payout.refresh_from_db()
    with pytest.raises(RuleViolated, match="keine Bankverbindung hinterlegt"):
        payout_certify(payout=payout, actor=world.case_worker)


def test_a_bank_change_after_certification_sends_the_payout_back_and_the_export_pays_the_certified_account_or_nothing(
    world, granted
):
    payout = _certified(world, granted)
    payout_order(payout=payout, actor=world.second_case_worker)

    _change_bank(world)

    payout.refresh_from_db()
    assert payout.state == Payout.State.RETURNED
    assert (payout.payee_iban, payout.certified_by, payout.ordered_by) == (NEW_IBAN, None, None)
    change = StatusChange.objects.get(payout=payout, transition="return_for_certification")
    assert (change.source_state, change.actor) == (Payout.State.ORDERED, world.owner)
    assert "Bankverbindung der Organisation wurde am" in change.reason
    # Nothing ordered any more: the export pays nothing rather than an unchecked account.
    with pytest.raises(RuleViolated, match="keine angeordneten Auszahlungen"):
        payout_orders_export(actor=world.finance, programme=world.programme)

    payout_certify(payout=payout, actor=world.case_worker)
    payout_order(payout=payout, actor=world.second_case_worker)
    batch = payout_orders_export(actor=world.finance, programme=world.programme)
    assert _exported_rows(batch) == [("Neues Konto e. V.", NEW_IBAN)]


def test_an_exported_payout_keeps_the_account_it_was_certified_for(world, granted):
    payout = _certified(world, granted)
    payout_order(payout=payout, actor=world.second_case_worker)
    batch = payout_orders_export(actor=world.finance, programme=world.programme)

    _change_bank(world)

    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED
    assert _exported_rows(batch) == [(world.applicant.account_holder, OLD_IBAN)]


def test_an_uncertified_payout_takes_the_new_account_with_a_record(world, granted):
    payout = _planned(world, granted)
    _change_bank(world)
    payout.refresh_from_db()
    assert (payout.state, payout.payee_iban) == (Payout.State.PLANNED, NEW_IBAN)
    assert StatusChange.objects.filter(payout=payout, transition="take_new_bank_details").exists()


def test_a_bank_change_is_recorded_with_who_and_when_and_mailed_to_the_owners(world, granted):
    _certified(world, granted)
    _change_bank(world)

    latest = world.applicant.history.first()
    assert (latest.iban, latest.history_user) == (NEW_IBAN, world.owner)
    assert latest.prev_record.iban == OLD_IBAN
    assert latest.history_date.date() == timezone.now().date()
    mails = Message.objects.filter(kind=Kind.BANK_DETAILS_CHANGED)
    assert [m.to for m in mails] == [world.owner.email.lower()]  # owners only, not colleagues
    assert "DE02 … 2051" in mails[0].body_text
    assert "erneut geprüft und angewiesen" in mails[0].body_text


def test_other_profile_changes_leave_the_payouts_alone(world, granted):
    payout = _certified(world, granted)
    applicant_update(applicant=world.applicant, actor=world.owner, data={"phone": "0511 123"})
    payout.refresh_from_db()
    assert payout.state == Payout.State.CERTIFIED
    assert not Message.objects.filter(kind=Kind.BANK_DETAILS_CHANGED).exists()


def test_a_bank_change_through_the_profile_form_sends_the_payout_back(client, world, granted):
    payout = _certified(world, granted)
    client.force_login(world.owner)
    url = reverse("applicants:applicant_edit", args=[world.applicant.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(iban="DE02 1203 0000 0000 2020 51", account_holder="Neues Konto e. V.", bic="")

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    payout.refresh_from_db()
    assert (payout.state, payout.payee_iban) == (Payout.State.RETURNED, NEW_IBAN)


def test_a_bad_iban_through_the_form_changes_nothing(client, world, granted):
    payout = _certified(world, granted)
    client.force_login(world.owner)
    url = reverse("applicants:applicant_edit", args=[world.applicant.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(iban="DE00 1234")

    response = client.post(url, data)

    assert "IBAN" in response.content.decode()
    payout.refresh_from_db()
    assert (payout.state, payout.payee_iban) == (Payout.State.CERTIFIED, OLD_IBAN)


def test_the_file_shows_the_payee_at_the_certify_and_order_steps(client, world, granted):
    payout = _planned(world, granted)
    client.force_login(world.case_worker)
    page = client.get(reverse("casework:file", args=[granted.pk])).content.decode()
    assert "DE89 3704 0044 0532 0130 00" in page
    payout_certify(payout=payout, actor=world.case_worker)
    _change_bank(world)
    page = client.get(reverse("casework:file", args=[granted.pk])).content.decode()
    assert "neu zu zeichnen (Bankverbindung geändert)" in page
    assert "DE02 1203 0000 0000 2020 51" in page
    assert "Bitte die neue Bankverbindung prüfen" in page


def test_an_export_after_the_bank_change_on_a_stale_copy_pays_nothing(world, granted):
    """The export claims by ``state = 'ordered'``: a payout sent back meanwhile is not taken,
    even by a caller holding an old copy of it."""
    payout = _certified(world, granted)
    payout_order(payout=payout, actor=world.second_case_worker)
    stale = Payout.objects.get(pk=payout.pk)
    _change_bank(world)
    with pytest.raises(Exception):  # noqa: B017 - refused either way, and nothing written
        payout_mark_exported(payout=stale, actor=world.finance)
    payout.refresh_from_db()
    assert payout.state == Payout.State.RETURNED
