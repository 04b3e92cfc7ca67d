"""The admin for a new programme (issue 13, item 13): applicant types as checkboxes, a label
for every input, funding areas grouped by programme, and a contact address per programme that
pages and mails use instead of the funder's mailbox."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from applicants.models import ApplicantKind, User
from grants.admin import ProgrammeAdminForm
from grants.models import ApplicationState, Call, Programme
from notifications.models import Kind, Message
from tests.factories import advance, draft


@pytest.fixture
def root(client, world):
    client.force_login(User.objects.create_superuser("root@example.org", "x"))
    return client


def _unlabelled(page: str) -> list[str]:
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    missing = []
    for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        if re.search(r'type="(hidden|submit|button)"', control) or "aria-label=" in control:
            continue
        match = re.search(r'id="([^"]+)"', control)
        if match is None or match.group(1) not in labelled:
            missing.append(control)
    return missing


def test_applicant_types_are_checkboxes_with_german_names(root, world):
    page = root.get(reverse("admin:grants_programme_add")).content.decode()

    boxes = re.findall(r'<input type="checkbox" name="eligible_applicant_kinds"[^>]*>', page)
    assert len(boxes) == len(ApplicantKind.choices)
    assert "Migrant*innenorganisation" in page
    assert '<textarea name="eligible_applicant_kinds"' not in page


def test_checked_types_are_stored_as_the_programme_s_list(world):
    programme = world.programme
    data = {k: v for k, v in model_to_dict(programme).items() if v is not None}
    data["eligible_applicant_kinds"] = ["association", "individual"]

    form = ProgrammeAdminForm(data=data, instance=programme)

    assert form.is_valid(), form.errors
    form.save()
    programme.refresh_from_db()
    assert programme.eligible_applicant_kinds == ["association", "individual"]


def test_an_unknown_type_is_refused(world):
    data = {k: v for k, v in model_to_dict(world.programme).items() if v is not None}
    data["eligible_applicant_kinds"] = ["political_party"]

    form = ProgrammeAdminForm(data=data, instance=world.programme)

    assert not form.is_valid()
    assert "eligible_applicant_kinds" in form.errors


@pytest.mark.parametrize("page", ["add", "change"])
def test_every_input_of_the_programme_pages_has_a_name(root, world, page):
    world.programme.areas.create(code="mitte", name="Mitte", position=1)
    url = (
        reverse("admin:grants_programme_add")
        if page == "add"
        else reverse("admin:grants_programme_change", args=[world.programme.pk])
    )
    html = root.get(url).content.decode()

    assert _unlabelled(html) == []
    if page == "change":
        assert 'aria-label="Bezeichnung, Zeile 1"' in html
    assert 'aria-label="Bezeichnung, neue Zeile"' in html  # the template row that "add" copies


def test_funding_areas_are_grouped_by_programme(world, root):
    world.programme.funding_areas.create(code="gross", name="Großprojekte", position=1)
    other = Programme.objects.exclude(pk=world.programme.pk).first() or world.programme
    other.funding_areas.create(code="klein", name="Kleinprojekte", position=2)
    model_admin = admin.site._registry[Call]
    request = RequestFactory().get("/")
    request.user = User.objects.get(email="root@example.org")

    form = model_admin.get_form(request)()

    html = str(form["funding_area"])
    assert f'<optgroup label="{world.programme.code} – {world.programme.name}">' in html
    assert "Großprojekte" in html and "Kleinprojekte" in html


def test_the_programme_s_own_address_is_used_in_pages_and_mails(client, world):
    world.programme.contact_email = "vielfalt@region.example"
    world.programme.save(update_fields=["contact_email"])

    app = advance(draft(world), world, ApplicationState.SUBMITTED)

    receipt = Message.objects.filter(kind=Kind.RECEIPT, to=world.owner.email).get()
    assert "vielfalt@region.example" in receipt.body_text
    client.force_login(world.owner)
    page = client.get(reverse("portal:detail", args=[app.pk])).content.decode()
    assert "mailto:vielfalt@region.example" in page


def test_without_its_own_address_the_funder_s_is_used(world):
    world.programme.funding_body.email = "foerderung@stadt.example"
    assert world.programme.contact_address == "foerderung@stadt.example"
