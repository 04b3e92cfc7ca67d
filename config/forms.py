"""Forms of the site pages. Every form renders in KERN UX markup through
``core.forms.KernFormRenderer`` (settings.FORM_RENDERER)."""

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Users log in with their e-mail address: offer the e-mail keyboard on phones.
        self.fields["username"].widget.input_type = "email"
