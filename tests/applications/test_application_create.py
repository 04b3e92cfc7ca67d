import datetime as dt

import pytest
from django.utils import timezone

from grants.errors import NotPermitted, RuleViolated
from grants.models import Application, ApplicationState
from grants.services.applications import application_create


def test_member_starts_a_draft_in_an_open_call(world):
    app = application_create(
        actor=world.colleague, applicant=world.applicant, call=world.call, title=" Sprachcafé "
    )
    assert (app.state, app.title, app.programme, app.file_number) == (
        ApplicationState.DRAFT,
        "Sprachcafé",
        world.programme,
        None,
    )


def test_outsider_cannot_start_a_draft_for_the_applicant(world):
    with pytest.raises(NotPermitted):
        application_create(
            actor=world.outsider, applicant=world.applicant, call=world.call, title="x"
        )
    assert not Application.objects.exists()


def test_no_draft_in_a_closed_call(world):
    world.call.deadline = timezone.now() - dt.timedelta(seconds=1)
    world.call.save()
    with pytest.raises(RuleViolated, match="nicht geöffnet"):
        application_create(actor=world.owner, applicant=world.applicant, call=world.call, title="x")
