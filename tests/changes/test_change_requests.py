"""Change requests (Änderungsanträge) during the project: period extension and plan change."""

import datetime as dt

import pytest

from grants.errors import ChangedMeanwhile, NotPermitted, RuleViolated
from grants.models import (
    Application,
    ApplicationState,
    ChangeRequest,
    StatusChange,
    add_months,
    period_last_day,
)
from grants.services.base import application_seen
from grants.services.changes import change_request_decide, change_request_submit
from tests.factories import advance, draft

S = ApplicationState
PERIOD, PLAN = ChangeRequest.Kind.PERIOD, ChangeRequest.Kind.PLAN


@pytest.fixture
def final(world) -> Application:
    return advance(draft(world), world, to=S.FINAL)


def _submit(app, world, **kwargs):
    kwargs.setdefault("kind", PERIOD)
    kwargs.setdefault("reason", "Die Räume waren drei Monate gesperrt.")
    if kwargs["kind"] == PERIOD:
        kwargs.setdefault("new_funding_end", app.funding_end + dt.timedelta(days=30))
    kwargs.setdefault("actor", world.owner)
    return change_request_submit(application=app, **kwargs)


def _changes(obj) -> list[tuple[str, str, str]]:
    return [
        (c.transition, c.source_state, c.target_state)
        for c in StatusChange.objects.filter(change_request=obj)
    ]


@pytest.mark.parametrize("who", ["outsider", "case_worker"])
def test_only_members_of_the_applicant_may_submit(world, final, who):
    with pytest.raises(NotPermitted):
        _submit(final, world, actor=getattr(world, who))
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("state", [S.APPROVED, S.PROOF_DUE])
def test_submit_refused_outside_final_and_running(world, state):
    app = advance(draft(world), world, to=state)
    with pytest.raises(RuleViolated, match="solange der Bescheid bestandskräftig"):
        _submit(app, world, kind=PLAN)
    assert not ChangeRequest.objects.exists()


def test_new_end_must_lie_within_the_programme_limit(world, final):
    # Twelve months from the start end the day before the start's day a year later.
    limit = period_last_day(final.funding_start, world.programme.max_project_months)
    assert limit == add_months(final.funding_start, 12) - dt.timedelta(days=1)
    with pytest.raises(RuleViolated, match="höchstens 12 Monate") as refused:
        _submit(final, world, new_funding_end=limit + dt.timedelta(days=1))
    assert limit.strftime("%d.%m.%Y") in refused.value.messages[0]
    assert not ChangeRequest.objects.exists()
    assert _submit(final, world, new_funding_end=limit).new_funding_end == limit


@pytest.mark.parametrize("days", [0, -1])
def test_new_end_must_lie_after_the_current_end(world, final, days):
    with pytest.raises(RuleViolated, match="nach dem bisherigen Ende"):
        _submit(final, world, new_funding_end=final.funding_end + dt.timedelta(days=days))
    assert not ChangeRequest.objects.exists()
    assert not StatusChange.objects.filter(lifecycle="change_request").exists()


def test_period_needs_a_new_end_and_every_request_a_reason(world, final):
    with pytest.raises(RuleViolated, match="neue Ende"):
        _submit(final, world, new_funding_end=None)
    with pytest.raises(RuleViolated, match="begründen"):
        _submit(final, world, kind=PLAN, reason="  ")
    assert not ChangeRequest.objects.exists()


def test_only_one_open_request_per_application(world, final):
    first = _submit(final, world)
    assert first.state == ChangeRequest.State.REQUESTED
    assert _changes(first) == [("request", "", "requested")]
    with pytest.raises(RuleViolated, match="bereits ein offener Änderungsantrag"):
        _submit(final, world, kind=PLAN, actor=world.colleague)
    assert ChangeRequest.objects.count() == 1

    change_request_decide(
        application=first.application,
        actor=world.case_worker,
        approve=False,
        note="Nicht begründet.",
    )
    assert _submit(final, world, kind=PLAN).state == ChangeRequest.State.REQUESTED


def test_approval_extends_the_funding_period_and_the_proof_due_date(world, final):
    old_end = final.funding_end
    new_end = old_end + dt.timedelta(days=45)
    request = _submit(final, world, new_funding_end=new_end)

    change_request_decide(
        application=request.application,
        actor=world.case_worker,
        approve=True,
        note="Einverstanden.",
    )

    request.refresh_from_db()
    final.refresh_from_db()
    assert request.state == ChangeRequest.State.APPROVED
    assert (request.decided_by, request.decision_note) == (world.case_worker, "Einverstanden.")
    assert request.decided_at is not None
    assert final.state == S.FINAL
    assert final.funding_end == new_end
    assert final.proof_due_date == add_months(new_end, world.programme.proof_of_use_months)
    assert _changes(request) == [("request", "", "requested"), ("approve", "requested", "approved")]
    trail = StatusChange.objects.get(application=final, transition="extend_funding_period")
    assert trail.lifecycle == StatusChange.Lifecycle.APPLICATION
    assert (trail.source_state, trail.target_state) == (S.FINAL, S.FINAL)
    assert trail.reason == request.reason
    assert trail.data["previous"] == old_end.isoformat()
    assert trail.data["funding_end"] == new_end.isoformat()
    assert trail.data["proof_due_date"] == final.proof_due_date.isoformat()


def test_approving_a_plan_change_only_records_the_decision(world, final):
    before = (final.funding_end, final.proof_due_date)
    request = _submit(final, world, kind=PLAN, reason="Honorare statt Sachkosten.")
    assert request.new_funding_end is None
    change_request_decide(application=request.application, actor=world.case_worker, approve=True)
    final.refresh_from_db()
    assert (final.funding_end, final.proof_due_date) == before
    assert not StatusChange.objects.filter(transition="extend_funding_period").exists()
    assert _changes(request)[-1] == ("approve", "requested", "approved")


def test_rejection_needs_a_note(world, final):
    request = _submit(final, world)
    with pytest.raises(RuleViolated, match="Begründung"):
        change_request_decide(
            application=request.application, actor=world.case_worker, approve=False, note=" "
        )
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.REQUESTED

    change_request_decide(
        application=request.application,
        actor=world.case_worker,
        approve=False,
        note="Zu spät beantragt.",
    )
    request.refresh_from_db()
    final.refresh_from_db()
    assert request.state == ChangeRequest.State.REJECTED
    assert request.decision_note == "Zu spät beantragt."
    assert final.funding_end != request.new_funding_end
    assert _changes(request)[-1] == ("reject", "requested", "rejected")


@pytest.mark.parametrize("approve", [True, False])
@pytest.mark.parametrize("who", ["owner", "foreign_case_worker"])
def test_applicant_and_other_programmes_cannot_decide(world, final, approve, who):
    request = _submit(final, world)
    with pytest.raises(NotPermitted):
        change_request_decide(
            application=request.application, actor=getattr(world, who), approve=approve, note="Ja."
        )
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.REQUESTED
    assert _changes(request) == [("request", "", "requested")]


def test_decision_refused_once_the_project_is_over(world):
    app = advance(draft(world), world, to=S.RUNNING)
    request = _submit(app, world, kind=PLAN)
    Application.objects.filter(pk=app.pk).update(state=S.PROOF_DUE)
    request.refresh_from_db()
    with pytest.raises(RuleViolated, match="Änderungen sind nur möglich"):
        change_request_decide(
            application=request.application, actor=world.case_worker, approve=True
        )


def test_a_stale_copy_cannot_decide_again(world, final):
    request = _submit(final, world)
    # Both case workers opened the file before either decided.
    seen = application_seen(final)
    change_request_decide(
        application=request.application, actor=world.case_worker, approve=True, seen=seen
    )
    final.refresh_from_db()
    extended = (final.funding_end, final.proof_due_date)

    with pytest.raises(ChangedMeanwhile):
        change_request_decide(
            application=request.application,
            actor=world.second_case_worker,
            approve=False,
            note="Nein.",
            seen=seen,
        )
    request.refresh_from_db()
    final.refresh_from_db()
    assert request.state == ChangeRequest.State.APPROVED
    assert (final.funding_end, final.proof_due_date) == extended
    assert len(_changes(request)) == 2


def test_applicant_timeline_tells_change_requests_apart_from_the_application(world, final):
    from grants.views.applicant.timeline import timeline

    request = _submit(final, world)
    change_request_decide(application=request.application, actor=world.case_worker, approve=True)
    plan = _submit(final, world, kind=PLAN)
    change_request_decide(
        application=plan.application, actor=world.case_worker, approve=False, note="Nicht nötig."
    )
    final.refresh_from_db()
    texts = [(entry.text, entry.detail) for entry in timeline(final)][-5:]
    end = final.funding_end.strftime("%d.%m.%Y")
    due = final.proof_due_date.strftime("%d.%m.%Y")
    assert texts == [
        ("Sie haben eine Änderung beantragt.", ""),
        ("Ihr Änderungsantrag ist genehmigt.", ""),
        (
            f"Der Förderzeitraum ist verlängert bis {end}. "
            f"Der Verwendungsnachweis ist bis {due} fällig.",
            "",
        ),
        ("Sie haben eine Änderung beantragt.", ""),
        ("Ihr Änderungsantrag ist abgelehnt.", "Nicht nötig."),
    ]


def test_applicant_requests_a_change_on_the_application_page(client, world, final):
    from django.urls import reverse

    client.force_login(world.owner)
    detail = reverse("portal:detail", args=[final.pk])
    url = reverse("portal:change_request", args=[final.pk])
    assert url in client.get(detail).content.decode()

    refused = client.post(url, {"kind": PERIOD, "reason": "Mehr Zeit."})
    assert refused.status_code == 422
    assert "neue Ende des Förderzeitraums" in refused.content.decode()
    new_end = final.funding_end + dt.timedelta(days=20)
    response = client.post(
        url, {"kind": PERIOD, "reason": "Mehr Zeit.", "new_funding_end": new_end.isoformat()}
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert (request.kind, request.new_funding_end, request.requested_by) == (
        PERIOD,
        new_end,
        world.owner,
    )
    page = client.get(detail).content.decode()
    assert "Verlängerung des Förderzeitraums" in page and "beantragt" in page
    assert url not in page  # one open request at a time

    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_case_worker_decides_in_the_file(client, world, final):
    from django.urls import reverse

    request = _submit(final, world, kind=PLAN, reason="Honorare statt Sachkosten.")
    client.force_login(world.case_worker)
    file_url = reverse("casework:file", args=[final.pk])
    step_url = reverse("casework:step", args=[final.pk, "aenderungsantrag"])
    assert step_url in client.get(file_url).content.decode()
    page = client.get(step_url)
    assert "Honorare statt Sachkosten." in page.content.decode()
    seen = page.context["form"].initial["seen"]

    refused = client.post(step_url, {"seen": seen, "decision": "reject", "note": ""})
    assert refused.status_code == 422
    assert "Begründung" in refused.content.decode()
    response = client.post(step_url, {"seen": seen, "decision": "reject", "note": "Nicht nötig."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (ChangeRequest.State.REJECTED, world.case_worker)
    assert step_url not in client.get(file_url).content.decode()
