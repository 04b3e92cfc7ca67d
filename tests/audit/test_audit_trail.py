import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone

from grants.models import ApplicationState, BudgetEntry, DomainEvent, StatusChange
from tests.factories import advance, draft

S = ApplicationState


def test_every_step_of_the_main_path_is_recorded_with_actor_and_event(world):
    app = advance(draft(world), world, S.PROOF_ACCEPTED)
    changes = list(StatusChange.objects.filter(application=app, lifecycle="application"))
    assert [(c.source_state, c.target_state) for c in changes] == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.IN_REVIEW),
        (S.IN_REVIEW, S.DECISION_PROPOSED),
        (S.DECISION_PROPOSED, S.APPROVED),
        (S.APPROVED, S.FINAL),
        (S.FINAL, S.RUNNING),
        (S.RUNNING, S.PROOF_DUE),
        (S.PROOF_DUE, S.PROOF_SUBMITTED),
        (S.PROOF_SUBMITTED, S.PROOF_ACCEPTED),
    ]
    actors = [c.actor for c in changes]
    assert actors[0] == world.owner
    assert actors[3] == world.second_case_worker
    assert actors[5] is None, "the deadline job acts as the system"
    assert DomainEvent.objects.filter(status_change__in=changes).count() == len(changes)


def test_status_changes_cannot_be_changed_or_deleted(world):
    app = advance(draft(world), world, S.SUBMITTED)
    change = StatusChange.objects.get(application=app)
    change.reason = "nachträglich"
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()
    assert StatusChange.objects.get(pk=change.pk).reason == ""


def test_status_change_must_name_the_object_of_its_lifecycle(world):
    app = draft(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            application=app, lifecycle="payout", transition="x", source_state="a", target_state="b"
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize("model", [StatusChange, DomainEvent, BudgetEntry])
def test_database_refuses_to_rewrite_the_records(world, model):
    advance(draft(world), world, S.APPROVED)
    assert model.objects.exists()
    # As the owner the trigger refuses; as the app role (CI) its privileges refuse first.
    refused = (IntegrityError, ProgrammingError)
    with pytest.raises(refused, match=r"append-only|permission denied"), transaction.atomic():
        model.objects.all().update(created_at=timezone.now())
    with pytest.raises(refused, match=r"append-only|permission denied"), transaction.atomic():
        model.objects.all()._raw_delete(model.objects.db)
