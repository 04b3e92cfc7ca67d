"""The figures the work queue shows, kept on the application by the services that change them,
and the check that finds and repairs any that drifted.

``Application.requested_amount`` (the grant line of the plan) is written by the plan's service
(``application_save_plan``), ``Application.next_deadline`` by ``grants.lifecycle.apply`` with
every transition. No database trigger: SQLite drops triggers when a migration rebuilds a table,
and a service that forgot a figure is found by :func:`queue_figures_reconcile` (a daily job).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import BigIntegerField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round
from django.http import Http404
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import RuleViolated
from grants.models import (
    DEADLINE_BY_STATE,
    ZERO,
    Application,
    FinancingKind,
    FinancingLine,
    SavedQueueFilter,
)


def _cents(field: str):
    # Integer cents: SQLite stores decimals as floats and would compare sums with float errors.
    return Cast(Round(F(field) * 100), BigIntegerField())


def _requested_cents() -> Subquery:
    return Subquery(
        FinancingLine.objects.filter(application=OuterRef("pk"), category__kind=FinancingKind.GRANT)
        .values("application")
        .annotate(total=Sum(_cents("amount")))
        .values("total"),
        output_field=BigIntegerField(),
    )


def application_requested_refresh(*, application: Application) -> Application:
    """Stores the plan's grant line on the application; called by the service that saves the
    plan, inside its transaction."""
    total = sum(
        (
            line.amount
            for line in application.financing_lines.filter(category__kind=FinancingKind.GRANT)
        ),
        ZERO,
    )
    Application.objects.filter(pk=application.pk).update(requested_amount=total)
    application.requested_amount = total
    return application


@transaction.atomic
def queue_figures_reconcile(*, repair: bool = True) -> dict[str, int]:
    """Counts (and repairs) applications whose stored queue figures differ from what their
    plan and state say. Normally all zero; anything else names a service that forgot them."""
    requested = Application.objects.annotate(
        expected=Coalesce(_requested_cents(), Value(0), output_field=BigIntegerField()),
        stored=_cents("requested_amount"),
    ).exclude(stored=F("expected"))
    drifted_requested = list(requested.values_list("pk", flat=True))
    if repair:
        for application in Application.objects.filter(pk__in=drifted_requested):
            application_requested_refresh(application=application)

    deadline_drift = Q(next_deadline__isnull=False) & ~Q(state__in=list(DEADLINE_BY_STATE))
    for state, field in DEADLINE_BY_STATE.items():
        differs = (
            Q(next_deadline__isnull=True, **{f"{field}__isnull": False})
            | Q(next_deadline__isnull=False, **{f"{field}__isnull": True})
            | Q(next_deadline__lt=F(field))
            | Q(next_deadline__gt=F(field))
        )
        deadline_drift |= Q(state=state) & differs
    drifted_deadlines = list(
        Application.objects.filter(deadline_drift).values_list("pk", "state", named=True)
    )
    if repair:
        for state, field in DEADLINE_BY_STATE.items():
            ids = [row.pk for row in drifted_deadlines if row.state == state]
            Application.objects.filter(pk__in=ids).update(next_deadline=F(field))
        others = [row.pk for row in drifted_deadlines if row.state not in DEADLINE_BY_STATE]
        Application.objects.filter(pk__in=others).update(next_deadline=None)
    return {"requested_amount": len(drifted_requested), "next_deadline": len(drifted_deadlines)}


MAX_SAVED_FILTERS = 30


@transaction.atomic
def saved_filter_create(*, user: User, name: str, query: str) -> SavedQueueFilter:
    """Keeps the queue's filter ``query`` (already reduced to the queue's own parameters) under
    ``name`` for ``user``."""
    if len(query) > 1000:
        raise RuleViolated(_("Dieser Filter ist zu lang, um ihn zu speichern."))
    existing = SavedQueueFilter.objects.select_for_update().filter(user=user)
    if existing.filter(name=name).exists():
        raise RuleViolated(
            _("Es gibt schon einen Filter „%(name)s“. Bitte wählen Sie einen anderen Namen.")
            % {"name": name}
        )
    if existing.count() >= MAX_SAVED_FILTERS:
        raise RuleViolated(
            _("Sie haben schon %(n)s Filter gespeichert; bitte löschen Sie zuerst einen.")
            % {"n": MAX_SAVED_FILTERS}
        )
    return SavedQueueFilter.objects.create(user=user, name=name, query=query)


@transaction.atomic
def saved_filter_delete(*, user: User, filter_id: int) -> None:
    """Deletes one of ``user``'s own saved filters; another person's is a 404."""
    saved = SavedQueueFilter.objects.filter(user=user, pk=filter_id).first()
    if saved is None:
        raise Http404
    saved.delete()
