"""The project's one template-tag library: ``{% load core %}``.

{{ amount|eur }}        1.234,56 €   (a dash when there is none)
{{ iban|iban_masked }}  DE** **** **** **** **30 00
{{ rate|percent }}      12,5 %
{{ day|day }}           26.11.2026
{{ fiscal_year|year }}  2026         (never 2.026)
{% error_summary form formset messages %}
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template

from core import formatting

register = template.Library()

EMPTY = "–"


@register.filter
def eur(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return EMPTY
    return formatting.eur(value)


@register.filter
def iban(value: str | None) -> str:
    """An IBAN in groups of four, as it is printed and read aloud."""
    if not value:
        return EMPTY
    compact = str(value).replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


@register.filter
def iban_masked(value: str | None) -> str:
    """An IBAN with all but its country and last four digits hidden, for lists and pages that
    more people see than the account holder: enough to recognise the account, not to use it."""
    if not value:
        return EMPTY
    compact = str(value).replace(" ", "")
    masked = compact[:2] + "*" * (len(compact) - 6) + compact[-4:]
    return iban(masked)


@register.filter
def percent(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return EMPTY
    return formatting.percent(value)


@register.filter(expects_localtime=True)
def day(value: dt.date | None) -> str:
    if not value:
        return EMPTY
    return formatting.day(value)


@register.filter
def year(value: int | None) -> str:
    if value is None or value == "":
        return EMPTY
    return formatting.year(value)


def _form_errors(form: forms.BaseForm) -> list[dict[str, Any]]:
    rows = []
    for message in form.non_field_errors():
        rows.append({"anchor": "", "label": "", "message": message})
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        widget = bound.field.widget
        # A group of radios or checkboxes is reached through its first option, a date in
        # three boxes through its day.
        anchor = bound.auto_id
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.MultiWidget):
            anchor = f"{anchor}_0"
        for message in errors:
            rows.append({"anchor": anchor, "label": str(bound.label), "message": message})
    return rows


def error_rows(*items: Any) -> list[dict[str, Any]]:
    """Every error of the given forms, formsets and service messages, in page order."""
    rows: list[dict[str, Any]] = []
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


@register.inclusion_tag("kern/error_summary.html")
def error_summary(*items: Any) -> dict[str, Any]:
    return {"rows": error_rows(*items)}
