"""Figures of the proof of use and of repayment claims, computed without changing anything: the
grant the actual figures justify, and interest under § 49a VwVfG."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import RuleViolated
from grants.models import (
    CENT,
    ZERO,
    Application,
    BaseRate,
    CostLine,
    FinancingKind,
    FinancingLine,
    Payout,
    ProofCheck,
    Receipt,
    RepaymentClaim,
    money,
)
from grants.selectors.proof_figures import CostInput, IncomeInput, ProofFigures, proof_figures
from reporting.writers import Column, Kind, Report, Table


def base_rates() -> list[tuple[dt.date, Decimal]]:
    return list(BaseRate.objects.values_list("valid_from", "rate_percent"))


def repayment_interest(
    claim: RepaymentClaim,
    until: dt.date,
    *,
    pending: Sequence[tuple[dt.date, Decimal]] = (),
) -> InterestResult:
    """§ 49a VwVfG interest on ``claim`` up to ``until``: on each payout the claim takes back
    (latest first) from its day; each part repaid (recorded, or ``pending`` as
    ``(received_on, amount)``) bears no interest from the day it arrived."""
    paid = claim.application.payouts.filter(state=Payout.State.PAID).values_list(
        "paid_on", "amount"
    )
    repaid = [(r.received_on, r.amount) for r in claim.repayments.all()] + list(pending)
    try:
        taken = allocate_latest_first(claim.principal, list(paid))
    except ValueError as exc:
        raise RuleViolated(_("Die Rückforderung übersteigt die ausgezahlten Mittel.")) from exc
    return interest_49a(amounts=taken, until=until, rates=base_rates(), repayments=repaid)


POINTS_ABOVE_BASE = Decimal("5")


@dataclass(frozen=True)
class Segment:
    """One row of an interest statement: an amount over a stretch of days within one calendar
    year and one half-year of the base rate. ``base_rate`` is None where no rate is known."""

    principal: Decimal
    start: dt.date  # first day bearing interest
    end: dt.date  # first day no longer bearing interest
    base_rate: Decimal | None
    year_days: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def rate(self) -> Decimal | None:
        return None if self.base_rate is None else self.base_rate + POINTS_ABOVE_BASE

    @property
    def known(self) -> bool:
        return self.base_rate is not None

    @property
    def interest(self) -> Decimal:
        """Rounded half up to the cent per row, so that the rows add up to the total."""
        if self.rate is None:
            return ZERO
        exact = self.principal * self.rate / 100 * self.days / self.year_days
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InterestResult:
    segments: list[Segment]

    @property
    def total(self) -> Decimal:
        """The sum of the rows as shown (each rounded to the cent)."""
        return sum((s.interest for s in self.segments), ZERO)

    @property
    def unknown(self) -> list[Segment]:
        return [s for s in self.segments if not s.known]

    @property
    def complete(self) -> bool:
        return not self.unknown

    @property
    def unknown_from(self) -> dt.date | None:
        return min((s.start for s in self.unknown), default=None)

    @property
    def unknown_notice(self) -> str:
        return "" if self.complete else _unknown_notice(self)

    @property
    def unknown_message(self) -> str:
        if self.complete:
            return ""
        return _(
            "Für die Zeit ab %(day)s ist kein Basiszinssatz hinterlegt; die Zinsen dafür sind "
            "nicht berechnet. Bitte den Basiszinssatz in der Verwaltung ergänzen."
        ) % {"day": f"{self.unknown_from:%d.%m.%Y}"}


def _unknown_notice(result: InterestResult) -> str:
    """What the applicant's page and the notice say of a period without a known rate."""
    return _(
        "Für die Zeit ab %(day)s ist der Basiszinssatz hier noch nicht erfasst; die Zinsen "
        "dafür sind in der Summe noch nicht enthalten und werden bei der Festsetzung berechnet."
    ) % {"day": f"{result.unknown_from:%d.%m.%Y}"}


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


def _next_half_year(day: dt.date) -> dt.date:
    return dt.date(day.year, 7, 1) if day.month < 7 else dt.date(day.year + 1, 1, 1)


def _rate_on(day: dt.date, rates: Sequence[tuple[dt.date, Decimal]]) -> Decimal | None:
    """The base rate for ``day``: the latest announced on or before it, if announced for the
    half-year ``day`` falls in. A rate is never carried into a half-year it was not
    announced for (§ 247 BGB announces one per half-year)."""
    current = None
    for valid_from, rate in rates:
        if valid_from <= day:
            current = (valid_from, rate)
    if current is None or _next_half_year(current[0]) <= day:
        return None
    return current[1]


def _pieces(
    amounts: Iterable[tuple[dt.date, Decimal]],
    until: dt.date,
    repayments: Iterable[tuple[dt.date, Decimal]],
) -> list[tuple[dt.date, dt.date, Decimal]]:
    """``(start, end, amount)``: each amount from its day until the repayment that took it
    back (credited to the latest amounts first), what is left until ``until``."""
    open_amounts = [[since, amount] for since, amount in sorted(amounts)]
    pieces = []
    for received_on, repaid in sorted(repayments):
        left = repaid
        for entry in reversed(open_amounts):
            if left <= 0:
                break
            portion = min(left, entry[1])
            if portion <= 0:
                continue
            pieces.append((entry[0], max(entry[0], min(received_on, until)), portion))
            entry[1] -= portion
            left -= portion
    pieces += [(since, until, amount) for since, amount in open_amounts if amount > 0]
    return sorted(pieces)


def interest_49a(
    *,
    amounts: Iterable[tuple[dt.date, Decimal]],
    until: dt.date,
    rates: Iterable[tuple[dt.date, Decimal]],
    repayments: Iterable[tuple[dt.date, Decimal]] = (),
) -> InterestResult:
    """Interest on each ``(paid_on, amount)`` from ``paid_on`` up to ``until`` (the first day
    without interest), less the parts repaid on their day.

    ``rates`` are ``(valid_from, base_rate_percent)`` pairs, e.g. from ``BaseRate``. Rows are
    cut at New Year (the day count changes between 365 and 366) and at every half-year (the
    base rate may change); a row in a half-year without a known rate is flagged, not priced.
    """
    rates = sorted(rates)
    segments: list[Segment] = []
    for since, end_of_piece, principal in _pieces(amounts, until, repayments):
        day = since
        while day < end_of_piece:
            end = min(end_of_piece, _next_half_year(day))
            segments.append(
                Segment(
                    principal=principal,
                    start=day,
                    end=end,
                    base_rate=_rate_on(day, rates),
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
    """The grant the actual figures justify, for a plan of one cost line and one line of
    other money (planned as the gap the grant leaves); see ``proof_figures``."""
    return proof_figures(
        financing_type=financing_type,
        approved=approved,
        costs=[CostInput(0, "", planned_costs, actual_costs)],
        income=[IncomeInput("", max(ZERO, planned_costs - approved), actual_other_financing)],
    ).justified


def proof_figures_for(
    application: Application, recognised: Mapping[int, Decimal] | None = None
) -> ProofFigures:
    """Plan, actual, allowed and the effect on the grant per line of ``application``'s proof
    of use; ``recognised`` overrides what a case worker cut (by cost line id)."""
    return _proof_figures(
        application,
        recognised or {},
        application.cost_lines.order_by("position", "id"),
        application.financing_lines.select_related("category"),
    )


def _proof_figures(
    application: Application,
    recognised: Mapping[int, Decimal],
    cost_lines: Iterable[CostLine],
    financing_lines: Iterable[FinancingLine],
) -> ProofFigures:
    costs = [
        CostInput(
            line.pk,
            line.description,
            line.amount,
            money(recognised.get(line.pk, line.actual_amount or ZERO)),
        )
        for line in cost_lines
    ]
    income = [
        IncomeInput(
            f"{line.category}" + (f": {line.description}" if line.description else ""),
            line.amount,
            line.actual_amount or ZERO,
        )
        for line in sorted(financing_lines, key=lambda line: line.pk)
        if line.category.kind != FinancingKind.GRANT
    ]
    income += [
        IncomeInput(f"{extra.get_kind_display()}: {extra.description}", ZERO, extra.amount)
        for extra in application.unplanned_income.all()
    ]
    return proof_figures(
        financing_type=application.financing_type,
        approved=application.approved_amount or ZERO,
        costs=costs,
        income=income,
    )


def proof_figures_of_file(
    application: Application,
    proof_check: ProofCheck | None,
    cost_lines: Sequence[CostLine],
    financing_lines: Sequence[FinancingLine],
) -> ProofFigures | None:
    """The figures the case file shows: those of the latest check as recognised there, or,
    before any check, those of the submitted proof of use as claimed. The plan's rows as the
    page loaded them (cost lines in the plan's order, financing lines with their categories):
    a file without a proof costs no query here, one with a proof one (its unplanned income)."""
    if proof_check is not None:
        recognised = {line.cost_line_id: line.recognised_amount for line in proof_check.lines.all()}
        return _proof_figures(application, recognised, cost_lines, financing_lines)
    if application.approved_amount is None or all(
        line.actual_amount is None for line in cost_lines
    ):
        return None
    return _proof_figures(application, {}, cost_lines, financing_lines)


@dataclass(frozen=True)
class ClaimFigures:
    """A claim as the applicant's page, the recovery notice and the mail state it: the same
    principal, interest rows and total, account and reference."""

    claim: RepaymentClaim
    interest: InterestResult | None
    interest_until: dt.date
    letter: Any

    @property
    def interest_total(self) -> Decimal:
        if self.claim.state == RepaymentClaim.State.SETTLED:
            return self.claim.interest
        return self.interest.total if self.interest is not None else ZERO


def claim_figures(application: Application) -> list[ClaimFigures]:
    """Open claims with the interest up to today; settled ones with the interest charged."""
    today = timezone.localdate()
    rows = []
    claims = application.repayment_claims.exclude(state=RepaymentClaim.State.CANCELLED)
    for claim in claims.prefetch_related("repayments", "letters"):
        until = claim.repaid_on if claim.state == RepaymentClaim.State.SETTLED else today
        try:
            interest = repayment_interest(claim, until or today)
        except RuleViolated:
            interest = None
        letter = next((x for x in claim.letters.all()), None)
        rows.append(ClaimFigures(claim, interest, until or today, letter))
    return rows


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
    return receipt_list_of(
        application.receipts.order_by("number"), application.cost_lines.select_related("category")
    )


def receipt_list_of(receipts: Iterable[Receipt], cost_lines: Iterable[CostLine]) -> ReceiptList:
    """The list from receipts (by number) and cost lines (with their categories) already
    loaded, as the case file has them."""
    by_line: dict[int, list[Receipt]] = {}
    for receipt in receipts:
        by_line.setdefault(receipt.cost_line_id, []).append(receipt)
    lines = sorted(cost_lines, key=lambda line: line.pk)
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
