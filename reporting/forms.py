"""Forms of the finance area: they turn input into domain values and never touch a state."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import YearField
from grants.models import ApplicationState, Area, Call, FieldOfAction, Programme
from reporting.models import ExportFormat
from reporting.selectors import RegisterFilters


class _ProgrammeScoped(forms.Form):
    """A form whose programme choices are those the user does finance for."""

    programme = forms.ModelChoiceField(
        label=_("Programm"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("alle meine Programme"),
    )

    def __init__(self, *args, programmes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class ExportForm(_ProgrammeScoped):
    fiscal_year = YearField(label=_("Haushaltsjahr"), required=False)
    file_format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX
    )


class ReexportForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Warum wird der Stapel erneut an die Kasse gegeben? Wird protokolliert."),
        max_length=2000,
    )
    file_format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX
    )


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Ausgezahlt am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def clean_paid_on(self) -> dt.date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("Das Zahlungsdatum darf nicht in der Zukunft liegen."))
        return paid_on


class ReportForm(_ProgrammeScoped):
    year = YearField(label=_("Jahr"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX, required=False
    )

    def clean_format(self) -> str:
        # A bookmarked link without format gets the Excel file.
        return self.cleaned_data.get("format") or ExportFormat.XLSX


def _with_programme(obj: Call | FieldOfAction | Area) -> str:
    name = obj.title if isinstance(obj, Call) else obj.name
    return f"{obj.programme.code}: {name}"


class RegisterForm(ReportForm):
    """The filters of the case workers' queue: call, state, field of action, area, year."""

    call = forms.ModelChoiceField(
        label=_("Förderaufruf"), queryset=Call.objects.none(), required=False
    )
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("alle"))]
        + [(v, label) for v, label in ApplicationState.choices if v != ApplicationState.DRAFT],
        required=False,
    )
    field_of_action = forms.ModelChoiceField(
        label=_("Handlungsfeld"), queryset=FieldOfAction.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("Gebiet"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args, programmes, **kwargs) -> None:
        super().__init__(*args, programmes=programmes, **kwargs)
        scoped = {"programme__in": programmes}
        self.fields["call"].queryset = Call.objects.filter(**scoped).select_related("programme")
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(
            **scoped
        ).select_related("programme")
        self.fields["area"].queryset = Area.objects.filter(**scoped).select_related("programme")
        for name in ("call", "field_of_action", "area"):
            self.fields[name].label_from_instance = _with_programme

    def register_filters(self) -> RegisterFilters:
        data = self.cleaned_data
        return RegisterFilters(
            programme_id=data["programme"].pk if data.get("programme") else None,
            call_id=data["call"].pk if data.get("call") else None,
            state=data.get("state") or None,
            field_of_action_id=data["field_of_action"].pk if data.get("field_of_action") else None,
            area_id=data["area"].pk if data.get("area") else None,
            year=data.get("year"),
        )
