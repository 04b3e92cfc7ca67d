"""The applicant's request to start before the decision (vorzeitiger Maßnahmebeginn)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DatePartsField


class EarlyStartForm(forms.Form):
    requested_start = DatePartsField(
        label=_("Ab wann soll das Projekt beginnen?"),
        error_messages={"required": _("Bitte geben Sie an, ab wann das Projekt beginnen soll.")},
    )
    reason = forms.CharField(
        label=_("Warum muss das Projekt vor der Entscheidung beginnen?"),
        help_text=_(
            "Die Zustimmung ist keine Zusage der Förderung: Sie beginnen auf eigenes Risiko."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Bitte begründen Sie, warum das Projekt vorzeitig beginnen soll.")
        },
    )
