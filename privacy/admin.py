"""Admin: the legal texts are edited here; the anonymisation log is read-only."""

from __future__ import annotations

from django.contrib import admin

from notifications.admin import ReadOnlyAdmin
from privacy.models import AnonymisationRecord, LegalText


@admin.register(LegalText)
class LegalTextAdmin(admin.ModelAdmin):
    list_display = ["kind", "updated_at"]


@admin.register(AnonymisationRecord)
class AnonymisationRecordAdmin(ReadOnlyAdmin):
    list_display = ["anonymised_at", "record_class", "model", "object_id", "reference", "job_run"]
    list_filter = ["record_class", "model"]
    search_fields = ["reference"]
