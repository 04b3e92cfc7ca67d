"""Reads of the case-work screens: the work queue with its filters, deadlines and counts.

Every read has a fixed number of queries, whatever the number of applications: figures are
annotated by the database (subqueries), never computed per row in Python.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applicants.models import User
from grants.models import (
    MONEY,
    ZERO,
    Application,
    ApplicationState,
    Area,
    Call,
    Decision,
    FieldOfAction,
    FinancingKind,
    FinancingLine,
    Payout,
    Programme,
    StaffRole,
)
from grants.permissions import casework_programmes
from grants.selectors.applications import applications_for_staff
from grants.selectors.programmes import programmes_for_staff

S = ApplicationState
CASE_WORKER = StaffRole.Role.CASE_WORKER

# Which date is the next deadline of an application in each state.
DEADLINE_BY_STATE = {
    S.APPROVED: "appeal_deadline",  # then the notice becomes final
    S.CHANGES_REQUESTED: "response_due_date",  # requested items
    S.PROOF_CHANGES_REQUESTED: "response_due_date",
    S.RUNNING: "proof_due_date",
    S.PROOF_DUE: "proof_due_date",
}
DEADLINE_LABELS = {
    "appeal_deadline": _("Rechtsbehelfsfrist endet"),
    "response_due_date": _("Nachreichung fällig"),
    "proof_due_date": _("Verwendungsnachweis fällig"),
}


def with_queue_figures(applications: QuerySet[Application]) -> QuerySet[Application]:
    requested = (
        FinancingLine.objects.filter(application=OuterRef("pk"), category__kind=FinancingKind.GRANT)
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return applications.annotate(
        requested=Coalesce(
            Subquery(requested, output_field=DecimalField(**MONEY)),
            Value(ZERO, output_field=DecimalField(**MONEY)),
        ),
        next_deadline=Case(
            *[When(state=state, then=F(field)) for state, field in DEADLINE_BY_STATE.items()],
            default=None,
            output_field=DateField(),
        ),
    )


class QueueForm(forms.Form):
    pass


SORT_ORDERS = [
    ("submitted_at", "submitted", _("Einreichung")),
    ("file_number", "file_number", _("Aktenzeichen")),
    ("title", "title", _("Titel")),
    ("applicant__name", "applicant", _("Antragsteller*in")),
    ("requested", "requested", _("beantragter Betrag")),
    ("next_deadline", "deadline", _("nächste Frist")),
    ("state", "state", _("Status")),
]


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
    sort = django_filters.OrderingFilter(
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
        return queryset.filter(
            Q(file_number__icontains=value)
            | Q(title__icontains=value)
            | Q(applicant__name__icontains=value)
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
    base = with_queue_figures(applications_for_staff(user, CASE_WORKER))
    filterset = QueueFilter(params or None, queryset=base, user=user)
    applications = filterset.qs if filterset.is_valid() else base
    if (
        filterset.is_bound
        and filterset.is_valid()
        and (
            filterset.form.cleaned_data.get("field_of_action")
            or filterset.form.cleaned_data.get("area")
        )
    ):
        applications = applications.distinct()
    if not (filterset.is_bound and filterset.form.cleaned_data.get("sort")):
        applications = applications.order_by(F("submitted_at").desc(nulls_last=True), "-id")
    return filterset, applications.select_related("applicant", "programme", "call", "assigned_to")


def counts_by_state(applications: QuerySet[Application]) -> list[dict]:
    """One query: how many of the filtered applications are in each state."""
    rows = dict(applications.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    return [{"state": v, "label": label, "n": rows[v]} for v, label in S.choices if v in rows]


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
        "overdue": with_queue_figures(applications_for_staff(user, CASE_WORKER))
        .filter(next_deadline__lt=today)
        .select_related("applicant")
        .order_by("next_deadline"),
    }
