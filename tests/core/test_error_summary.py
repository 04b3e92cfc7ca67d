from django import forms
from django.template import Context, Template

from core.templatetags.core import error_rows


class ColourForm(forms.Form):
    colour = forms.ChoiceField(
        label="Farbe", choices=[("r", "Rot"), ("g", "Grün")], widget=forms.RadioSelect
    )

    def clean(self):
        raise forms.ValidationError("Das passt so nicht zusammen.")


class LimitedFormSet(forms.BaseFormSet):
    def clean(self):
        raise forms.ValidationError("Höchstens drei Zeilen.")


def test_it_lists_every_error_in_page_order_with_anchors_to_the_fields():
    form = ColourForm(data={})
    formset = forms.formset_factory(ColourForm, formset=LimitedFormSet, extra=1)(
        data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-colour": "x"}
    )
    form.is_valid()
    formset.is_valid()

    rows = error_rows(form, formset, ["Der Antrag wurde inzwischen geändert."], None, "", "Frist")

    assert [(row["anchor"], row["message"]) for row in rows] == [
        ("", "Das passt so nicht zusammen."),
        # A group of radios is reached through its first option.
        ("id_colour_0", "Dieses Feld ist zwingend erforderlich."),
        ("", "Höchstens drei Zeilen."),
        ("", "Das passt so nicht zusammen."),
        ("id_form-0-colour_0", "Bitte eine gültige Auswahl treffen. x ist keine gültige Auswahl."),
        ("", "Der Antrag wurde inzwischen geändert."),
        ("", "Frist"),
    ]


def test_the_summary_is_an_alert_that_links_to_the_fields():
    form = ColourForm(data={})
    form.is_valid()

    html = Template("{% load core %}{% error_summary form %}").render(Context({"form": form}))

    assert 'role="alert"' in html
    assert "Bitte prüfen Sie 2 Angaben." in html
    assert 'href="#id_colour_0"' in html


def test_no_errors_no_summary():
    html = Template("{% load core %}{% error_summary form %}").render(
        Context({"form": ColourForm()})
    )

    assert html.strip() == ""
