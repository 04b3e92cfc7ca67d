"""Every transition of every lifecycle is refused from every state it does not start from,
with a message and without any change; allowed paths are covered per use case elsewhere."""

import pytest

from grants import lifecycle
from grants.errors import RuleViolated
from grants.models import (
    Application,
    ApplicationState,
    ChangeRequest,
    Payout,
    RepaymentClaim,
    StatusChange,
)
from tests.factories import draft


def _transitions(model):
    field = model._meta.get_field("state")
    names = {t.name: set() for t in field.get_all_transitions(model)}
    for t in field.get_all_transitions(model):
        names[t.name].add(t.source)
    return names


APPLICATION_TRANSITIONS = _transitions(Application)
PAYOUT_TRANSITIONS = _transitions(Payout)
CLAIM_TRANSITIONS = _transitions(RepaymentClaim)
CHANGE_REQUEST_TRANSITIONS = _transitions(ChangeRequest)


def test_only_terminal_states_have_no_way_out():
    sources = set().union(*APPLICATION_TRANSITIONS.values())
    assert set(ApplicationState.values) - sources == {
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
        ApplicationState.CLOSED,
    }, "only the terminal states have no way out"


@pytest.mark.parametrize("name", list(APPLICATION_TRANSITIONS))
def test_application_transition_refused_outside_its_sources(world, name):
    app = draft(world)
    for state in set(ApplicationState.values) - APPLICATION_TRANSITIONS[name]:
        Application.objects.filter(pk=app.pk).update(state=state, file_number=f"X-{app.pk}")
        app.refresh_from_db()
        with pytest.raises(RuleViolated) as refused:
            lifecycle.fire(app, name, actor=world.case_worker)
        assert "nicht möglich" in refused.value.messages[0], (name, state)
        app.refresh_from_db()
        assert app.state == state
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("name", list(PAYOUT_TRANSITIONS))
def test_payout_transition_refused_outside_its_sources(world, name):
    app = draft(world)
    for state in set(Payout.State.values) - PAYOUT_TRANSITIONS[name]:
        payout = Payout.objects.create(
            application=app,
            programme_id=app.programme_id,
            state=state,
            amount=100,
            fiscal_year=2026,
            due_date="2026-12-01",
            payment_reference="x",
            requested_by=world.owner,
        )
        with pytest.raises(RuleViolated, match="nicht möglich"):
            lifecycle.fire(payout, name, actor=world.finance)
        payout.refresh_from_db()
        assert payout.state == state
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("name", list(CLAIM_TRANSITIONS))
def test_claim_transition_refused_outside_its_sources(world, name):
    app = draft(world)
    for state in set(RepaymentClaim.State.values) - CLAIM_TRANSITIONS[name]:
        claim = RepaymentClaim.objects.create(
            application=app,
            state=state,
            principal=100,
            reason="x",
            due_date="2026-12-01",
            created_by=world.case_worker,
        )
        with pytest.raises(RuleViolated, match="nicht möglich"):
            lifecycle.fire(claim, name, actor=world.case_worker)
        claim.refresh_from_db()
        assert claim.state == state
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("name", list(CHANGE_REQUEST_TRANSITIONS))
def test_change_request_transition_refused_outside_its_sources(world, name):
    app = draft(world)
    for state in set(ChangeRequest.State.values) - CHANGE_REQUEST_TRANSITIONS[name]:
        change_request = ChangeRequest.objects.create(
            application=app,
            state=state,
            kind=ChangeRequest.Kind.PLAN,
            reason="x",
            requested_by=world.owner,
        )
        with pytest.raises(RuleViolated, match="nicht möglich"):
            lifecycle.fire(change_request, name, actor=world.case_worker, by=world.case_worker)
        change_request.refresh_from_db()
        assert change_request.state == state
    assert not StatusChange.objects.exists()


def test_state_field_cannot_be_assigned(world):
    app = draft(world)
    with pytest.raises(AttributeError):
        app.state = ApplicationState.APPROVED
