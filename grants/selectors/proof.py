"""Figures of the proof of use and of repayment claims, computed without changing anything: the
grant the actual figures justify, and interest under § 49a VwVfG."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import RuleViolated
from grants.models import (
    CENT,
    ZERO,
    Application,
    BaseRate,
    CostLine,
    FinancingType,
    Payout,
    Receipt,
    RepaymentClaim,
)
from reporting.writers import Column, Kind, Report, Table


def base_rates() -> list[tuple[dt.date, Decimal]]:
    return list(BaseRate.objects.values_list("valid_from", "rate_percent"))


def repayment_interest(claim: RepaymentClaim, until: dt.date) -> InterestResult:
    """§ 49a VwVfG interest on ``claim`` if it is repaid on ``until``: from each payout the
    claim takes back (latest first) up to the day of repayment."""
    paid = claim.application.payouts.filter(state=Payout.State.PAID).values_list(
        "paid_on", "amount"
    )
    try:
        taken = allocate_latest_first(claim.principal, list(paid))
        return interest_49a(amounts=taken, until=until, rates=base_rates())
    except LookupError as exc:
        raise RuleViolated(
            _(
                "Für den Zeitraum ist kein Basiszinssatz hinterlegt; bitte in der Verwaltung ergänzen."
            )
        ) from exc
    except ValueError as exc:
        raise RuleViolated(_("Die Rückforderung übersteigt die ausgezahlten Mittel.")) from exc


POINTS_ABOVE_BASE = Decimal("5")


@dataclass(frozen=True)
class Segment:
    principal: Decimal
    start: dt.date  # first day bearing interest
    end: dt.date  # first day no longer bearing interest
    base_rate: Decimal
    rate: Decimal
    year_days: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def interest(self) -> Decimal:
        return self.principal * self.rate / 100 * self.days / self.year_days


@dataclass(frozen=True)
class InterestResult:
    segments: list[Segment]

    @property
    def total(self) -> Decimal:
        return sum((s.interest for s in self.segments), Decimal(0)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )


def allocate_latest_first(
    principal: Decimal, payouts: Iterable[tuple[dt.date, Decimal]]
) -> list[tuple[dt.date, Decimal]]:
    """Which paid-out money the claim takes back: the latest payouts first."""
    left = principal
    taken: list[tuple[dt.date, Decimal]] = []
    for paid_on, amount in sorted(payouts, key=lambda p: p[0], reverse=True):
        if left <= 0:
            break
        portion = min(left, amount)
        taken.append((paid_on, portion))
        left -= portion
    if left > 0:
        raise ValueError("claim exceeds the money paid out")
    return sorted(taken)


def _rate_on(day: dt.date, rates: Sequence[tuple[dt.date, Decimal]]) -> Decimal:
    current = None
    for valid_from, rate in rates:
        if valid_from <= day:
            current = rate
    if current is None:
        raise LookupError(f"no base rate known for {day:%d.%m.%Y}")
    return current


def interest_49a(
    *,
    amounts: Iterable[tuple[dt.date, Decimal]],
    until: dt.date,
    rates: Iterable[tuple[dt.date, Decimal]],
) -> InterestResult:
    """Interest on each ``(paid_on, amount)`` from ``paid_on`` up to ``until``.

    ``rates`` are ``(valid_from, base_rate_percent)`` pairs, e.g. from ``BaseRate``.
    """
    rates = sorted(rates)
    changes = [valid_from for valid_from, _rate in rates]
    segments: list[Segment] = []
    for since, principal in amounts:
        day = since
        while day < until:
            cuts = [c for c in changes if day < c < until]
            new_year = dt.date(day.year + 1, 1, 1)
            end = min([until, new_year, *cuts])
            base = _rate_on(day, rates)
            segments.append(
                Segment(
                    principal=principal,
                    start=day,
                    end=end,
                    base_rate=base,
                    rate=base + POINTS_ABOVE_BASE,
                    year_days=366 if calendar.isleap(day.year) else 365,
                )
            )
            day = end
    return InterestResult(segments)


def justified_grant(
    *,
    financing_type: str,
    approved: Decimal,
    planned_costs: Decimal,
    actual_costs: Decimal,
    actual_other_financing: Decimal,
) -> Decimal:
    """The grant that the actual figures of a proof of use justify.

    - Fehlbedarf: the grant fills the gap, so every euro saved or earned reduces it.
    - Anteil: the grant stays the approved share of the costs.
    - Festbetrag: fixed, reduced only where the costs fall below it.
    Never more than approved.
    """
    if financing_type == FinancingType.DEFICIT:
        grant = actual_costs - actual_other_financing
    elif financing_type == FinancingType.PROPORTIONAL:
        grant = (actual_costs * approved / planned_costs) if planned_costs else ZERO
    elif financing_type == FinancingType.FIXED_AMOUNT:
        grant = actual_costs
    else:
        raise ValueError(f"unknown financing type {financing_type!r}")
    return min(approved, max(ZERO, grant)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- the list of receipts (Belegliste) against the plan -------------------------------------


@dataclass
class ReceiptLine:
    """One cost line of the plan with the receipts the applicant entered for it."""

    cost_line: CostLine
    receipts: list[Receipt]

    @property
    def planned(self) -> Decimal:
        return self.cost_line.amount

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.receipts), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.total - self.planned


@dataclass
class ReceiptList:
    lines: list[ReceiptLine]

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.total - self.planned

    @property
    def count(self) -> int:
        return sum(len(line.receipts) for line in self.lines)


def receipt_list(application: Application) -> ReceiptList:
    """The receipts grouped by the plan's cost lines, in the plan's order; two queries."""
    by_line: dict[int, list[Receipt]] = {}
    for receipt in application.receipts.order_by("number"):
        by_line.setdefault(receipt.cost_line_id, []).append(receipt)
    lines = application.cost_lines.select_related("category").order_by("id")
    return ReceiptList([ReceiptLine(line, by_line.get(line.pk, [])) for line in lines])


def _line_label(line: CostLine) -> str:
    return f"{line.category.name}: {line.description}"


def receipt_list_report(application: Application, *, actor: User, at: dt.datetime) -> Report:
    """The Belegliste as an export: every receipt, then plan against receipts per cost line.
    Applicants typed the texts: string cells only; totals are values (reporting.writers)."""
    receipts = receipt_list(application)
    total = _("Summe")
    line_column = Column(_("Ausgabenposition"), Kind.USER_TEXT, 40)
    return Report(
        title=_("Belegliste"),
        tables=[
            Table(
                _("Belegliste"),
                [
                    Column(_("Beleg-Nr."), Kind.INT, 10),
                    Column(_("Datum"), Kind.DATE, 12),
                    line_column,
                    Column(_("Empfänger*in"), Kind.USER_TEXT, 30),
                    Column(_("Zweck"), Kind.USER_TEXT, 40),
                    Column(_("Betrag"), Kind.MONEY, 14, total=True),
                ],
                [
                    (
                        r.number,
                        r.date,
                        _line_label(line.cost_line),
                        r.payee,
                        r.description,
                        r.amount,
                    )
                    for line in receipts.lines
                    for r in line.receipts
                ],
                totals_label=total,
            ),
            Table(
                _("Je Ausgabenposition"),
                [
                    line_column,
                    Column(_("geplant"), Kind.MONEY, 14, total=True),
                    Column(_("Summe der Belege"), Kind.MONEY, 16, total=True),
                    Column(_("Differenz"), Kind.MONEY, 14, total=True),
                    Column(_("Anzahl Belege"), Kind.INT, 14, total=True),
                ],
                [
                    (
                        _line_label(line.cost_line),
                        line.planned,
                        line.total,
                        line.difference,
                        len(line.receipts),
                    )
                    for line in receipts.lines
                ],
                totals_label=total,
            ),
        ],
        protocol=[
            (_("Aktenzeichen"), application.file_number or ""),
            (_("Vorhaben"), application.title),
            (_("Antragsteller*in"), application.applicant.name),
            (_("exportiert von"), actor.get_full_name() or actor.email),
            (_("exportiert am"), at),
        ],
    )
