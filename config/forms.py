"""Forms of the site pages. Every form renders in KERN UX markup through
``core.forms.KernFormRenderer`` (settings.FORM_RENDERER)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from config.security import normalise_login


class LoginForm(AuthenticationForm):
    remember = forms.BooleanField(
        label=_("Angemeldet bleiben (14 Tage)"),
        required=False,
        help_text=_(
            "Nur auf einem eigenen Gerät. Für Mitarbeitende der Verwaltung gilt das nicht."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Users log in with their e-mail address: offer the e-mail keyboard on phones.
        self.fields["username"].widget.input_type = "email"

    def clean_username(self) -> str:
        # Addresses are stored lower-case; " Anna@Example.org" or full-width letters name the
        # same account, and django-axes counts its failures under the same key.
        return normalise_login(self.cleaned_data["username"])
