import pytest
from django.contrib import admin
from django.urls import reverse

from applicants.models import User
from grants.models import Application, ApplicationState, Payout, StatusChange
from tests.factories import advance, build_world, draft


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def admin_client_(client, world):
    client.force_login(User.objects.create_superuser("root@example.org", "x"))
    return client


def test_every_registered_model_lists_and_opens(admin_client_, world):
    advance(draft(world), world, ApplicationState.APPROVED)
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client_.get(changelist).status_code == 200, changelist
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert admin_client_.get(change).status_code == 200, change


def test_lifecycles_cannot_be_edited_by_hand(admin_client_, world):
    app = advance(draft(world), world, ApplicationState.SUBMITTED)
    url = reverse("admin:grants_application_change", args=[app.pk])
    page = admin_client_.get(url).content.decode()
    assert 'name="state"' not in page
    admin_client_.post(url, {"state": ApplicationState.APPROVED, "title": "geändert"})
    app.refresh_from_db()
    assert (app.state, app.title) == (ApplicationState.SUBMITTED, "Sprachcafé im Stadtteil")
    model_admin = admin.site._registry[StatusChange]
    request = type("R", (), {"user": User.objects.get(email="root@example.org")})()
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not admin.site._registry[Application].has_add_permission(request)
    assert not admin.site._registry[Payout].has_add_permission(request)
