"""The change history of bank details, budgets and programme rules in the admin."""

from decimal import Decimal

from applicants.services import applicant_update


def test_the_admin_shows_who_changed_the_bank_details_and_when(admin_client, world):
    applicant_update(
        applicant=world.applicant,
        actor=world.owner,
        data={"iban": "DE02120300000000202051", "bic": ""},
    )
    page = admin_client.get(f"/admin/applicants/applicant/{world.applicant.pk}/history/")
    assert page.status_code == 200
    text = page.content.decode()
    assert world.owner.email in text
    assert "DE02120300000000202051" in text


def test_a_budget_change_in_the_admin_is_kept_in_its_history(admin_client, world):
    budget = world.budget
    budget.amount = Decimal("300000.00")
    budget.save()
    page = admin_client.get(f"/admin/grants/budget/{budget.pk}/history/")
    assert page.status_code == 200
    assert [h.amount for h in budget.history.all()][:1] == [Decimal("300000.00")]


def test_anonymisation_blanks_the_bank_details_in_the_history_too(world):
    from privacy.retention import applicant_anonymise

    applicant_update(
        applicant=world.applicant,
        actor=world.owner,
        data={"iban": "DE02120300000000202051", "bic": ""},
    )
    applicant_anonymise(applicant=world.applicant)

    versions = world.applicant.history.all()
    assert versions.count() >= 1
    assert set(versions.values_list("iban", flat=True)) == {""}
    # Who changed it and when stays for the auditors.
    assert versions.filter(history_user=world.owner).exists()
