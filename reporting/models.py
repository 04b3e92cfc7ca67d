"""Export batches: what was handed to the cash office, when, by whom, and in which file.

A payout may be in only one *first* export batch; the database refuses a second one. Handing
the same payouts over again is a re-export batch that names its original and gives a reason.
Batches and their items are never changed once written, except that the service completes a
new batch (file, count, sum) inside the transaction that creates it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import MONEY, Payout, Programme


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (Semikolon, UTF-8)")


def batch_file_path(instance: ExportBatch, filename: str) -> str:
    # Outside the web root (default storage is private) and not guessable.
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ExportBatch(models.Model):
    """One payout order list (Auszahlungsanordnung) as handed to the cash office."""

    class Kind(models.TextChoices):
        FIRST = "first", _("Erstexport")
        REEXPORT = "reexport", _("erneuter Export")

    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.FIRST)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exportiert von"),
    )
    created_at = models.DateTimeField(_("exportiert am"), default=timezone.now, db_index=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Programmfilter"),
        help_text=_("leer = alle Programme, für die die Person zuständig ist"),
    )
    programmes = models.ManyToManyField(
        Programme, related_name="export_batches", verbose_name=_("enthaltene Programme")
    )
    filters = models.JSONField(_("Filter"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    file_format = models.CharField(
        _("Format"), max_length=5, choices=ExportFormat.choices, default=ExportFormat.XLSX
    )
    file = models.FileField(_("Datei"), upload_to=batch_file_path, blank=True, max_length=300)
    row_count = models.PositiveIntegerField(_("Anzahl Auszahlungen"), default=0)
    total_amount = models.DecimalField(_("Summe"), **MONEY, default=Decimal("0.00"))
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reexports",
        verbose_name=_("ursprünglicher Export"),
    )
    reason = models.TextField(_("Begründung für den erneuten Export"), blank=True)

    class Meta:
        verbose_name = _("Exportstapel")
        verbose_name_plural = _("Exportstapel")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A re-export is only ever an explicit act on a named batch with a reason.
            models.CheckConstraint(
                condition=(Q(kind="first") & Q(original__isnull=True) & Q(reason=""))
                | (Q(kind="reexport") & Q(original__isnull=False) & ~Q(reason="")),
                name="export_batch_reexport_has_original_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"

    @property
    def reference(self) -> str:
        return f"AA-{self.created_at:%Y}-{self.pk:05d}"

    @property
    def filename(self) -> str:
        return f"auszahlungsanordnung-{self.reference}.{self.file_format}"


class ExportBatchItem(models.Model):
    """One payout in one batch. ``first_export`` repeats the batch's kind so that a partial
    unique index can refuse a second first export of the same payout."""

    batch = models.ForeignKey(ExportBatch, on_delete=models.PROTECT, related_name="items")
    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="export_items")
    first_export = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Position eines Exportstapels")
        verbose_name_plural = _("Positionen von Exportstapeln")
        constraints = [
            models.UniqueConstraint(
                fields=["payout"],
                condition=Q(first_export=True),
                name="export_item_payout_exported_once",
            ),
            models.UniqueConstraint(fields=["batch", "payout"], name="export_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.payout_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("Exportpositionen werden nicht geändert."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Exportpositionen werden nicht gelöscht."))


def run_file_path(instance: ReportRun, filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ReportRun(models.Model):
    """A report written in the background because it is long; its page shows the progress
    and, when done, the download."""

    class State(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("wird erstellt")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    report = models.CharField(_("Bericht"), max_length=20)
    file_format = models.CharField(
        _("Format"), max_length=5, choices=ExportFormat.choices, default=ExportFormat.XLSX
    )
    params = models.JSONField(_("Parameter"), default=dict, blank=True)
    filter_labels = models.JSONField(
        _("Filter"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    state = models.CharField(
        _("Stand"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    rows_total = models.PositiveIntegerField(_("Zeilen insgesamt"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("Zeilen geschrieben"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(_("Datei"), upload_to=run_file_path, blank=True, max_length=300)
    batch = models.ForeignKey(
        ExportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    error = models.TextField(_("Fehler"), blank=True)

    class Meta:
        verbose_name = _("Berichtsauftrag")
        verbose_name_plural = _("Berichtsaufträge")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_state_display()})"

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
