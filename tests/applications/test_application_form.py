"""The application in steps: each step stores the draft, bad input is refused with a German
message next to the field and changes nothing, the check step lists what is missing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.models import (
    Application,
    ApplicationState,
    CostCategory,
    DocumentType,
    FinancingCategory,
    FinancingKind,
)
from tests.factories import DECLARATIONS, draft

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def app(world):
    application = draft(world)
    application.target_groups.set(world.programme.target_groups.all())
    application.fields_of_action.set(world.programme.fields_of_action.all())
    application.areas.set(world.programme.areas.all())
    return application


def _project_data(**changes):
    today = timezone.localdate()
    data = {
        "title": "Sprachcafé",
        "summary": "Ein offenes Sprachcafé.",
        "goals": "Deutsch üben.",
        "start_date": (today + dt.timedelta(days=30)).isoformat(),
        "end_date": (today + dt.timedelta(days=120)).isoformat(),
        "expected_participants": "40",
        "early_start_reason": "",
        "action": "next",
    }
    data.update(changes)
    return data


def _plan_data(world, costs, financing, action="next"):
    data = {"action": action}
    cost_categories = {c.code: c.pk for c in CostCategory.objects.filter(programme=world.programme)}
    kinds = {c.kind: c.pk for c in FinancingCategory.objects.filter(programme=world.programme)}
    for prefix, rows in (("costs", costs), ("financing", financing)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, (key, description, amount) in enumerate(rows):
            category = cost_categories[key] if prefix == "costs" else kinds[key]
            data[f"{prefix}-{i}-category"] = str(category)
            data[f"{prefix}-{i}-description"] = description
            data[f"{prefix}-{i}-amount"] = amount
    return data


# --- start ------------------------------------------------------------------------------------


def test_owner_starts_a_draft(client, world):
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:start", args=[world.call.pk]),
        {"applicant": world.applicant.pk, "title": "Nachbarschaftsfest"},
    )

    application = Application.objects.get(title="Nachbarschaftsfest")
    assert response["Location"] == reverse("portal:project", args=[application.pk])
    assert application.state == S.DRAFT
    assert application.created_by == world.owner


def test_start_without_profile_leads_to_the_profile(client, world):
    from tests.factories import UserFactory

    newcomer = UserFactory()
    client.force_login(newcomer)

    response = client.get(reverse("portal:start", args=[world.call.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("applicants:applicant_create"))


def test_start_for_a_foreign_applicant_is_refused(client, world):
    client.force_login(world.outsider)

    response = client.post(
        reverse("portal:start", args=[world.call.pk]),
        {"applicant": world.applicant.pk, "title": "Fremd"},
    )

    assert response.status_code == 200
    assert not Application.objects.filter(title="Fremd").exists()


def test_closed_call_cannot_be_started(client, world):
    world.call.deadline = timezone.now() - dt.timedelta(days=1)
    world.call.opens_at = timezone.now() - dt.timedelta(days=20)
    world.call.save()
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:start", args=[world.call.pk]),
        {"applicant": world.applicant.pk, "title": "Zu spät"},
    )

    assert "nicht geöffnet" in response.content.decode()
    assert not Application.objects.filter(title="Zu spät").exists()


# --- project ----------------------------------------------------------------------------------


def test_project_step_saves_and_moves_on(client, world, app):
    client.force_login(world.colleague)

    response = client.post(
        reverse("portal:project", args=[app.pk]), _project_data(title="Neuer Titel")
    )

    assert response["Location"] == reverse("portal:classification", args=[app.pk])
    app.refresh_from_db()
    assert app.title == "Neuer Titel"
    assert app.state == S.DRAFT


def test_save_as_draft_stays_on_the_step(client, world, app):
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:project", args=[app.pk]),
        _project_data(summary="", action="save"),
    )

    assert response["Location"] == reverse("portal:project", args=[app.pk])
    app.refresh_from_db()
    assert app.summary == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"end_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat()},
            "end_date",
            "Das Projektende liegt vor dem Projektbeginn.",
        ),
        ({"start_date": "31.02.2026"}, "start_date", "gibt es nicht"),
        (
            {"start_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat()},
            "start_date",
            "erst nach der Antragstellung beginnen",
        ),
        (
            {"end_date": (timezone.localdate() + dt.timedelta(days=800)).isoformat()},
            "end_date",
            "höchstens 12 Monate",
        ),
        ({"expected_participants": "-5"}, "expected_participants", ""),
        ({"expected_participants": "99999999"}, "expected_participants", "unrealistisch"),
        ({"title": ""}, "title", ""),
        ({"early_start_requested": "on"}, "early_start_reason", "begründen"),
    ],
)
def test_bad_project_input_changes_nothing(client, world, app, changes, field, message):
    client.force_login(world.owner)
    before = Application.objects.filter(pk=app.pk).values().get()

    response = client.post(reverse("portal:project", args=[app.pk]), _project_data(**changes))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    # The error summary links to the field (a date to its first box, the day).
    anchor = f"id_{field}_0" if field.endswith("_date") else f"id_{field}"
    assert f'href="#{anchor}"' in page
    assert f'id="id_{field}_error"' in page  # and the message sits next to it
    assert Application.objects.filter(pk=app.pk).values().get() == before


# --- classification ---------------------------------------------------------------------------


def test_classification_rejects_items_of_another_programme(client, world, app):
    from tests.factories import ProgrammeFactory

    foreign = ProgrammeFactory().target_groups.first()
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:classification", args=[app.pk]),
        {"target_groups": [foreign.pk], "action": "next"},
    )

    assert response.status_code == 200
    assert "target_groups" in response.context["form"].errors
    assert list(app.target_groups.all()) == list(world.programme.target_groups.all())


# --- plan ---------------------------------------------------------------------------------------


def test_balanced_plan_is_saved(client, world, app):
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:plan", args=[app.pk]),
        _plan_data(
            world,
            [("fees", "Kursleitung", "1.500,00"), ("material", "Material", "500")],
            [(FinancingKind.OWN_FUNDS, "Spenden", "400"), (FinancingKind.GRANT, "", "1.600,00")],
        ),
    )

    assert response["Location"] == reverse("portal:attachments", args=[app.pk])
    plan = app.plan
    assert plan.total_costs == Decimal("2000.00")
    assert plan.requested_amount == Decimal("1600.00")
    assert plan.balanced


def test_unbalanced_plan_is_refused_on_next_and_nothing_changes(client, world, app):
    client.force_login(world.owner)
    before = app.plan

    response = client.post(
        reverse("portal:plan", args=[app.pk]),
        _plan_data(
            world,
            [("fees", "Kursleitung", "1000")],
            [(FinancingKind.GRANT, "", "900")],
        ),
    )

    assert response.status_code == 200
    assert "nicht ausgeglichen" in response.content.decode()
    assert app.plan == before


def test_unbalanced_plan_can_be_kept_as_draft(client, world, app):
    client.force_login(world.owner)

    client.post(
        reverse("portal:plan", args=[app.pk]),
        _plan_data(world, [("fees", "Kursleitung", "1000")], [], action="save"),
    )

    assert app.plan.total_costs == Decimal("1000.00")
    assert not app.plan.balanced


def test_grant_over_the_cap_is_refused(client, world, app):
    client.force_login(world.owner)
    before = app.plan

    response = client.post(
        reverse("portal:plan", args=[app.pk]),
        _plan_data(
            world,
            [("fees", "Großprojekt", "80.000")],
            [(FinancingKind.OWN_FUNDS, "", "16.000"), (FinancingKind.GRANT, "", "64.000")],
        ),
    )

    assert "Sie können höchstens 50.000,00 € beantragen." in response.content.decode()
    assert app.plan == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100", "größer als 0"),
        ("0", "größer als 0"),
        ("abc", "Betrag in Euro"),
        ("99999999999", "unrealistisch"),
        ("12,345", "zwei Stellen"),
    ],
)
def test_bad_amounts_are_refused(client, world, app, amount, message):
    client.force_login(world.owner)
    before = app.plan

    response = client.post(
        reverse("portal:plan", args=[app.pk]),
        _plan_data(world, [("fees", "Kursleitung", amount)], [], action="save"),
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["costs"].forms[0].errors["amount"])
    assert 'href="#id_costs-0-amount"' in response.content.decode()
    assert app.plan == before


def test_live_totals_are_computed_from_the_form_without_saving(client, world, app):
    client.force_login(world.owner)
    before = app.plan

    response = client.post(
        reverse("portal:plan_summary", args=[app.pk]),
        _plan_data(
            world,
            [("fees", "Kursleitung", "1.000,00"), ("fees", "halb getippt", "1.0x")],
            [(FinancingKind.OWN_FUNDS, "", "250"), (FinancingKind.GRANT, "", "750")],
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1.000,00 €" in page  # the half-typed row is left out
    assert "ausgeglichen" in page
    assert "25,0 %" in page  # own share
    assert "75,0 %" in page  # funding rate
    assert app.plan == before


# --- attachments ------------------------------------------------------------------------------


@pytest.fixture
def description_type(world):
    return DocumentType.objects.create(
        programme=world.programme,
        code="beschreibung",
        name="Projektbeschreibung",
        required_for_submission=True,
    )


def test_pdf_is_stored_and_only_members_download_it(client, world, app, description_type):
    client.force_login(world.owner)

    client.post(
        reverse("portal:attachments", args=[app.pk]),
        {
            "document_type": description_type.pk,
            "file": SimpleUploadedFile("konzept.exe.pdf", PDF, content_type="text/plain"),
            "action": "upload",
        },
    )

    attachment = app.attachments.get()
    assert attachment.content_type == "application/pdf"  # from the content, not the browser
    assert attachment.original_name not in attachment.file.name  # random name on disk
    url = reverse("portal:attachment", args=[app.pk, attachment.pk])
    client.force_login(world.colleague)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    # A PDF is shown in the browser; ?download=1 saves it (grants/views/documents.py).
    assert response["Content-Disposition"].startswith("inline")
    assert client.get(url + "?download=1")["Content-Disposition"].startswith("attachment")
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rechnung.pdf", b"MZ\x90\x00" + b"\x00" * 100, "nicht annehmen"),
        ("seite.pdf", b"<html><script>alert(1)</script></html>", "nicht annehmen"),
        ("leer.pdf", b"", "leer"),
    ],
)
def test_wrong_files_are_refused(client, world, app, description_type, name, content, message):
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:attachments", args=[app.pk]),
        {
            "document_type": description_type.pk,
            "file": SimpleUploadedFile(name, content),
            "action": "upload",
        },
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not app.attachments.exists()


def test_too_large_file_is_refused(client, world, app, description_type, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:attachments", args=[app.pk]),
        {
            "document_type": description_type.pk,
            "file": SimpleUploadedFile("gross.pdf", PDF + b"0" * 2000),
            "action": "upload",
        },
    )

    assert "zu groß" in " ".join(response.context["form"].errors["file"])
    assert not app.attachments.exists()


def test_office_document_is_accepted(client, world, app, description_type):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    client.force_login(world.owner)

    client.post(
        reverse("portal:attachments", args=[app.pk]),
        {
            "document_type": description_type.pk,
            "file": SimpleUploadedFile("konzept.docx", buffer.getvalue()),
            "action": "upload",
        },
    )

    assert app.attachments.get().content_type.endswith("wordprocessingml.document")


# --- check and submit ---------------------------------------------------------------------------


def test_check_lists_everything_missing_with_links_and_does_not_submit(
    client, world, app, description_type
):
    app.summary = ""
    app.save(update_fields=["summary"])
    app.target_groups.clear()
    client.force_login(world.owner)

    response = client.post(reverse("portal:check", args=[app.pk]))

    page = response.content.decode()
    assert "Kurzbeschreibung fehlt." in page
    assert reverse("portal:project", args=[app.pk]) + "#id_summary" in page
    assert "mindestens eine Zielgruppe" in page
    assert reverse("portal:classification", args=[app.pk]) in page
    assert "Die Anlage „Projektbeschreibung“ fehlt." in page
    assert reverse("portal:attachments", args=[app.pk]) in page
    app.refresh_from_db()
    assert app.state == S.DRAFT
    assert app.file_number is None


def test_complete_application_is_submitted_and_gets_a_file_number(client, world, app):
    client.force_login(world.colleague)

    response = client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)

    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert response["Location"] == reverse("portal:receipt", args=[app.pk])
    receipt = client.get(response["Location"]).content.decode()
    assert app.file_number in receipt
    assert app.status_changes.get().actor == world.colleague


def test_missing_bank_account_blocks_submission(client, world, app):
    world.applicant.iban = ""
    world.applicant.save()
    client.force_login(world.owner)

    response = client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)

    assert "Bankverbindung (IBAN)" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.DRAFT
