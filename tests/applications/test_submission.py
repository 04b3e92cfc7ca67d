import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.models import ApplicantKind
from grants.errors import NotPermitted, RuleViolated
from grants.models import (
    Application,
    ApplicationState,
    Attachment,
    DocumentType,
    FinancingCategory,
    FinancingKind,
    FinancingLine,
    StatusChange,
)
from grants.services.applications import application_submit
from tests.factories import draft

S = ApplicationState


def submit(app, actor):
    return application_submit(application=app, actor=actor)


def assert_refused(app, actor, message, exc=RuleViolated):
    with pytest.raises(exc) as refused:
        submit(app, actor)
    assert any(message in m for m in refused.value.messages), refused.value.messages
    app.refresh_from_db()
    assert app.state == S.DRAFT
    assert app.file_number is None
    assert not StatusChange.objects.filter(application=app).exists()


def test_owner_submits_and_gets_a_file_number(world):
    app = submit(draft(world), world.owner)
    year = timezone.localdate().year
    assert app.state == S.SUBMITTED
    assert app.file_number == f"{world.programme.code}-{year}-0001"
    change = StatusChange.objects.get(application=app)
    assert (change.transition, change.source_state, change.target_state, change.actor) == (
        "submit",
        S.DRAFT,
        S.SUBMITTED,
        world.owner,
    )
    assert app.events.get().name == "application.submit"


def test_file_numbers_count_up_per_programme_and_year(world):
    numbers = [submit(draft(world), world.owner).file_number for _ in range(3)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]


def test_colleague_of_the_applicant_may_submit(world):
    assert submit(draft(world), world.colleague).state == S.SUBMITTED


@pytest.mark.parametrize("persona", ["outsider", "case_worker", "finance"])
def test_others_may_not_submit(world, persona):
    assert_refused(draft(world), getattr(world, persona), "Nur Mitglieder", NotPermitted)


def test_unbalanced_plan_is_refused(world):
    app = draft(world)
    FinancingLine.objects.filter(application=app, category__kind=FinancingKind.OWN_FUNDS).update(
        amount=Decimal("1999.99")
    )
    assert_refused(app, world.owner, "nicht ausgeglichen")


def test_cap_of_the_call_is_enforced(world):
    world.call.max_amount_per_application = Decimal("5000.00")
    world.call.save()
    assert_refused(draft(world), world.owner, "Sie können höchstens 5.000,00 € beantragen.")


def test_closed_call_is_refused(world):
    world.call.deadline = timezone.now() - dt.timedelta(minutes=1)
    world.call.opens_at = timezone.now() - dt.timedelta(days=30)
    world.call.save()
    assert_refused(draft(world), world.owner, "Einreichungsfrist")


def test_project_must_not_have_started(world):
    app = draft(world)
    Application.objects.filter(pk=app.pk).update(start_date=timezone.localdate())
    app.refresh_from_db()
    assert_refused(app, world.owner, "vor der Antragstellung")


def test_early_start_request_allows_a_started_project(world):
    app = draft(world)
    Application.objects.filter(pk=app.pk).update(
        start_date=timezone.localdate(),
        early_start_requested=True,
        early_start_reason="Die Kursleitung ist nur jetzt frei.",
    )
    app.refresh_from_db()
    assert submit(app, world.owner).state == S.SUBMITTED


def test_period_longer_than_the_programme_allows_is_refused(world):
    app = draft(world)
    app.end_date = app.start_date + dt.timedelta(days=400)
    app.save()
    assert_refused(app, world.owner, "Höchstlaufzeit")


def test_ineligible_applicant_kind_is_refused(world):
    world.programme.eligible_applicant_kinds = [ApplicantKind.INDIVIDUAL]
    world.programme.save()
    assert_refused(draft(world), world.owner, "kann bei diesem Programm keinen Antrag stellen")


def test_plan_without_grant_is_refused(world):
    app = draft(world, own=Decimal("10000.00"), grant=Decimal("0"))
    assert_refused(app, world.owner, "keine Zuwendung")


def test_missing_project_description_is_refused(world):
    app = draft(world)
    app.goals = ""
    app.save()
    assert_refused(app, world.owner, "Ziele")


def test_required_documents_must_be_attached(world, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    doc = DocumentType.objects.create(
        programme=world.programme,
        code="desc",
        name="Projektbeschreibung",
        required_for_submission=True,
    )
    app = draft(world)
    assert_refused(app, world.owner, "Pflichtunterlagen")
    Attachment.objects.create(
        application=app,
        document_type=doc,
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        original_name="Beschreibung.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=world.owner,
    )
    assert submit(app, world.owner).state == S.SUBMITTED


def test_derived_figures(world):
    app = draft(world, costs=Decimal("10000.00"), own=Decimal("1500.00"), other=Decimal("500.00"))
    FinancingLine.objects.create(
        application=app,
        category=FinancingCategory.objects.get(programme=world.programme, kind="own_work"),
        amount=Decimal("250.00"),
    )
    FinancingLine.objects.filter(application=app, category__kind="grant").update(
        amount=Decimal("7750.00")
    )
    plan = app.plan
    assert plan.balanced
    assert plan.total_costs == Decimal("10000.00")
    assert plan.own_share == Decimal("1750.00")
    assert plan.own_share_percent == Decimal("17.50")
    assert plan.requested_amount == Decimal("7750.00")
    assert plan.funding_rate_percent == Decimal("77.50")


def test_all_failed_rules_are_reported_at_once(world):
    app = draft(world, grant=Decimal("0"), own=Decimal("100"))
    app.goals = ""
    app.save()
    with pytest.raises(RuleViolated) as refused:
        submit(app, world.owner)
    assert len(refused.value.messages) >= 3
