"""The message thread of an application between the applicant (the members of the
organisation) and the programme's case workers: messages with attachments, who read them when,
and the items of a request for missing items (Nachforderung), each answered on its own."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.audit import StatusChange
from grants.models.base import AppendOnly


class ThreadMessage(AppendOnly):
    """One message of the thread. Never edited: what was written stays as it was read."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="thread_messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The side the author wrote for, fixed when written: it decides who is told by mail.
    from_staff = models.BooleanField(_("von der Förderstelle"))
    body = models.TextField(_("Nachricht"), max_length=5000)
    created_at = models.DateTimeField(_("geschrieben am"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.body[:40]}"


def thread_attachment_path(instance: ThreadAttachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"messages/{instance.message.application_id}/{uuid.uuid4().hex}"


class ThreadAttachment(models.Model):
    """A file sent with a message, checked as every upload (applicants/uploads.py)."""

    message = models.ForeignKey(ThreadMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Datei"), upload_to=thread_attachment_path)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))

    class Meta:
        verbose_name = _("Anhang einer Nachricht")
        verbose_name_plural = _("Anhänge von Nachrichten")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ThreadRead(models.Model):
    """Read receipt: ``user`` saw ``message`` at ``read_at`` (the first time only)."""

    message = models.ForeignKey(ThreadMessage, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("gelesen am"), default=timezone.now)

    class Meta:
        verbose_name = _("Lesebestätigung")
        verbose_name_plural = _("Lesebestätigungen")
        ordering = ["read_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="thread_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.read_at:%d.%m.%Y %H:%M}"


class RequestItem(models.Model):
    """One item of a request for missing items (the ``request_changes`` or
    ``request_proof_changes`` step, whose status change holds the whole request). The applicant
    answers it with a message of the thread (text and, if needed, a file)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="request_items"
    )
    request = models.ForeignKey(StatusChange, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("Nr."))
    text = models.CharField(_("Nachgefordert"), max_length=500)
    # The kind of document the item asks for, when its text begins with the name of one of the
    # programme's document types ("Satzung in der aktuellen Fassung"): the file that answers
    # the item then counts as that document (``Application.missing_document_types``).
    document_type = models.ForeignKey(
        "grants.DocumentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Dokumentart"),
    )
    answer = models.OneToOneField(
        ThreadMessage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_item",
        verbose_name=_("Antwort"),
    )

    class Meta:
        verbose_name = _("Nachgeforderter Punkt")
        verbose_name_plural = _("Nachgeforderte Punkte")
        ordering = ["request_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="request_item_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def answered(self) -> bool:
        return self.answer_id is not None
