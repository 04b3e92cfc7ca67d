"""Admin: the last runs of the periodic jobs and the heartbeats, read-only."""

from __future__ import annotations

from django.contrib import admin

from notifications.admin import ReadOnlyAdmin
from operations.models import Heartbeat, JobRun


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "job", "dry_run", "outcome", "finished_at", "duration"]
    list_filter = ["job", "outcome", "dry_run"]
    date_hierarchy = "started_at"


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "beat_at"]
