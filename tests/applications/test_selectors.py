import pytest
from django.http import Http404

from grants.models import ApplicationState
from grants.selectors.applications import (
    application_get_for_applicant,
    application_get_for_staff,
    applications_visible_to,
    can_view_application,
)
from tests.factories import advance, draft


def test_drafts_are_the_applicants_own(world):
    app = draft(world)
    assert application_get_for_applicant(world.colleague, app.pk) == app
    with pytest.raises(Http404):
        application_get_for_applicant(world.outsider, app.pk)
    with pytest.raises(Http404):
        application_get_for_staff(world.case_worker, app.pk)
    assert not can_view_application(world.case_worker, app)


def test_staff_see_submitted_applications_of_their_programmes_only(world):
    app = advance(draft(world), world, ApplicationState.SUBMITTED)
    assert application_get_for_staff(world.case_worker, app.pk) == app
    assert application_get_for_staff(world.finance, app.pk) == app
    with pytest.raises(Http404):
        application_get_for_staff(world.foreign_case_worker, app.pk)
    with pytest.raises(Http404):
        application_get_for_staff(world.owner, app.pk)
    assert set(applications_visible_to(world.case_worker)) == {app}
    assert set(applications_visible_to(world.outsider)) == set()
