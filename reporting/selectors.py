"""Reads for the finance area: who may see which programme, and the figures of the reports.

Every figure is summed by the database or in Python as ``Decimal``; nothing is a float. The
number of queries of each function is fixed, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, ExtractYear, Round
from django.utils.translation import gettext_lazy as _

from applicants.models import ApplicantKind, User
from grants.models import (
    CENT,
    ZERO,
    Application,
    ApplicationState,
    Budget,
    BudgetEntry,
    FinancingKind,
    FinancingLine,
    PaidTotal,
    Payout,
    Programme,
    StaffRole,
)
from grants.selectors.queue import kept_counts_by_state
from reporting.models import ExportBatch

NO_CATEGORY = _("ohne Zuordnung")


def money_sum(field: str, **extra) -> Sum:
    """Sum of a money column in cents, as an integer: exact on PostgreSQL and on SQLite, which
    stores decimals as floating point and would sum them with float errors."""
    return Sum(Cast(Round(F(field) * 100), BigIntegerField()), **extra)


def from_cents(value: int | None) -> Decimal:
    return (Decimal(value or 0) / 100).quantize(CENT)


# --- access ---------------------------------------------------------------------------------


def finance_programme_ids(user: User | None) -> set[int]:
    """Programmes for which ``user`` is finance staff; empty for everybody else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(
        StaffRole.objects.filter(user=user, role=StaffRole.Role.FINANCE).values_list(
            "programme_id", flat=True
        )
    )


def finance_programmes(user: User | None) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=finance_programme_ids(user)).order_by("code")


def payouts_ordered(programme_ids: Iterable[int], *, fiscal_year: int | None = None):
    """Ordered payouts not yet handed to the cash office: what the next export contains."""
    payouts = Payout.objects.filter(
        state=Payout.State.ORDERED, programme_id__in=list(programme_ids)
    )
    if fiscal_year:
        payouts = payouts.filter(fiscal_year=fiscal_year)
    return payouts


def payouts_ordered_list(programme_ids: Iterable[int]) -> QuerySet[Payout, dict]:
    """The rows of the list of ordered payouts, as plain rows with only the columns it shows:
    a page of a hundred payouts as model instances with their applications and applicants (and
    the state machine's bookkeeping for each) cost more than the rest of the page."""
    return (
        payouts_ordered(programme_ids)
        # On the (state, due date, id) index: a page is read without sorting the backlog.
        .order_by("due_date", "id")
        .values(
            "kind",
            "fiscal_year",
            "due_date",
            "amount",
            file_number=F("application__file_number"),
            applicant_name=F("application__applicant__name"),
        )
    )


def batches_for(user: User) -> QuerySet[ExportBatch]:
    """Batches of which ``user`` may see every programme: a batch is one file, shown whole
    or not at all."""
    allowed = finance_programme_ids(user)
    return (
        ExportBatch.objects.filter(programmes__in=allowed)
        .exclude(programmes__in=Programme.objects.exclude(pk__in=allowed))
        .distinct()
        .select_related("created_by", "programme", "original")
    )


def batch_get_for_user(user: User, batch_id: int) -> ExportBatch | None:
    return batches_for(user).filter(pk=batch_id).first()


# --- budget ---------------------------------------------------------------------------------


@dataclass
class BudgetLine:
    programme_id: int
    programme_code: str
    programme_name: str
    fiscal_year: int
    label: str  # Förderbereich, Handlungsfeld or Gebiet; "" for the programme as a whole
    amount: Decimal | None  # Ansatz; None where the breakdown has no budget of its own
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    repaid: Decimal = ZERO
    position: int = 0

    @property
    def available(self) -> Decimal | None:
        return None if self.amount is None else self.amount - self.committed

    @property
    def committed_percent(self) -> Decimal:
        if not self.amount:
            return ZERO
        return (self.committed * 100 / self.amount).quantize(Decimal("0.1"))

    @property
    def paid_percent(self) -> Decimal:
        if not self.amount:
            return ZERO
        return (self.paid * 100 / self.amount).quantize(Decimal("0.1"))


def budget_lines(
    programme_ids: Iterable[int], *, fiscal_year: int | None = None
) -> list[BudgetLine]:
    """One line per budget (programme, fiscal year, Förderbereich): Ansatz, committed (the
    ledger's running total), paid (payouts paid for that year, as kept in ``PaidTotal``),
    repaid (repayments booked back to that budget) and available. Paid money without a budget
    gets a line of its own, so that no euro is missing from the sums. Three queries over a few
    rows per budget, however many applications and payouts there are."""
    ids = list(programme_ids)
    budgets = Budget.objects.filter(programme_id__in=ids).select_related(
        "programme", "funding_area"
    )
    paid = PaidTotal.objects.filter(programme_id__in=ids)
    if fiscal_year:
        budgets = budgets.filter(fiscal_year=fiscal_year)
        paid = paid.filter(fiscal_year=fiscal_year)
    lines: dict[tuple[int, int, int | None], BudgetLine] = {}
    for budget in budgets:
        lines[(budget.programme_id, budget.fiscal_year, budget.funding_area_id)] = BudgetLine(
            programme_id=budget.programme_id,
            programme_code=budget.programme.code,
            programme_name=budget.programme.name,
            fiscal_year=budget.fiscal_year,
            label=budget.funding_area.name if budget.funding_area else "",
            amount=budget.amount,
            committed=budget.committed,
            position=budget.funding_area.position if budget.funding_area else -1,
        )
    repaid = (
        BudgetEntry.objects.filter(kind=BudgetEntry.Kind.REPAYMENT, budget__in=budgets.values("pk"))
        .values("budget__programme_id", "budget__fiscal_year", "budget__funding_area_id")
        .annotate(total=money_sum("amount"))
    )
    for row in repaid:
        key = (
            row["budget__programme_id"],
            row["budget__fiscal_year"],
            row["budget__funding_area_id"],
        )
        lines[key].repaid = -from_cents(row["total"])
    for total in paid.select_related("programme", "funding_area"):
        key = (total.programme_id, total.fiscal_year, total.funding_area_id)
        if key not in lines:
            lines[key] = BudgetLine(
                programme_id=key[0],
                programme_code=total.programme.code,
                programme_name=total.programme.name,
                fiscal_year=key[1],
                label=total.funding_area.name if total.funding_area else "",
                amount=ZERO,
                position=999,
            )
        lines[key].paid = total.amount
    return sorted(
        lines.values(), key=lambda b: (b.programme_code, -b.fiscal_year, b.position, b.label)
    )


def budget_totals(lines: Iterable[BudgetLine]) -> list[BudgetLine]:
    """Lines summed per programme and fiscal year (over the Förderbereiche)."""
    totals: dict[tuple[int, int], BudgetLine] = {}
    for line in lines:
        key = (line.programme_id, line.fiscal_year)
        total = totals.setdefault(
            key,
            BudgetLine(
                programme_id=line.programme_id,
                programme_code=line.programme_code,
                programme_name=line.programme_name,
                fiscal_year=line.fiscal_year,
                label="",
                amount=ZERO,
            ),
        )
        total.amount += line.amount or ZERO
        total.committed += line.committed
        total.paid += line.paid
        total.repaid += line.repaid
    return sorted(totals.values(), key=lambda b: (b.programme_code, -b.fiscal_year))


# Breakdowns by a many-to-many of the application; an application in two fields counts in
# both, so these lines are not summed.
BREAKDOWNS = {
    "fields_of_action": "fields_of_action",
    "areas": "areas",
}


def budget_breakdown(
    programme_ids: Iterable[int], dimension: str, *, fiscal_year: int | None = None
) -> list[BudgetLine]:
    """Committed, paid and repaid per programme, fiscal year and field of action or area."""
    relation = BREAKDOWNS[dimension]
    ids = list(programme_ids)
    entries = BudgetEntry.objects.filter(budget__programme_id__in=ids)
    paid = Payout.objects.filter(state=Payout.State.PAID, application__programme_id__in=ids)
    if fiscal_year:
        entries = entries.filter(budget__fiscal_year=fiscal_year)
        paid = paid.filter(fiscal_year=fiscal_year)
    lines: dict[tuple[int, int, int | None], BudgetLine] = {}
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in=ids)}

    def line(programme_id: int, year: int, item_id: int | None, name: str | None, pos: int | None):
        key = (programme_id, year, item_id)
        if key not in lines:
            programme = programmes[programme_id]
            lines[key] = BudgetLine(
                programme_id=programme_id,
                programme_code=programme.code,
                programme_name=programme.name,
                fiscal_year=year,
                label=name or str(NO_CATEGORY),
                amount=None,
                position=pos if pos is not None else 9999,
            )
        return lines[key]

    item = f"application__{relation}"
    ledger = entries.values(
        "budget__programme_id",
        "budget__fiscal_year",
        f"{item}__id",
        f"{item}__name",
        f"{item}__position",
    ).annotate(
        committed=money_sum("amount"),
        repaid=money_sum("amount", filter=Q(kind=BudgetEntry.Kind.REPAYMENT)),
    )
    for row in ledger:
        target = line(
            row["budget__programme_id"],
            row["budget__fiscal_year"],
            row[f"{item}__id"],
            row[f"{item}__name"],
            row[f"{item}__position"],
        )
        target.committed += from_cents(row["committed"])
        target.repaid += -from_cents(row["repaid"])
    for row in paid.values(
        "application__programme_id",
        "fiscal_year",
        f"{item}__id",
        f"{item}__name",
        f"{item}__position",
    ).annotate(total=money_sum("amount")):
        target = line(
            row["application__programme_id"],
            row["fiscal_year"],
            row[f"{item}__id"],
            row[f"{item}__name"],
            row[f"{item}__position"],
        )
        target.paid += from_cents(row["total"])
    return sorted(
        lines.values(), key=lambda b: (b.programme_code, -b.fiscal_year, b.position, b.label)
    )


# --- application register and statistics ---------------------------------------------------


@dataclass
class RegisterFilters:
    programme_id: int | None = None
    call_id: int | None = None
    state: str | None = None
    field_of_action_id: int | None = None
    area_id: int | None = None
    year: int | None = None

    def as_dict(self) -> dict[str, int | str]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def applications_visible(programme_ids: Iterable[int]) -> QuerySet[Application]:
    # Drafts belong to the applicant alone (domain.md §2.1).
    return Application.objects.filter(programme_id__in=list(programme_ids)).exclude(
        state=ApplicationState.DRAFT
    )


def register_queryset(programme_ids: Iterable[int], filters: RegisterFilters) -> QuerySet:
    applications = applications_visible(programme_ids)
    f = filters
    if f.programme_id:
        applications = applications.filter(programme_id=f.programme_id)
    if f.call_id:
        applications = applications.filter(call_id=f.call_id)
    if f.state:
        applications = applications.filter(state=f.state)
    if f.field_of_action_id:
        applications = applications.filter(fields_of_action=f.field_of_action_id)
    if f.area_id:
        applications = applications.filter(areas=f.area_id)
    if f.year:
        applications = applications.filter(submitted_at__year=f.year)
    return applications


def _requested_subquery() -> Subquery:
    return Subquery(
        FinancingLine.objects.filter(application=OuterRef("pk"), category__kind=FinancingKind.GRANT)
        .values("application")
        .annotate(total=money_sum("amount"))
        .values("total")
    )


def _paid_subquery() -> Subquery:
    return Subquery(
        Payout.objects.filter(application=OuterRef("pk"), state=Payout.State.PAID)
        .values("application")
        .annotate(total=money_sum("amount"))
        .values("total")
    )


def application_figures(applications: QuerySet[Application]) -> QuerySet:
    """One dict per application with the money figures, for register and statistics."""
    return applications.annotate(
        requested_cents=Coalesce(_requested_subquery(), 0),
        paid_cents=Coalesce(_paid_subquery(), 0),
        submitted_year=ExtractYear("submitted_at"),
    ).values(
        "pk",
        "file_number",
        "programme__code",
        "call__title",
        "funding_area__name",
        "title",
        "applicant__name",
        "applicant__kind",
        "state",
        "submitted_at",
        "submitted_year",
        "start_date",
        "end_date",
        "funding_start",
        "funding_end",
        "decided_at",
        "requested_cents",
        "approved_amount",
        "paid_cents",
    )


def m2m_names(applications: QuerySet[Application], relation: str) -> dict[int, list[str]]:
    """Application id → names of its fields of action, areas or target groups, in one query."""
    m2m = Application._meta.get_field(relation)
    target = m2m.m2m_reverse_field_name()
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        m2m.remote_field.through.objects.filter(application_id__in=applications.values("pk"))
        .order_by(f"{target}__position", f"{target}__name")
        .values_list("application_id", f"{target}__name")
    )
    for application_id, name in rows.iterator(chunk_size=5000):
        names[application_id].append(name)
    return names


@dataclass
class StatisticsCell:
    count: int = 0
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO


@dataclass
class Statistics:
    """dimension → (year, category label) → figures."""

    by: dict[str, dict[tuple[int | None, str], StatisticsCell]] = field(default_factory=dict)


def statistics(programme_ids: Iterable[int], *, year: int | None = None) -> Statistics:
    applications = applications_visible(programme_ids)
    if year:
        applications = applications.filter(submitted_at__year=year)
    related = {
        name: m2m_names(applications, name)
        for name in ("fields_of_action", "areas", "target_groups")
    }
    state_labels = dict(ApplicationState.choices)
    kind_labels = dict(ApplicantKind.choices)
    result = Statistics(by={d: defaultdict(StatisticsCell) for d in STATISTICS_DIMENSIONS})
    none_label = str(NO_CATEGORY)
    for row in application_figures(applications).iterator(chunk_size=2000):
        categories = {
            "state": [str(state_labels.get(row["state"], row["state"]))],
            "fields_of_action": related["fields_of_action"].get(row["pk"]) or [none_label],
            "areas": related["areas"].get(row["pk"]) or [none_label],
            "target_groups": related["target_groups"].get(row["pk"]) or [none_label],
            "applicant_kind": [
                str(kind_labels.get(row["applicant__kind"], row["applicant__kind"]))
            ],
        }
        for dimension, labels in categories.items():
            for label in labels:
                cell = result.by[dimension][(row["submitted_year"], label)]
                cell.count += 1
                cell.requested += from_cents(row["requested_cents"])
                cell.approved += row["approved_amount"] or ZERO
                cell.paid += from_cents(row["paid_cents"])
    return result


STATISTICS_DIMENSIONS = ("state", "fields_of_action", "areas", "target_groups", "applicant_kind")


def applications_by_state(programme_ids: Iterable[int]) -> list[dict]:
    """Count per state, for the dashboard chart: dicts with ``label`` and ``n``, from the
    counts the transitions keep (drafts are neither counted nor shown)."""
    rows = kept_counts_by_state(list(programme_ids))
    rows.sort(key=lambda row: (-row["n"], row["state"]))
    return [{"label": str(row["label"]), "n": row["n"]} for row in rows]


def applications_by_area(programme_ids: Iterable[int]) -> list[dict]:
    """Count per area (an application in two areas counts in both)."""
    rows = (
        applications_visible(programme_ids)
        .values("areas__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "areas__name")
    )
    return [{"label": r["areas__name"] or str(NO_CATEGORY), "n": r["n"]} for r in rows]
