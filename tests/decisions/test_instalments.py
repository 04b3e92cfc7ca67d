import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from grants.forms.casework import parse_instalments


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("de", "01.03.2027; 2.500,00", "2500.00"),
        ("de", "01.03.2027; 2500,5", "2500.5"),
        ("de", "01.03.2027; 2500 €", "2500"),
        ("en", "01/03/2027; 2,500.00", "2500.00"),
        ("en", "01.03.2027; 2500.00", "2500.00"),
    ],
)
def test_amounts_in_the_language_of_the_page(language, text, amount):
    with translation.override(language):
        assert parse_instalments(text) == [(dt.date(2027, 3, 1), Decimal(amount))]


@pytest.mark.parametrize(
    ("language", "text"),
    [("de", "01.03.2027; 2500.00"), ("en", "01/03/2027; 2500,00"), ("de", "2027; 100")],
)
def test_ambiguous_or_malformed_lines_are_refused_not_guessed(language, text):
    with (
        translation.override(language),
        pytest.raises(forms.ValidationError, match=r"^\[.(Zeile|Line) 1:"),
    ):
        parse_instalments(text)
