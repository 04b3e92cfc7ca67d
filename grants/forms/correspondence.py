"""Forms of the message thread, the same for the applicant and the case worker: a message with
up to five files, and the answer to one item of a request for missing items."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applicants.uploads import accepted_formats, check_upload
from grants.services.correspondence import MAX_ATTACHMENTS, MAX_BODY


class _FilesInput(forms.FileInput):
    allow_multiple_selected = True


class _FilesField(forms.FileField):
    """Several files from one input; cleaned to a list (empty when none was chosen)."""

    widget = _FilesInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(_FilesField, self).clean(f, initial) for f in files if f]


def _file_field(label) -> forms.FileField:
    return _FilesField(label=label, required=False)


class _WithFile(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Bis zu %(n)s Dateien. Erlaubt: %(formats)s. Höchstens %(size)s je Datei."
        ) % {
            "n": MAX_ATTACHMENTS,
            "formats": accepted_formats(),
            "size": filesizeformat(settings.MAX_UPLOAD_BYTES),
        }

    def clean_file(self) -> list:
        uploads = self.cleaned_data.get("file") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Höchstens %(n)s Dateien je Nachricht.") % {"n": MAX_ATTACHMENTS}
            )
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors += [f"{upload.name}: {message}" for message in exc.messages]
        if errors:
            raise ValidationError(errors)
        return uploads

    def uploads(self) -> list:
        return self.cleaned_data.get("file") or []


class ThreadMessageForm(_WithFile):
    body = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = _file_field(_("Dateien anhängen"))


class RequestItemAnswerForm(_WithFile):
    text = forms.CharField(
        label=_("Ihre Antwort"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = _file_field(_("Unterlagen zu diesem Punkt"))

    def __init__(self, *args, item, **kwargs) -> None:
        # One form per item on the page: the prefix keeps ids and labels apart.
        super().__init__(*args, prefix=f"item-{item.pk}", **kwargs)
        self.item = item
