from decimal import Decimal

import pytest
from django.utils import translation

from core.money import parse_eur


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "2.500,00", "2500.00"),
        ("de", "2500,5", "2500.5"),
        ("de", "1.234.567,89 €", "1234567.89"),
        ("de", "€ 12", "12"),
        ("de", "1.000", "1000"),
        ("en", "2,500.00", "2500.00"),
        ("en", "2500.00", "2500.00"),
        ("en", "12.5", "12.5"),
    ],
)
def test_it_reads_the_notation_of_the_active_language(language, text, expected):
    with translation.override(language):
        assert parse_eur(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Read as German it would be 250.000 €, as English 2.500 €: refused, never guessed.
        ("de", "2500.00"),
        ("de", "2.50"),
        ("en", "2500,00"),
        ("de", "1.23.456"),
        ("de", "12,345"),
        ("de", "-5"),
        ("de", "abc"),
        ("de", ""),
        ("de", "1e3"),
        ("de", "NaN"),
    ],
)
def test_it_refuses_what_is_not_an_amount_in_the_active_language(language, text):
    with translation.override(language), pytest.raises(ValueError):
        parse_eur(text)


def test_it_can_leave_the_number_of_places_to_the_caller():
    with translation.override("de"):
        assert parse_eur("12,345", places=None) == Decimal("12.345")
