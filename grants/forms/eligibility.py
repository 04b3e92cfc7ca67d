"""The short check before the first step: does this call fit the project?"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import ApplicantKind
from core.forms import MoneyField
from grants.models import Call, EligibilityAnswers
from grants.services.base import MAX_LINE_AMOUNT

ELSEWHERE = "elsewhere"


class EligibilityForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Wer stellt den Antrag?"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wer den Antrag stellt.")},
    )
    area = forms.ChoiceField(
        label=_("Wo findet das Projekt statt?"),
        error_messages={"required": _("Bitte wählen Sie, wo das Projekt stattfindet.")},
    )
    started = forms.ChoiceField(
        label=_("Hat das Projekt schon begonnen?"),
        help_text=_("Begonnen heißt auch: Aufträge vergeben oder Verträge dafür geschlossen."),
        choices=[("no", _("Nein")), ("yes", _("Ja"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte sagen Sie, ob das Projekt schon begonnen hat.")},
    )
    amount = MoneyField(
        label=_("Wie viel Geld möchten Sie ungefähr beantragen?"),
        help_text=_("In Euro, zum Beispiel 4.500,00. Eine Schätzung reicht."),
        max_value=MAX_LINE_AMOUNT,
    )

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = [(str(area.pk), area.name) for area in call.programme.areas.all()]
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [
            ("", _("Bitte wählen")),
            *areas,
            (ELSEWHERE, _("Woanders")),
        ]

    def answers(self) -> EligibilityAnswers:
        data = self.cleaned_data
        return EligibilityAnswers(
            applicant_kind=data["applicant_kind"],
            in_area=data["area"] != ELSEWHERE,
            started=data["started"] == "yes",
            amount=data["amount"],
        )
