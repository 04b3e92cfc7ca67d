"""Export batches and report runs, read-only: they are records of what was handed over."""

from django.contrib import admin

from reporting.models import ExportBatch, ReportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExportBatch)
class ExportBatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at", "created_by", "row_count", "total_amount", "kind"]
    list_filter = ["kind", "programmes"]
    date_hierarchy = "created_at"


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["report", "requested_by", "created_at", "state", "rows_done", "rows_total"]
    list_filter = ["state", "report"]
