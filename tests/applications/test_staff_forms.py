"""Staff forms answer bad input as the applicant forms do: the page again, a summary of every
error at the top linking to its field, the input as typed, nothing changed. Money is typed and
shown in German notation (issue 13, item 9)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import AgendaItem, ApplicationState, Decision, InternalNote, Meeting
from tests.casework_pages import file_url, seen, step_url
from tests.factories import advance, draft

S = ApplicationState


def _summary(page: str) -> str:
    match = re.search(r"<div[^>]*data-error-summary.*?</ul>", page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def _proposal(app, **changes):
    start = max(app.start_date, timezone.localdate())
    data = {
        "seen": seen(app),
        "amount": "3.000,00",
        "financing_type": "fixed_amount",
        "funding_start": start.isoformat(),
        "funding_end": start.isoformat(),
        "purpose": "Sprachcafé",
        "conditions": "",
        "instalments": "",
        "note": "",
    }
    return {**data, **changes}


def test_a_step_with_errors_lists_each_with_a_link_to_its_field(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)

    response = client.post(
        step_url(app, "bewilligung"), _proposal(app, amount="7000.00", purpose="")
    )

    assert response.status_code == 422
    page = response.content.decode()
    summary = _summary(page)
    assert "Bitte prüfen Sie 2 Angaben." in summary
    assert 'href="#id_amount"' in summary
    assert "Zuwendung in €: Bitte geben Sie einen Betrag in Euro an" in summary
    assert 'href="#id_purpose"' in summary
    assert 'value="7000.00"' in page  # kept as typed, to be corrected
    assert not Decision.objects.exists()


def test_amounts_are_typed_in_german_notation(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)

    response = client.post(step_url(app, "bewilligung"), _proposal(app, amount="3.000,00"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.get().amount == Decimal("3000.00")


def test_amounts_are_shown_in_german_notation_in_a_text_box(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)

    page = client.get(step_url(app, "bewilligung")).content.decode()

    amount = re.search(r'<input[^>]*name="amount"[^>]*>', page).group(0)
    assert 'type="text"' in amount
    assert 'inputmode="decimal"' in amount
    assert re.search(r'value="\d{1,3}(\.\d{3})*,\d\d"', amount), amount
    assert 'type="number"' not in page


def test_a_refused_step_is_in_the_summary(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)
    data = _proposal(app, amount="999.999,00")

    response = client.post(step_url(app, "bewilligung"), data)

    assert response.status_code == 422
    assert "Der Schritt wurde nicht ausgeführt" in response.content.decode()
    _summary(response.content.decode())
    assert not Decision.objects.exists()


def test_an_empty_note_keeps_the_file_open_with_a_summary(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)

    response = client.post(f"{file_url(app)}vermerk/", {"text": "  "})

    assert response.status_code == 422
    assert 'href="#id_text"' in _summary(response.content.decode())
    assert not InternalNote.objects.exists()


@pytest.fixture
def meeting_item(client, world):
    world.call.decision_track = "committee"
    world.call.save(update_fields=["decision_track"])
    app = advance(draft(world), world, S.IN_REVIEW)
    committee = world.programme.committees.get()
    client.force_login(world.case_worker)
    client.post(
        "/sachbearbeitung/sitzungen/",
        {"committee": committee.pk, "date": (timezone.localdate() + dt.timedelta(days=7))},
    )
    meeting = Meeting.objects.get()
    client.post(
        step_url(app, "tagesordnung"),
        {"seen": seen(app), "meeting": meeting.pk, "proposed_amount": "8.000,00", "note": ""},
    )
    meeting.refresh_from_db()
    return meeting, AgendaItem.objects.get()


def test_a_new_meeting_without_date_gets_a_summary(client, world):
    client.force_login(world.case_worker)
    committee = world.programme.committees.get()

    response = client.post("/sachbearbeitung/sitzungen/", {"committee": committee.pk, "date": ""})

    assert response.status_code == 422
    assert 'href="#id_date"' in _summary(response.content.decode())
    assert not Meeting.objects.exists()


def test_a_vote_with_an_amount_in_the_wrong_notation_gets_a_summary(client, world, meeting_item):
    meeting, item = meeting_item
    prefix = f"item{item.pk}"

    response = client.post(
        f"/sachbearbeitung/sitzungen/{meeting.pk}/abstimmung/",
        {
            "item": item.pk,
            f"{prefix}-version": meeting.version,
            f"{prefix}-recommended_amount": "8000.00",
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert f'href="#id_{prefix}-recommended_amount"' in _summary(page)
    assert 'value="8000.00"' in page
    assert not item.member_votes.exists()
