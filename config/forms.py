"""Form helpers shared by all apps: KERN UX classes on Django widgets.

Use ``KernFormMixin`` in a form and render each field with
``{% include "includes/kern_field.html" with field=form.name %}``.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms import widgets
from django.utils.translation import gettext_lazy as _

from config.security import normalise_login

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
    """Adds the KERN class, and its --error variant once the field has errors.

    Django 5.2 already sets aria-invalid and points aria-describedby at
    ``<id>_helptext`` and ``<id>_error``, the ids the field template uses.
    """

    def build_widget_attrs(self, attrs, widget=None):
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


class KernFormMixin:
    bound_field_class = KernBoundField


class LoginForm(KernFormMixin, AuthenticationForm):
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
