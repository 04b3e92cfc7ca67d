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
from collections import Counter
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import DateTimeField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
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


class QueueForm(forms.Form):
    pass


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices its field was given, instead of a query of its own."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.listed

    def __len__(self) -> int:
        return len(self.field.listed) + (self.field.empty_label is not None)


class ListedChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice whose options are read beforehand; its queryset still checks the
    value chosen."""

    iterator = ListedChoiceIterator

    def __init__(self, *args, listed: list[tuple[int, str]], **kwargs) -> None:
        self.listed = listed
        super().__init__(*args, **kwargs)


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


def filter_choices(programme_ids: list[int]) -> dict[str, list[tuple[int, str]]]:
    """The options of the programme, call, field-of-action and area filters in one query
    (four model choice fields would read a query and a server-side cursor each), in the
    models' own order (``Meta.ordering``) and with their own labels."""
    # Typed: PostgreSQL takes an untyped NULL in the first part of a union for text.
    no_position = Cast(Value(None), IntegerField())
    no_deadline = Cast(Value(None), DateTimeField())

    def part(model, kind: str, code: str, label: str, position=no_position, deadline=no_deadline):
        ids = {"pk__in" if model is Programme else "programme__in": programme_ids}
        columns = {"kind": Value(kind), "in_code": F(code), "label": F(label)}
        columns |= {"rank": position, "due": deadline}
        return (
            model.objects.filter(**ids)
            .order_by()
            .annotate(**columns)
            .values_list("kind", "pk", "in_code", "label", "rank", "due")
        )

    rows = part(Programme, "programme", "code", "name").union(
        part(Call, "call", "programme__code", "title", deadline=F("deadline")),
        part(FieldOfAction, "field_of_action", "programme__code", "name", F("position")),
        part(Area, "area", "programme__code", "name", F("position")),
        all=True,
    )
    by_kind: dict[str, list[tuple]] = {
        "programme": [],
        "call": [],
        "field_of_action": [],
        "area": [],
    }
    for kind, *row in rows:
        by_kind[kind].append(row)
    calls = sorted(by_kind["call"], key=lambda row: (row[4], row[0]), reverse=True)
    return {
        "programme": [(pk, name) for pk, code, name, *_ in sorted(by_kind["programme"], key=_code)],
        "call": [(pk, f"{code}: {title}") for pk, code, title, *_ in calls],
        "field_of_action": [
            (pk, name) for pk, _c, name, *_ in sorted(by_kind["field_of_action"], key=_listed)
        ],
        "area": [(pk, name) for pk, _c, name, *_ in sorted(by_kind["area"], key=_listed)],
    }


def _code(row: tuple) -> str:
    return row[1]


def _listed(row: tuple) -> tuple:
    """A list entry's order: its programme's code, its position, its name."""
    return (row[1], row[3], row[2])


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
# How many applicants a search term may match and still be sent as a list of their ids. At
# 1,000,000 applications a name part shared by 500 applicants (2,000 applications) took 500 ms
# as a subquery, which no index can combine with the other conditions, and 1,000 ids cost a
# millisecond to read; above that the term is common enough that the walk along the sort's
# index meets a match after a few rows.
FEW_APPLICANTS = 1000
# A filter matching more applications than this is counted only up to here: the page says
# "mehr als 1.000 Anträge" and pages through the first ones, instead of reading every match.
COUNT_CAP = 1000


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
    programme = ListedChoiceFilter(
        label=_("Programm"), queryset=Programme.objects.none(), empty_label=_("alle")
    )
    call = ListedChoiceFilter(
        label=_("Förderaufruf"), queryset=Call.objects.none(), empty_label=_("alle")
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in S.choices if c[0] != S.DRAFT],
        empty_label=_("alle"),
    )
    field_of_action = ListedChoiceFilter(
        label=_("Handlungsfeld"),
        field_name="fields_of_action",
        queryset=FieldOfAction.objects.none(),
        empty_label=_("alle"),
    )
    area = ListedChoiceFilter(
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
        ids = programmes_for_staff(user, CASE_WORKER)
        self.filters["programme"].queryset = programmes
        self.filters["call"].queryset = Call.objects.filter(programme__in=ids)
        self.filters["field_of_action"].queryset = FieldOfAction.objects.filter(programme__in=ids)
        self.filters["area"].queryset = Area.objects.filter(programme__in=ids)
        for name, listed in filter_choices(ids).items():
            self.filters[name].extra["listed"] = listed
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
        # word, walk the sort's index and stop after a page. A rare name part comes as a few
        # applicant ids: as constants PostgreSQL sees how rare they are and reads them from the
        # applicant index (a subquery under the OR could use no index and read every
        # application). A common one stays a subquery: thousands of ids are not worth building
        # here, and the walk along the sort's index meets a match after a few rows.
        names = Applicant.objects.filter(name__icontains=value).order_by().values_list("pk")
        few = [pk for (pk,) in names[: FEW_APPLICANTS + 1]]
        return queryset.filter(
            Q(file_number__icontains=value)
            | Q(title__icontains=value)
            | Q(applicant_id__in=few if len(few) <= FEW_APPLICANTS else names)
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
    return filterset, applications


# What a row of the queue shows (templates/grants/casework/queue.html), as plain values: the
# four joined rows hold some hundred columns, and fifty rows as model instances (with the state
# machine's bookkeeping for each) took longer to read than the page's SQL.
ROW_COLUMNS = ("pk", "file_number", "title", "state", "requested_amount", "next_deadline")
ROW_RELATED = {
    "programme_code": F("programme__code"),
    "call_title": F("call__title"),
    "applicant_name": F("applicant__name"),
    "assignee_id": F("assigned_to_id"),
    "assignee_first_name": F("assigned_to__first_name"),
    "assignee_last_name": F("assigned_to__last_name"),
}


class QueuePaginator(Paginator):
    """Pages in two steps: the ids of the page first, which an offset reads from the sort's
    index alone, then the rows shown with their joins, as dictionaries of ``ROW_COLUMNS`` and
    ``ROW_RELATED``. A plain offset joins applicant, programme, call and assignee for every row
    it skips (page 50: 2,450 of them). The second step asks for the ids alone: they passed the
    access rule and the filters in the first."""

    def __init__(
        self, applications: QuerySet[Application], per_page: int, *, capped: bool = False
    ) -> None:
        super().__init__(applications, per_page)
        self.applications = applications
        self.capped = capped

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        # A capped search stops at the cap. An exact count only numbers the pages: the kept
        # counts may drift until the nightly reconciliation, and must never hide a row.
        if self.capped:
            top = min(top, self.count)
        ids = list(self.applications.values_list("pk", flat=True)[bottom:top])
        shown = Application.objects.filter(pk__in=ids).order_by()
        rows = {row["pk"]: row for row in shown.values(*ROW_COLUMNS, **ROW_RELATED)}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


def needs_distinct(filterset: QueueFilter) -> bool:
    """Filters across a many-to-many relation may repeat an application."""
    if not (filterset.is_bound and filterset.is_valid()):
        return False
    data = filterset.form.cleaned_data
    return bool(data.get("field_of_action") or data.get("area"))


def counts_by_state(
    applications: QuerySet[Application], *, distinct: bool = False
) -> tuple[list[dict] | None, list[int] | None]:
    """How many of the filtered applications are in each state, in one query that stops
    reading after the first ``COUNT_CAP + 1`` matches, and the ids of the matches; (None, None)
    when there are more."""
    rows = list(applications.order_by().values_list("pk", "state")[: COUNT_CAP + 1])
    if len(rows) > COUNT_CAP:
        return None, None
    # A filter across a many-to-many relation may repeat an application: count it once.
    states = dict(rows) if distinct else None
    n = Counter(states.values() if states is not None else (state for _pk, state in rows))
    counts = [{"state": v, "label": label, "n": n[v]} for v, label in S.choices if v in n]
    return counts, list(states if states is not None else (pk for pk, _state in rows))


def kept_counts_by_state(programme_ids: list[int]) -> list[dict]:
    """How many applications of the programmes are in each state, from the counts the
    transitions keep (``StateCount``): a few rows, however many applications there are."""
    rows: dict[str, int] = {}
    for state, n in StateCount.objects.filter(programme_id__in=programme_ids, n__gt=0).values_list(
        "state", "n"
    ):
        rows[state] = rows.get(state, 0) + n
    return [{"state": v, "label": label, "n": rows[v]} for v, label in S.choices if v in rows]


def queue_counts(
    filterset: QueueFilter, applications: QuerySet[Application], user: User
) -> tuple[list[dict] | None, list[int] | None]:
    """The counts per state of what the queue lists (None when more than ``COUNT_CAP``
    match), and the ids of the matches when they were read to count them. Narrowed by
    programme and state at most, they are the kept counts (exact, from a few rows); any other
    filter has them counted, up to the cap."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    narrowed_by = {name for name, value in data.items() if value and name != "sort"}
    if narrowed_by <= {"programme", "state"}:
        programme = data.get("programme")
        # The form offers (and validates against) the user's own programmes only.
        ids = [programme.pk] if programme else programmes_for_staff(user, CASE_WORKER)
        rows = kept_counts_by_state(ids)
        if "state" in narrowed_by:
            rows = [row for row in rows if row["state"] == data["state"]]
        return rows, None
    return counts_by_state(applications, distinct=needs_distinct(filterset))


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
