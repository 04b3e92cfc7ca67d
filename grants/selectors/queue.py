"""Reads of the case-work screens: the work queue with its filters, deadlines and counts.

Every read has a fixed number of queries, whatever the number of applications, and none
aggregates over all applications per request: the figures the list shows (requested amount,
next deadline) are stored on the application by the services that change them
(grants/services/queue.py), every sort runs on an index (``Application.Meta.indexes``), and the
counts per state come from the (programme, state) index.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applicants.models import Applicant, User
from grants.models import (
    Application,
    ApplicationState,
    Area,
    Call,
    Decision,
    FieldOfAction,
    Payout,
    Programme,
    SavedQueueFilter,
    StaffRole,
    StateCount,
)
from grants.permissions import casework_programmes
from grants.selectors.applications import applications_for_staff
from grants.selectors.programmes import programmes_for_staff

S = ApplicationState
CASE_WORKER = StaffRole.Role.CASE_WORKER

DEADLINE_LABELS = {
    "appeal_deadline": _("Rechtsbehelfsfrist endet"),
    "response_due_date": _("Nachreichung fällig"),
    "proof_due_date": _("Verwendungsnachweis fällig"),
}


class QueueForm(forms.Form):
    pass


SORT_ORDERS = [
    ("submitted_at", "submitted", _("Einreichung")),
    ("file_number", "file_number", _("Aktenzeichen")),
    ("title", "title", _("Titel")),
    ("applicant__name", "applicant", _("Antragsteller*in")),
    ("requested_amount", "requested", _("beantragter Betrag")),
    ("next_deadline", "deadline", _("nächste Frist")),
    ("state", "state", _("Status")),
]
# Empty values last in both directions; each direction has its index (Application.Meta).
NULLABLE_SORTS = {"submitted_at", "next_deadline", "file_number"}
DEFAULT_ORDER = (F("submitted_at").desc(nulls_last=True), F("id").desc())
# A search term that is a file number or its beginning (WIR2-2026, WIR2-2026-00): a programme
# code with a letter, so that "2026-0009" is still searched for anywhere in the file number.
FILE_NUMBER_START = re.compile(r"^[A-Z0-9]*[A-Z][A-Z0-9]*-\d{4}(-\d*)?$")


class QueueOrdering(django_filters.OrderingFilter):
    """Sorts as the indexes are built: the column, then the id in the same direction, so that
    pages are stable and the database walks an index instead of sorting every row."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            name = field.lstrip("-")
            descending = field.startswith("-")
            if name in NULLABLE_SORTS:
                column = (
                    F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
                )
            else:
                column = F(name).desc() if descending else F(name).asc()
            ordering += [column, F("id").desc() if descending else F("id").asc()]
        return qs.order_by(*ordering)


class QueueFilter(django_filters.FilterSet):
    """Filters of the work queue; choices are limited to the case worker's programmes."""

    q = django_filters.CharFilter(
        label=_("Suche"), method="search", help_text=_("Aktenzeichen, Titel oder Antragsteller*in")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programm"), queryset=Programme.objects.none(), empty_label=_("alle")
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Förderaufruf"), queryset=Call.objects.none(), empty_label=_("alle")
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in S.choices if c[0] != S.DRAFT],
        empty_label=_("alle"),
    )
    field_of_action = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        field_name="fields_of_action",
        queryset=FieldOfAction.objects.none(),
        empty_label=_("alle"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Gebiet"), field_name="areas", queryset=Area.objects.none(), empty_label=_("alle")
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Zuständig"), method="filter_assigned", empty_label=_("alle")
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Fristen"),
        method="filter_deadline",
        choices=[("overdue", _("überschritten")), ("week", _("fällig in den nächsten 7 Tagen"))],
        empty_label=_("alle"),
    )
    sort = QueueOrdering(
        label=_("Sortierung"),
        empty_label=_("neueste Einreichung zuerst"),
        fields=tuple((field, param) for field, param, _label in SORT_ORDERS),
        # Ascending labels are keyed by model field, descending ones by "-param" (django-filter's
        # convention); both lazy, since django-filter's own "(descending)" is fixed at import.
        field_labels={
            **{field: label for field, _param, label in SORT_ORDERS},
            **{
                f"-{param}": format_lazy("{} ({})", label, _("absteigend"))
                for _field, param, label in SORT_ORDERS
            },
        },
    )

    class Meta:
        model = Application
        fields: list[str] = []
        form = QueueForm

    def __init__(self, data=None, *args, user: User, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.user = user
        programmes = casework_programmes(user)
        ids = programmes.values("pk")
        self.filters["programme"].queryset = programmes
        self.filters["call"].queryset = Call.objects.filter(programme__in=ids).select_related(
            "programme"
        )
        self.filters["field_of_action"].queryset = FieldOfAction.objects.filter(programme__in=ids)
        self.filters["area"].queryset = Area.objects.filter(programme__in=ids)
        colleagues = (
            User.objects.filter(staff_roles__role=CASE_WORKER, staff_roles__programme__in=ids)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.filters["assigned"].extra["choices"] = [
            ("me", _("meine Fälle")),
            ("none", _("nicht zugewiesen")),
            *[(str(u.pk), u.get_full_name() or u.email) for u in colleagues],
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if FILE_NUMBER_START.match(value.upper()):
            # A file number or its beginning: the file number's own B-tree (its pattern index,
            # which PostgreSQL keeps for every unique text column) finds it exactly.
            return queryset.filter(file_number__startswith=value.upper())
        # Every condition on a column of the application itself, each with its trigram index
        # (migration 0016), so that PostgreSQL can combine them (BitmapOr) or, for a common
        # word, walk the sort's index and stop after a page. The applicants come first, as ids:
        # a subquery or a join under the OR could use no index and read every application.
        applicants = list(
            Applicant.objects.filter(name__icontains=value).order_by().values_list("pk", flat=True)
        )
        return queryset.filter(
            Q(file_number__icontains=value)
            | Q(title__icontains=value)
            | Q(applicant_id__in=applicants)
        )

    def filter_assigned(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "me":
            return queryset.filter(assigned_to=self.user)
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=value)

    def filter_deadline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(next_deadline__lt=today)
        return queryset.filter(next_deadline__gte=today, next_deadline__lte=today + dt.timedelta(7))


def queue(user: User, params) -> tuple[QueueFilter, QuerySet[Application]]:
    base = applications_for_staff(user, CASE_WORKER)
    filterset = QueueFilter(params or None, queryset=base, user=user)
    applications = filterset.qs if filterset.is_valid() else base
    if needs_distinct(filterset):
        applications = applications.distinct()
    if not (
        filterset.is_bound and filterset.is_valid() and filterset.form.cleaned_data.get("sort")
    ):
        applications = applications.order_by(*DEFAULT_ORDER)
    return filterset, applications.select_related("applicant", "programme", "call", "assigned_to")


class QueuePaginator(Paginator):
    """Pages in two steps: the ids of the page first, which an offset reads from the sort's
    index alone, then the rows shown with their joins. A plain offset joins applicant,
    programme, call and assignee for every row it skips (page 50: 2,450 of them)."""

    def __init__(self, applications: QuerySet[Application], per_page: int) -> None:
        super().__init__(applications, per_page)
        self.applications = applications

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.applications.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.applications.order_by().filter(pk__in=ids)}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


def needs_distinct(filterset: QueueFilter) -> bool:
    """Filters across a many-to-many relation may repeat an application."""
    if not (filterset.is_bound and filterset.is_valid()):
        return False
    data = filterset.form.cleaned_data
    return bool(data.get("field_of_action") or data.get("area"))


def counts_by_state(applications: QuerySet[Application], *, distinct: bool = False) -> list[dict]:
    """One query: how many of the filtered applications are in each state (read from the
    (programme, state) index when no other filter applies)."""
    # COUNT(*), not COUNT(id): only then can PostgreSQL answer from the index alone.
    n = Count("pk", distinct=True) if distinct else Count("*")
    rows = dict(applications.order_by().values_list("state").annotate(n=n))
    return [{"state": v, "label": label, "n": rows[v]} for v, label in S.choices if v in rows]


def kept_counts_by_state(programme_ids: list[int]) -> list[dict]:
    """As :func:`counts_by_state` for all applications of the programmes, from the counts the
    transitions keep (``StateCount``): a few rows, however many applications there are."""
    rows: dict[str, int] = {}
    for state, n in StateCount.objects.filter(programme_id__in=programme_ids, n__gt=0).values_list(
        "state", "n"
    ):
        rows[state] = rows.get(state, 0) + n
    return [{"state": v, "label": label, "n": rows[v]} for v, label in S.choices if v in rows]


def filters_applied(filterset: QueueFilter) -> bool:
    """Whether any filter narrows the queue (sorting does not)."""
    if not (filterset.is_bound and filterset.is_valid()):
        return False
    return any(value for name, value in filterset.form.cleaned_data.items() if name != "sort")


def overdue_count(user: User) -> int:
    """Own programmes' applications past a deadline, counted from the (programme,
    next_deadline) index alone. Drafts need no exclusion here: they have no deadline."""
    return Application.objects.filter(
        programme_id__in=programmes_for_staff(user, CASE_WORKER),
        next_deadline__lt=timezone.localdate(),
    ).count()


def saved_filters(user: User) -> list[SavedQueueFilter]:
    return list(SavedQueueFilter.objects.filter(user=user).order_by("name"))


def queue_query(params) -> str:
    """The query string of the queue's own parameters (page number and unknown keys dropped),
    as saved filters keep it."""
    known = set(QueueFilter.base_filters)
    return urlencode(
        [(key, value) for key in params for value in params.getlist(key) if key in known and value]
    )


def needs_me(user: User) -> dict[str, QuerySet]:
    """What waits for this case worker: proposals of colleagues to confirm, payouts to certify
    or order (as the second person), overdue deadlines of own cases."""
    ids = programmes_for_staff(user, CASE_WORKER)
    today = timezone.localdate()
    pending = Decision.objects.filter(
        status=Decision.Status.PROPOSED, application__programme_id__in=ids
    ).exclude(proposed_by=user)
    payouts = Payout.objects.filter(application__programme_id__in=ids).select_related("application")
    return {
        "to_confirm": pending.select_related("application", "proposed_by").order_by("proposed_at"),
        "to_certify": payouts.filter(state__in=[Payout.State.PLANNED, Payout.State.REQUESTED])
        .filter(due_date__lte=today + dt.timedelta(14))
        .order_by("due_date"),
        "to_order": payouts.filter(state=Payout.State.CERTIFIED)
        .exclude(certified_by=user)
        .order_by("due_date"),
        "overdue": applications_for_staff(user, CASE_WORKER)
        .filter(next_deadline__lt=today)
        .select_related("applicant")
        .order_by("next_deadline", "id"),
    }
