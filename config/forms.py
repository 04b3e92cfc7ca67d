"""Forms of the site pages. Every form renders in KERN UX markup through
``core.forms.KernFormRenderer`` (settings.FORM_RENDERER)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
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

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # Only with the right password does the form say that the account exists but is
            # not confirmed yet; a wrong password gets the same answer as an unknown address.
            user = (
                get_user_model()
                .objects.filter(email=self.cleaned_data.get("username", ""), is_active=False)
                .first()
            )
            if user is not None and user.check_password(self.cleaned_data.get("password", "")):
                self.unconfirmed = True
                raise ValidationError(
                    _(
                        "Ihr Konto ist noch nicht bestätigt. Bitte öffnen Sie den Link aus "
                        "unserer E-Mail. Sie können einen neuen Link anfordern."
                    ),
                    code="unconfirmed",
                ) from None
            raise

    unconfirmed = False
