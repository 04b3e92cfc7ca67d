from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Sprache Ihrer E-Mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    digest = forms.BooleanField(
        label=_("Tägliche Übersicht über neue und überfällige Vorgänge"),
        required=False,
    )

    def __init__(self, *args, offer_digest: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only case workers get a digest; nobody else should be offered a choice that does
        # nothing.
        if not offer_digest:
            del self.fields["digest"]
