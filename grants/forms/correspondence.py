"""Forms of the message thread, the same for the applicant and the case worker: a message with
an optional file, and the answer to one item of a request for missing items."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applicants.uploads import accepted_formats, check_upload
from grants.services.correspondence import MAX_BODY


def _file_field(label) -> forms.FileField:
    return forms.FileField(label=label, required=False)


class _WithFile(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Erlaubt: %(formats)s. Höchstens %(size)s.") % {
            "formats": accepted_formats(),
            "size": filesizeformat(settings.MAX_UPLOAD_BYTES),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload

    def uploads(self) -> list:
        upload = self.cleaned_data.get("file")
        return [upload] if upload else []


class ThreadMessageForm(_WithFile):
    body = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = _file_field(_("Datei anhängen"))


class RequestItemAnswerForm(_WithFile):
    text = forms.CharField(
        label=_("Ihre Antwort"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = _file_field(_("Unterlage zu diesem Punkt"))

    def __init__(self, *args, item, **kwargs) -> None:
        # One form per item on the page: the prefix keeps ids and labels apart.
        super().__init__(*args, prefix=f"item-{item.pk}", **kwargs)
        self.item = item
