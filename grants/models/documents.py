"""Documents of a case file as one kind of thing: which files exist (attachments, the
applicant's standard documents, attachments of the message thread), and the append-only record
of every time staff opened one."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.base import AppendOnly
from grants.models.programmes import DocumentType


class DocumentKind(models.TextChoices):
    """The kinds of file a case file holds; the value is the URL's word for it."""

    ATTACHMENT = "anlage", _("Anlage")
    STANDARD_DOCUMENT = "standarddokument", _("Standarddokument")
    THREAD_ATTACHMENT = "nachrichtenanhang", _("Anhang einer Nachricht")
    RECEIPT = "beleg", _("Beleg")


class DocumentOpening(AppendOnly):
    """Somebody of the programme's staff opened a file of the case: who, when, which file.
    Never changed; the file's history shows it ("Dokument geöffnet: satzung.pdf")."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="document_openings"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("durch"),
    )
    opened_at = models.DateTimeField(_("am"), default=timezone.now, db_index=True)
    kind = models.CharField(_("Art"), max_length=20, choices=DocumentKind.choices)
    document_id = models.PositiveIntegerField(_("Dokument-Nr."))
    file_name = models.CharField(_("Dateiname"), max_length=255)
    inline = models.BooleanField(
        _("im Browser angezeigt"), help_text=_("Nein: als Datei heruntergeladen.")
    )

    class Meta:
        verbose_name = _("Öffnung eines Dokuments")
        verbose_name_plural = _("Öffnungen von Dokumenten (Protokoll)")
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.opened_at:%d.%m.%Y %H:%M} {self.file_name}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A document belonging to an application, stored outside the web root."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    file = models.FileField(_("Datei"), upload_to=attachment_path)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
