import pytest
from django.core.exceptions import ValidationError

from applicants.validators import validate_iban
from tests.factories import ApplicantFactory


@pytest.mark.parametrize("iban", ["DE89370400440532013000", "DE89 3704 0044 0532 0130 00"])
def test_valid_iban_passes(iban):
    validate_iban(iban)


@pytest.mark.parametrize(
    "iban", ["DE89370400440532013001", "DE8937040044053201300", "XX89370400440532013000", "hallo"]
)
def test_invalid_iban_is_refused_in_german(iban):
    with pytest.raises(ValidationError) as refused:
        validate_iban(iban)
    assert "ist ungültig" in refused.value.messages[0]


@pytest.mark.django_db
def test_applicant_normalises_bank_details():
    applicant = ApplicantFactory.build(iban="de89 3704 0044 0532 0130 00", bic="cobadeffxxx")
    applicant.full_clean()
    assert applicant.iban == "DE89370400440532013000"
    assert applicant.bic == "COBADEFFXXX"
