"""Proposing and confirming a decision on the case file: four eyes, the budget, the letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from grants.models import (
    ApplicationState,
    Decision,
    Letter,
)
from grants.tasks import make_decision_letter
from tests.casework_pages import seen, step_url
from tests.factories import advance, draft

S = ApplicationState


def test_propose_and_confirm_by_two_people_commits_the_budget_and_stores_the_letter(
    client, world, django_capture_on_commit_callbacks
):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)
    start = app.start_date
    end = start + dt.timedelta(days=100)
    data = {
        "seen": seen(app),
        "amount": "8.000,00",
        "financing_type": "fixed_amount",
        "funding_start": start.isoformat(),
        "funding_end": end.isoformat(),
        "purpose": "Sprachcafé",
        "conditions": "",
        "instalments": f"{start:%d.%m.%Y}; 5000,00\n{end:%d.%m.%Y}; 3000,00",
        "note": "",
    }
    if start.year != end.year:
        data.update({f"year_{start.year}": "4.000,00", f"year_{end.year}": "4.000,00"})
    response = client.post(step_url(app, "bewilligung"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED

    # The proposer may not confirm: four eyes, said on the form.
    response = client.post(step_url(app, "bestaetigen"), {"seen": seen(app), "note": ""})
    assert response.status_code == 403
    assert "Vier-Augen-Prinzip" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED

    client.force_login(world.second_case_worker)
    page = client.get(step_url(app, "bestaetigen")).content.decode()
    assert "Budget" in page
    budget = client.get(f"/sachbearbeitung/antraege/{app.pk}/budget/").content.decode()
    assert "verfügbar nachher" in budget
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(step_url(app, "bestaetigen"), {"seen": seen(app), "note": "geprüft"})
    # The letter is made by a background task enqueued after the commit, not while the budget
    # rows are locked: run it here in the worker's place.
    assert callbacks
    assert not Letter.objects.exists()
    make_decision_letter.call(decision_id=Decision.objects.get(application=app).pk)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.APPROVED
    world.budget.refresh_from_db()
    assert world.budget.committed + world.next_budget.__class__.objects.get(
        pk=world.next_budget.pk
    ).committed == Decimal("8000.00")
    letter = Letter.objects.get(application=app)
    assert letter.file.read(5) == b"%PDF-"
    decision = Decision.objects.get(application=app)
    assert decision.planned_instalments.count() == 2
    assert (
        client.get(f"/sachbearbeitung/antraege/{app.pk}/schreiben/{letter.pk}/").status_code == 200
    )
