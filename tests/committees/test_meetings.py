"""A committee meeting: agenda, conflicts of interest, votes, and the decisions of the meeting in
one go."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import (
    AgendaItem,
    ApplicationState,
    Meeting,
)
from grants.services.committees import agenda_item_record_votes
from tests.casework_pages import seen, step_url
from tests.factories import advance, draft

S = ApplicationState


def test_meeting_conflicts_votes_and_decisions_in_one_go(client, world):
    world.call.decision_track = "committee"
    world.call.save(update_fields=["decision_track"])
    app = advance(draft(world), world, S.IN_REVIEW)
    committee = world.programme.committees.get()
    a, b, c = committee.members.all()
    client.force_login(world.case_worker)
    meeting_date = timezone.localdate() + dt.timedelta(days=7)
    client.post(
        "/sachbearbeitung/sitzungen/",
        {"committee": committee.pk, "date": meeting_date.isoformat(), "location": "Rathaus"},
    )
    meeting = Meeting.objects.get()
    response = client.post(
        step_url(app, "tagesordnung"),
        {"seen": seen(app), "meeting": meeting.pk, "proposed_amount": "8.000,00", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = AgendaItem.objects.get()
    base = f"/sachbearbeitung/sitzungen/{meeting.pk}"
    meeting.refresh_from_db()
    client.post(
        f"{base}/befangenheit/",
        {
            "item": item.pk,
            f"c{item.pk}-version": meeting.version,
            f"c{item.pk}-member": c.pk,
            f"c{item.pk}-reason": "Vorstand",
        },
    )
    assert item.conflicts.get().member == c
    meeting.refresh_from_db()
    prefix = f"item{item.pk}"
    # A conflicted member's vote is refused.
    with pytest.raises(Exception):  # noqa: B017
        agenda_item_record_votes(item=item, actor=world.case_worker, votes={c.pk: "yes"})
    client.post(
        f"{base}/abstimmung/",
        {
            "item": item.pk,
            f"{prefix}-version": meeting.version,
            f"{prefix}-member_{a.pk}": "yes",
            f"{prefix}-member_{b.pk}": "abstain",
            f"{prefix}-recommended_amount": "7.000,00",
        },
    )
    item.refresh_from_db()
    assert (item.vote.votes_yes, item.vote.votes_no, item.vote.votes_abstain) == (1, 0, 1)
    assert item.result == AgendaItem.Result.APPROVE
    client.post(f"{base}/vorschlagen/")
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED
    assert app.pending_decision.amount == Decimal("7000.00")
    client.post(f"{base}/bestaetigen/")  # proposer: refused, nothing happens
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED
    client.force_login(world.second_case_worker)
    client.post(f"{base}/bestaetigen/")
    app.refresh_from_db()
    assert app.state == S.APPROVED
    for kind in ("tagesordnung", "ergebnisse"):
        response = client.get(f"{base}/{kind}.pdf")
        assert response.status_code == 200
        assert response.content[:5] == b"%PDF-"
