"""Interest on repayment claims under § 49a (3) VwVfG, free of the database so that each
figure can be checked by hand.

- Rate: five percentage points above the Basiszinssatz (§ 247 BGB) per year. The base rate
  changes on 1 January and 1 July; a period that spans a change is split there.
- Days: from the day the money was paid out up to, not including, the day it came back
  (``until - since`` days). Each day bears 1/365 of the yearly rate, 1/366 in a leap year,
  so a period is also split at New Year.
- Several payouts: the claimed sum is taken from the latest payouts first. Money paid last is
  the money the project did not need, and this order charges the recipient the least.
- Rounding: exact decimals per segment, the total rounded once to the cent (half up).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
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
