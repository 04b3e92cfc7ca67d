"""Every case-work page renders for the case worker of the programme."""

from grants.models import ApplicationState
from tests.factories import advance, draft

S = ApplicationState


def test_pages_render_for_the_case_worker(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    client.force_login(world.case_worker)
    base = "/sachbearbeitung"
    for url in [
        f"{base}/",
        f"{base}/antraege/",
        f"{base}/antraege/?q=Sprach&sort=-requested&deadline=overdue&assigned=me",
        f"{base}/antraege/{app.pk}/",
        f"{base}/antraege/{app.pk}/bewilligung/",
        f"{base}/antraege/{app.pk}/pruefvermerk/",
        f"{base}/antraege/{app.pk}/ablehnung/",
        f"{base}/antraege/{app.pk}/zustaendigkeit/",
        f"{base}/antraege/{app.pk}/budget/?amount=8000&funding_start=2030-01-01",
        f"{base}/sitzungen/",
        f"{base}/vorlagen/",
        f"{base}/vorlagen/{world.programme.pk}/approval/de/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:2000])


def test_destructive_steps_are_never_offered_first(client, world):
    from grants.views.casework.steps import STEPS

    app = advance(draft(world), world, S.RUNNING)
    client.force_login(world.case_worker)
    page = client.get(f"/sachbearbeitung/antraege/{app.pk}/").content.decode()
    steps = page[page.index('id="steps-heading"') : page.index('id="check-heading"')]
    offered = sorted(
        (steps.index(f"/{s.slug}/"), s.danger) for s in STEPS.values() if f"/{s.slug}/" in steps
    )
    assert any(danger for _, danger in offered), "a destructive step should be offered here"
    dangers = [danger for _, danger in offered]
    assert dangers == sorted(dangers), offered
