"""Template helpers of the applicant portal: error summary, money and percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils import formats

from grants.formatting import eur

register = template.Library()


def _form_errors(form: forms.BaseForm) -> list[dict[str, str]]:
    rows = []
    for message in form.non_field_errors():
        rows.append({"anchor": "", "label": "", "message": message})
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        widget = bound.field.widget
        # A group of radios or checkboxes is reached through its first option.
        anchor = bound.auto_id
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            anchor = f"{anchor}_0"
        for message in errors:
            rows.append({"anchor": anchor, "label": str(bound.label), "message": message})
    return rows


def error_rows(*items: Any) -> list[dict[str, str]]:
    """Every error of the given forms, formsets and service messages, in page order."""
    rows: list[dict[str, str]] = []
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, forms.BaseFormSet):
            for message in item.non_form_errors():
                rows.append({"anchor": "", "label": "", "message": message})
            for form in item.forms:
                rows.extend(_form_errors(form))
        elif isinstance(item, forms.BaseForm):
            rows.extend(_form_errors(item))
        elif isinstance(item, list | tuple):
            rows.extend({"anchor": "", "label": "", "message": str(m)} for m in item)
        else:
            rows.append({"anchor": "", "label": "", "message": str(item)})
    return rows


@register.inclusion_tag("applicants/_error_summary.html")
def error_summary(*items: Any) -> dict[str, Any]:
    return {"rows": error_rows(*items)}


@register.filter
def money(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return "–"
    return eur(Decimal(value))


@register.filter
def percent(value: Decimal | int | None) -> str:
    if value is None:
        return "–"
    return f"{formats.number_format(Decimal(value), 1, use_l10n=True)} %"
