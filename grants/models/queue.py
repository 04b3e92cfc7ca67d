"""What a case worker keeps of the work queue: saved filters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedQueueFilter(models.Model):
    """A named query of the work queue (its filter and sort parameters), per person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_queue_filters"
    )
    name = models.CharField(_("Name"), max_length=80)
    query = models.CharField(_("Filter"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gespeicherter Filter")
        verbose_name_plural = _("gespeicherte Filter")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_queue_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class StateCount(models.Model):
    """How many applications of a programme are in a state (drafts are not counted: no staff
    page shows them). The work queue and the finance overview read these few rows instead of
    counting applications.

    Kept by ``grants.lifecycle.apply`` with every transition, in the transition's transaction
    (one conditional UPDATE per row); checked and repaired by the daily ``reconcile_queue``.
    """

    programme = models.ForeignKey("grants.Programme", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=50)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "state"], name="state_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.state}: {self.n}"
