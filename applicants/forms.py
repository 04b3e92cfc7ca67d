"""Forms of accounts and applicant profiles, rendered in KERN markup (config.forms)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants import services
from applicants.models import Applicant, ApplicantKind, StandardDocument, User
from applicants.services import PROFILE_FIELDS
from applicants.uploads import accepted_formats, check_upload
from applicants.validators import normalise_iban
from core.forms import DatePartsField


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("An diese Adresse schicken wir einen Link zur Bestätigung."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("Vorname"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        help_text=_("Mindestens 8 Zeichen, nicht nur Ziffern, kein gängiges Passwort."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(
        label=_("Sprache für E-Mails und Seiten"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        initial="de",
    )
    privacy = forms.BooleanField(
        label=_("Ich habe die Datenschutzerklärung gelesen."),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben.")
        },
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))


class KernPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # Into the outbox instead of straight to the provider: an outage delays the link
        # instead of losing it.
        path = reverse(
            "applicants:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        services.password_reset_mail(
            user=context["user"], reset_url=settings.PORTAL_BASE_URL + path
        )


class KernSetPasswordForm(SetPasswordForm):
    pass


class KernPasswordChangeForm(PasswordChangeForm):
    """ "Passwort ändern" in place: the current password, then the new one twice."""


class AccountForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    language = forms.ChoiceField(
        label=_("Sprache für E-Mails und Seiten"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the password confirms it is its holder."""

    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort stimmt nicht."))
        return password


class ApplicantForm(forms.ModelForm):
    """Master data, contact person and bank account of an organisation or a person."""

    class Meta:
        model = Applicant
        fields = list(PROFILE_FIELDS)
        widgets = {"kind": forms.Select}
        field_classes = {"tax_exemption_date": DatePartsField}
        help_texts = {
            "name": _("Bei Einzelpersonen: Vor- und Nachname."),
            "iban": _("Zum Beispiel DE89 3704 0044 0532 0130 00. Leerzeichen sind erlaubt."),
            "bic": _("Bei deutschen Konten nicht nötig."),
            "register_number": _("Zum Beispiel VR 12345. Nur bei eingetragenen Vereinen."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ApplicantKind.choices
        for name, autocomplete in [
            ("street", "street-address"),
            ("postal_code", "postal-code"),
            ("city", "address-level2"),
            ("email", "email"),
            ("phone", "tel"),
            ("contact_email", "email"),
            ("contact_phone", "tel"),
        ]:
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        # A bank account is needed for payouts, not for a first draft; the check step says so.
        self.fields["iban"].widget.attrs["autocomplete"] = "off"

    def clean_iban(self) -> str:
        return normalise_iban(self.cleaned_data.get("iban", ""))

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if not value.isdigit() or len(value) != 5:
            raise forms.ValidationError(_("Bitte geben Sie eine fünfstellige Postleitzahl an."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("iban") and not cleaned.get("account_holder"):
            self.add_error("account_holder", _("Bitte nennen Sie die Kontoinhaber*in."))
        return cleaned


class StandardDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Dokuments"), choices=StandardDocument.Kind.choices)
    file = forms.FileField(label=_("Datei"))
    valid_until = DatePartsField(
        label=_("gültig bis"),
        required=False,
        help_text=_(
            "Zum Beispiel beim Freistellungsbescheid. Leer lassen, wenn das Dokument nicht abläuft."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Erlaubt: %(formats)s. Höchstens %(size)s.") % {
            "formats": accepted_formats(),
            "size": filesizeformat(settings.MAX_UPLOAD_BYTES),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload

    def clean_valid_until(self):
        value = self.cleaned_data.get("valid_until")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(
                _("Das Dokument ist bereits abgelaufen. Bitte laden Sie ein gültiges hoch.")
            )
        return value


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der Kolleg*in"),
        help_text=_("Wir schicken eine Einladung mit einem Link. Er ist 14 Tage gültig."),
    )
