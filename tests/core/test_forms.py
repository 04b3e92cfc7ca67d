"""The KERN form renderer and the money field, on plain forms without any mixin."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from core.forms import DatePartsField, MoneyField


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Wie im Register")
    kind = forms.ChoiceField(label="Art", choices=[("a", "A"), ("b", "B")])
    note = forms.CharField(label="Notiz", required=False, widget=forms.Textarea)
    agree = forms.BooleanField(label="Einverstanden")
    colour = forms.ChoiceField(
        label="Farbe", choices=[("r", "Rot"), ("g", "Grün")], widget=forms.RadioSelect
    )
    amount = MoneyField(label="Betrag")


def test_every_field_gets_kern_markup_and_classes_without_a_mixin():
    form = ExampleForm()

    name = form["name"].as_field_group()
    assert '<div class="kern-form-input">' in name
    assert '<label class="kern-label" for="id_name">' in name
    assert '<p class="kern-hint" id="id_name_helptext">Wie im Register</p>' in name
    assert 'class="kern-form-input__input"' in name
    assert 'aria-describedby="id_name_helptext"' in name
    kind = form["kind"].as_field_group()
    assert '<div class="kern-form-input__select-wrapper"><select name="kind"' in kind
    assert 'class="kern-form-input__select"' in kind
    assert 'class="kern-label__optional"' in form["note"].as_field_group()
    agree = form["agree"].as_field_group()
    assert '<div class="kern-form-check">' in agree
    assert 'class="kern-form-check__checkbox"' in agree
    colour = form["colour"].as_field_group()
    assert '<legend class="kern-label">Farbe</legend>' in colour
    assert 'class="kern-form-check__radio"' in colour


def test_a_field_with_errors_says_so_in_markup_and_for_screen_readers():
    form = ExampleForm(data={"name": "", "kind": "a", "agree": "on", "colour": "r"})

    assert not form.is_valid()
    name = form["name"].as_field_group()
    assert '<div class="kern-form-input kern-form-input--error">' in name
    assert "kern-form-input__input--error" in name
    assert 'aria-invalid="true"' in name
    assert 'id="id_name_error"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name


def test_the_whole_form_renders_in_kern_markup():
    html = str(ExampleForm())

    assert html.count('class="kern-label"') >= 6


def test_the_money_input_is_text_with_the_decimal_keypad_and_shows_german_notation():
    with translation.override("de"):
        html = str(ExampleForm(initial={"amount": Decimal("2500")})["amount"])

    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="2.500,00"' in html


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [("de", "2.500,50", "2500.50"), ("de", "2500", "2500"), ("en", "2,500.50", "2500.50")],
)
def test_the_money_field_reads_the_active_notation(language, typed, amount):
    with translation.override(language):
        assert MoneyField().clean(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2500.00", "Betrag in Euro"),
        ("abc", "Betrag in Euro"),
        ("-100", "größer als 0"),
        ("0", "größer als 0"),
        ("12,345", "zwei Stellen"),
        ("99999999999", "unrealistisch"),
    ],
)
def test_the_money_field_refuses_with_a_german_message(typed, message):
    field = MoneyField()
    with translation.override("de"), pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)

    assert message in " ".join(refused.value.messages)


def test_a_typed_amount_is_shown_back_as_typed():
    with translation.override("de"):
        form = ExampleForm(data={"amount": "2.500,5x"})

        assert 'value="2.500,5x"' in str(form["amount"])


def test_an_amount_that_is_already_a_decimal_is_kept():
    assert MoneyField().clean(Decimal("12.50")) == Decimal("12.50")


# --- a date in three boxes ------------------------------------------------------------------


class _DateForm(forms.Form):
    day = DatePartsField(label="Projektbeginn")
    until = DatePartsField(label="gültig bis", required=False)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2027"), "Dieses Datum gibt es nicht."),
        (("29", "2", "2027"), "Dieses Datum gibt es nicht."),
        (("1", "13", "2027"), "Dieses Datum gibt es nicht."),
        (("1", "", "2027"), "mit Tag, Monat und Jahr"),
        (("1", "Mai", "2027"), "in Ziffern"),
        (("1", "5", "27"), "vierstellig"),
        (("", "", ""), "Bitte geben Sie ein Datum an"),
    ],
)
def test_impossible_dates_get_a_german_message(parts, message) -> None:
    data = dict(zip(("day_day", "day_month", "day_year"), parts, strict=True))

    form = _DateForm(data)

    assert not form.is_valid()
    assert message in " ".join(form.errors["day"])


def test_a_date_is_read_from_three_boxes() -> None:
    form = _DateForm({"day_day": "29", "day_month": "2", "day_year": "2028"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": dt.date(2028, 2, 29), "until": None}


def test_a_date_is_rendered_as_a_group_with_three_labelled_boxes() -> None:
    html = str(_DateForm(initial={"day": dt.date(2027, 3, 27)})["day"].as_field_group())

    assert "<fieldset" in html and "<legend" in html and "Projektbeginn" in html
    for label in ("Tag", "Monat", "Jahr"):
        assert f">{label}</label>" in html
    assert 'value="27"' in html and 'value="3"' in html and 'value="2027"' in html
    assert 'inputmode="numeric"' in html


def test_a_date_needed_later_is_not_marked_optional() -> None:
    form = _DateForm()
    assert "optional" in str(form["until"].as_field_group())
    form.fields["until"].needed_for_submission = True
    assert "optional" not in str(form["until"].as_field_group())
