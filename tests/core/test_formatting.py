import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core import formatting


@pytest.mark.parametrize(
    ("language", "money", "percent", "day"),
    [
        ("de", "1.234,56 €", "12,5 %", "26.11.2026"),
        ("en", "1,234.56 €", "12.5 %", "26/11/2026"),
    ],
)
def test_it_formats_in_the_active_language(language, money, percent, day):
    with translation.override(language):
        assert formatting.eur(Decimal("1234.56")) == money
        assert formatting.percent(Decimal("12.5")) == percent
        assert formatting.day(dt.date(2026, 11, 26)) == day


def test_small_amounts_get_two_places_and_large_ones_are_grouped():
    with translation.override("de"):
        assert formatting.eur(5) == "5,00 €"
        assert formatting.eur(Decimal("1000000")) == "1.000.000,00 €"
        assert formatting.amount(Decimal("2500")) == "2.500,00"


def test_a_year_is_never_grouped_like_an_amount():
    with translation.override("de"):
        assert formatting.year(2026) == "2026"
        assert Template("{{ y }}").render(Context({"y": 2026})) == "2.026", "why the filter exists"


def test_the_template_filters_use_the_same_formatter_and_show_a_dash_for_nothing():
    template = Template(
        "{% load core %}{{ a|eur }}|{{ p|percent }}|{{ d|day }}|{{ y|year }}|{{ none|eur }}"
    )
    context = Context(
        {"a": Decimal("1234.5"), "p": Decimal("80"), "d": dt.date(2027, 3, 1), "y": 2027}
    )
    with translation.override("de"):
        assert template.render(context) == "1.234,50 €|80,0 %|01.03.2027|2027|–"


@pytest.mark.parametrize("name", ["eur", "percent", "day", "year"])
def test_every_filter_shows_a_dash_for_nothing(name):
    rendered = Template(f"{{% load core %}}{{{{ value|{name} }}}}").render(Context({"value": None}))

    assert rendered == "–"
