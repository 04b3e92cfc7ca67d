import pytest

from grants.models import AssessmentCriterion, ChecklistItem, Committee, CommitteeMember
from tests.factories import World, build_world


@pytest.fixture
def world(db) -> World:
    world = build_world()
    ChecklistItem.objects.create(programme=world.programme, code="deadline", name="Fristgerecht")
    AssessmentCriterion.objects.create(
        programme=world.programme, code="goals", name="Beitrag zu den Zielen", max_score=5
    )
    committee = Committee.objects.create(programme=world.programme, name="Arbeitsausschuss")
    for n, name in enumerate(["Frau Ahmadi", "Herr Berger", "Frau Çelik"]):
        CommitteeMember.objects.create(committee=committee, name=name, position=n)
    return world
