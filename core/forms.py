"""Forms in KERN UX markup, for every form of the project without a mixin.

``settings.FORM_RENDERER`` points at :class:`KernFormRenderer`. It gives each bound field
the KERN class of its widget and renders ``{{ form.email.as_field_group }}`` (and ``{{ form }}``)
with ``kern/field.html``: label, hint, control and errors, with the ids ``<id>_helptext`` and
``<id>_error`` that Django 5.2 already puts into ``aria-describedby``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import widgets
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from core.formatting import amount
from core.money import parse_eur

# KERN styles the control itself, so every widget needs its KERN class. Order matters:
# subclasses before their bases (CheckboxInput and Textarea are not Inputs, Select is).
_KERN_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "kern-form-check__checkbox"),
    (forms.RadioSelect, "kern-form-check__radio"),
    (forms.CheckboxInput, "kern-form-check__checkbox"),
    (forms.Select, "kern-form-input__select"),
    (forms.Textarea, "kern-form-input__input"),
    (widgets.Input, "kern-form-input__input"),
]


def kern_widget_class(widget: forms.Widget) -> str:
    for widget_type, css_class in _KERN_WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css_class
    return ""


class KernBoundField(forms.BoundField):
    """Adds the KERN class, and its --error variant once the field has errors."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css_class = kern_widget_class(widget)
        if css_class:
            # These attrs replace the widget's own "class" when rendered, so keep it.
            classes = [widget.attrs.get("class", ""), attrs.get("class", ""), css_class]
            if self.errors:
                classes.append(f"{css_class}--error")
            attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class KernFormRenderer(TemplatesSetting):
    """Django's renderer with the project's templates (so ``kern/*.html`` can be found and
    overridden like any template) and KERN markup for every field."""

    bound_field_class = KernBoundField
    field_template_name = "kern/field.html"


class MoneyInput(forms.TextInput):
    """A text box for euros: shows "1.234,50" and offers the decimal keypad on phones.

    Not ``type=number``: browsers ignore the page's language there, drop what they cannot
    parse without telling anyone and let the mouse wheel change the amount.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return amount(value)
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """Euro amounts as people type them: "1.234,50" in German, "1,234.50" in English, with
    two places at most. "2500.00" on a German page is refused, not guessed."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00."),
        "min_value": _("Der Betrag muss größer als 0 € sein."),
        "max_value": _("Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe."),
        "max_decimal_places": _("Bitte höchstens zwei Stellen nach dem Komma."),
        "max_digits": _("Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe."),
        "max_whole_digits": _("Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)

    # django-stubs types DecimalField.to_python as the int of IntegerField, its base class.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip()
        # A sign is parsed so that the field can say "must be more than 0 €" instead of
        # "not an amount"; the amount itself never carries one.
        sign = -1 if text.startswith(("-", "\N{MINUS SIGN}")) else 1
        try:
            return sign * parse_eur(text.lstrip("-\N{MINUS SIGN}"), places=None)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class YearField(forms.IntegerField):
    """A fiscal or calendar year as four digits: a text box (not ``type=number``, whose
    spinner and mouse wheel change the year and whose display some browsers group as
    "2.026"), with the numeric keypad on phones."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Bitte geben Sie ein Jahr mit vier Ziffern an, zum Beispiel 2026."),
        "min_value": _("Bitte geben Sie ein Jahr ab %(limit_value)s an."),
        "max_value": _("Bitte geben Sie ein Jahr bis %(limit_value)s an."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # IntegerField would add min/max/step, which a text box does not use.
        return {
            "inputmode": "numeric",
            "pattern": "[0-9]{4}",
            "maxlength": "4",
            "autocomplete": "off",
        }


class DatePartsWidget(forms.MultiWidget):
    """A date as three boxes, Tag, Monat, Jahr (the GOV.UK and KERN date pattern): no picker
    that differs between browsers, and a date of birth or a project start is typed, not
    scrolled to. Rendered as a fieldset by ``kern/field.html``."""

    template_name = "kern/date_parts.html"
    parts = (("day", _("Tag"), 2), ("month", _("Monat"), 2), ("year", _("Jahr"), 4))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": size,
                    "size": size,
                    "class": f"kern-form-input__input fp-date-parts__{name}",
                }
            )
            for name, _label, size in self.parts
        ]
        super().__init__(boxes, attrs)
        self.widgets_names = [f"_{name}" for name, _label, _size in self.parts]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            # One ISO date ("2027-03-27") under the field's own name, as scripts, the
            # earlier date picker and older tests send it.
            return data.get(name)
        return parts

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            # Sent as one ISO string and refused: show it again in the boxes if it parses.
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                return [None, None, None]
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, (_name, label, _size) in zip(
            context["widget"]["subwidgets"], self.parts, strict=True
        ):
            subwidget["label"] = label
        return context


class DatePartsField(forms.MultiValueField):
    """A date from three boxes, with one German message that names what is wrong."""

    widget = DatePartsWidget
    default_error_messages = {
        "required": _("Bitte geben Sie ein Datum an: Tag, Monat und Jahr."),
        "incomplete": _("Bitte geben Sie das Datum mit Tag, Monat und Jahr an."),
        "invalid": _("Bitte geben Sie das Datum in Ziffern an, zum Beispiel 27 3 2027."),
        "impossible": _("Dieses Datum gibt es nicht. Bitte prüfen Sie Tag und Monat."),
        "year": _("Bitte geben Sie das Jahr vierstellig an, zum Beispiel 2027."),
    }

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=parts, **kwargs)

    def clean(self, value: Any) -> Any:
        # MultiValueField's own checks give English-looking messages per part; one message
        # about the whole date reads better and is what GOV.UK recommends.
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            # One string: ISO ("2027-03-27") or German ("27.03.2027"), checked like the boxes.
            text = value.strip()
            iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
            german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d+)", text)
            if iso:
                value = [iso.group(3), iso.group(2), iso.group(1)]
            elif german:
                value = list(german.groups())
            else:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        values = [str(v or "").strip() for v in (value or [])] + ["", "", ""]
        day, month, year = values[:3]
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            result = dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(self.error_messages["impossible"], code="impossible") from exc
        self.run_validators(result)
        return result

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does it
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True
