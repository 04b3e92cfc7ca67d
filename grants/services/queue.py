"""The figures the work queue shows, kept on the application by the services that change them,
and the check that finds and repairs any that drifted.

``Application.requested_amount`` (the grant line of the plan) is written by the plan's service
(``application_save_plan``), ``Application.next_deadline`` and the counts per state
(``StateCount``) by ``grants.lifecycle.apply`` with every transition. No database trigger: SQLite drops triggers when a migration rebuilds a table,
and a service that forgot a figure is found by :func:`queue_figures_reconcile` (a daily job).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import BigIntegerField, Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round
from django.http import Http404
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import RuleViolated
from grants.models import (
    DEADLINE_BY_STATE,
    ZERO,
    Application,
    ApplicationState,
    FinancingKind,
    FinancingLine,
    SavedQueueFilter,
    StateCount,
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


def state_count_move(*, programme_id: int, source: str, target: str) -> None:
    """One application of the programme went from ``source`` to ``target``: its counts follow,
    in the caller's transaction. Drafts are not counted."""
    if source == target:
        return
    steps = [(source, -1), (target, 1)]
    # Both rows in the order of their state, so that two opposite moves cannot deadlock.
    for state, delta in sorted(steps):
        if state == ApplicationState.DRAFT:
            continue
        rows = StateCount.objects.filter(programme_id=programme_id, state=state)
        if not rows.update(n=F("n") + delta):
            # The programme's first application in this state. Two at once meet in the unique
            # constraint, and get_or_create then reads the other's row.
            StateCount.objects.get_or_create(programme_id=programme_id, state=state)
            rows.update(n=F("n") + delta)


def state_counts_reconcile(*, repair: bool) -> int:
    """How many kept counts per (programme, state) differ from a count of the applications;
    repaired unless ``repair`` is false."""
    expected = {
        (programme_id, state): n
        for programme_id, state, n in Application.objects.exclude(state=ApplicationState.DRAFT)
        .values_list("programme_id", "state")
        .annotate(n=Count("*"))
        .order_by()
    }
    kept = {(row.programme_id, row.state): row.n for row in StateCount.objects.select_for_update()}
    drifted = [
        key for key in expected.keys() | kept.keys() if expected.get(key, 0) != kept.get(key, 0)
    ]
    if repair:
        for programme_id, state in drifted:
            StateCount.objects.update_or_create(
                programme_id=programme_id,
                state=state,
                defaults={"n": expected.get((programme_id, state), 0)},
            )
    return len(drifted)


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
    return {
        "requested_amount": len(drifted_requested),
        "next_deadline": len(drifted_deadlines),
        "state_counts": state_counts_reconcile(repair=repair),
    }


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
