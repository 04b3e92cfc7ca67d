"""The committee's vote binds: above the amount the administration decides alone, an approval
needs a yes vote and at most the recommended amount. A deviation needs a new vote, or, only
where the programme allows it, a recorded reason that the second person confirms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grants.errors import RuleViolated
from grants.models import ApplicationState, CommitteeVote, Decision
from grants.services.committees import agenda_item_record_votes
from grants.services.decisions import decision_confirm, decision_propose
from tests.casework_pages import seen, step_url
from tests.factories import advance, draft, refer, vote

S = ApplicationState
D = Decimal


@pytest.fixture
def voted(world):
    """16,000 € requested, above the administration's limit of 10,000 €: on the agenda."""
    app = advance(draft(world, costs=D("20000.00"), own=D("4000.00")), world, S.IN_REVIEW)
    assert app.needs_committee_vote
    return app, refer(app, world)


def _propose(app, world, amount, **kwargs):
    return decision_propose(
        application=app,
        actor=world.case_worker,
        amount=amount,
        funding_start=app.start_date,
        funding_end=app.start_date,
        purpose="Sprachcafé",
        **kwargs,
    )


def test_an_approval_after_a_no_vote_is_refused(world, voted):
    app, item = voted
    vote(item, world, yes=0, no=5)
    app.refresh_from_db()
    assert app.state == S.VOTED
    with pytest.raises(RuleViolated) as refused:
        _propose(app, world, D("8000.00"))
    assert "keine Bewilligung empfohlen (Ja 0, Nein 5, Enthaltung 0)" in refused.value.messages[0]
    assert refused.value.messages[1] == (
        "Das Votum bindet: Für eine Abweichung braucht es ein neues Votum des Gremiums."
    )
    app.refresh_from_db()
    assert app.state == S.VOTED
    assert not Decision.objects.exists()


def test_more_than_recommended_is_refused_and_the_recommended_amount_passes(world, voted):
    app, item = voted
    agenda_item_record_votes(
        item=item,
        actor=world.case_worker,
        votes={m.pk: "yes" for m in item.meeting.committee.members.all()},
        recommended_amount=D("3000.00"),
    )
    app.refresh_from_db()
    with pytest.raises(RuleViolated) as refused:
        _propose(app, world, D("8000.00"))
    assert refused.value.messages[0] == (
        "Die Zuwendung von 8.000,00 € übersteigt den vom Gremium empfohlenen Betrag von 3.000,00 €."
    )
    assert not Decision.objects.exists()
    decision = _propose(app, world, D("3000.00"))
    assert decision.amount == D("3000.00")


def test_a_new_vote_allows_what_the_old_one_did_not(world, voted):
    app, item = voted
    vote(item, world, yes=1, no=4)
    app.refresh_from_db()
    with pytest.raises(RuleViolated):
        _propose(app, world, D("8000.00"))
    # Back on the agenda of the next meeting: the new vote replaces the old one.
    second = refer(app, world)
    assert app.__class__.objects.get(pk=app.pk).state == S.AWAITING_VOTE
    vote(second, world, yes=4, no=1)
    app.refresh_from_db()
    decision = _propose(app, world, D("8000.00"))
    decision_confirm(application=app, actor=world.second_case_worker)
    app.refresh_from_db()
    assert app.state == S.APPROVED
    assert decision.amount == D("8000.00")


def test_a_programme_that_allows_deviation_needs_a_reason_shown_to_the_second_person(
    client, world, voted
):
    world.programme.vote_deviation_allowed = True
    world.programme.save(update_fields=["vote_deviation_allowed"])
    app, item = voted
    agenda_item_record_votes(
        item=item,
        actor=world.case_worker,
        votes={m.pk: "yes" for m in item.meeting.committee.members.all()},
        recommended_amount=D("3000.00"),
    )
    app.refresh_from_db()
    with pytest.raises(RuleViolated) as refused:
        _propose(app, world, D("8000.00"))
    assert "braucht eine Begründung, die die zweite Person bestätigt" in refused.value.messages[1]
    _propose(
        app,
        world,
        D("8000.00"),
        vote_deviation_reason="Die Mietkosten sind nach der Sitzung gestiegen.",
    )
    client.force_login(world.second_case_worker)
    page = client.get(step_url(app, "bestaetigen")).content.decode()
    assert "Abweichung vom Votum" in page
    assert "Die Mietkosten sind nach der Sitzung gestiegen." in page
    response = client.post(step_url(app, "bestaetigen"), {"seen": seen(app), "note": "geprüft"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.APPROVED
    assert app.approved_amount == D("8000.00")


def test_without_the_programme_allowing_it_a_reason_does_not_help(world, voted):
    app, item = voted
    vote(item, world, yes=0, no=5)
    app.refresh_from_db()
    with pytest.raises(RuleViolated, match="braucht es ein neues Votum"):
        _propose(app, world, D("8000.00"), vote_deviation_reason="Wir sehen das anders.")


def test_the_form_refuses_more_than_recommended_and_changes_nothing(client, world, voted):
    app, item = voted
    agenda_item_record_votes(
        item=item,
        actor=world.case_worker,
        votes={m.pk: "yes" for m in item.meeting.committee.members.all()},
        recommended_amount=D("3000.00"),
    )
    client.force_login(world.case_worker)
    page = client.get(step_url(app, "bewilligung")).content.decode()
    # The programme does not allow deviations: no field for a reason is offered.
    assert "vote_deviation_reason" not in page
    start = app.start_date
    data = {
        "seen": seen(app),
        "amount": "8.000,00",
        "financing_type": "fixed_amount",
        "funding_start": start.isoformat(),
        "funding_end": start.isoformat(),
        "purpose": "Sprachcafé",
        "instalments": "",
    }
    response = client.post(step_url(app, "bewilligung"), data)
    assert response.status_code == 422
    assert "übersteigt den vom Gremium empfohlenen Betrag von 3.000,00 €" in (
        response.content.decode()
    )
    app.refresh_from_db()
    assert app.state == S.VOTED
    assert not Decision.objects.exists()


def test_confirming_checks_the_vote_again(world, voted):
    app, item = voted
    vote(item, world, yes=5, no=0)
    app.refresh_from_db()
    _propose(app, world, D("8000.00"))
    # The recorded vote is corrected afterwards (e.g. a counting error in the minutes).
    CommitteeVote.objects.filter(application=app).update(recommended_amount=D("3000.00"))
    with pytest.raises(RuleViolated, match="übersteigt den vom Gremium empfohlenen Betrag"):
        decision_confirm(application=app, actor=world.second_case_worker)
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED
