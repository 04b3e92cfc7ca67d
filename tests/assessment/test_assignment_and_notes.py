"""Who handles a file (with its history) and internal notes."""

from __future__ import annotations

from grants.models import (
    ApplicationState,
    InternalNote,
)
from tests.casework_pages import file_url, seen, step_url
from tests.factories import advance, draft

S = ApplicationState


def test_assignment_is_kept_as_history_and_stale_assignment_refused(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    stale = seen(app)
    client.force_login(world.case_worker)
    response = client.post(
        step_url(app, "zustaendigkeit"),
        {"seen": stale, "assignee": world.second_case_worker.pk, "reason": "Vertretung"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.assigned_to == world.second_case_worker
    response = client.post(
        step_url(app, "zustaendigkeit"),
        {"seen": stale, "assignee": world.case_worker.pk, "reason": "zurück"},
    )
    assert response.status_code == 409
    app.refresh_from_db()
    assert app.assigned_to == world.second_case_worker
    assert app.assignment_changes.count() == 1


def test_internal_notes_are_staff_only(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.case_worker)
    client.post(
        f"/sachbearbeitung/antraege/{app.pk}/vermerk/", {"text": "Telefonat: Satzung folgt"}
    )
    assert InternalNote.objects.get(application=app).text == "Telefonat: Satzung folgt"
    assert "Telefonat" in client.get(file_url(app)).content.decode()
    client.force_login(world.owner)
    assert (
        client.post(f"/sachbearbeitung/antraege/{app.pk}/vermerk/", {"text": "x"}).status_code
        == 404
    )
